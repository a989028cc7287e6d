import { createTranslator } from 'next-intl';
import { i18nFor, TIME_ZONE } from '@/lib/i18n/translator';
import { messagesFor } from '@/lib/i18n/messages';
import { LOCALES } from '@/lib/i18n/locales';

function leaves(node: unknown, prefix = ''): [string, string][] {
  if (typeof node === 'string') return [[prefix, node]];
  return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

describe('the translator’s fast path for plain substitutions', () => {
  it.each(LOCALES)('gives exactly next-intl’s text for every message of the %s catalogue', (locale) => {
    const messages = messagesFor(locale);
    const reference = createTranslator({ locale, messages, timeZone: TIME_ZONE }) as unknown as (
      key: string,
      values?: Record<string, string>,
    ) => string;
    const { translate } = i18nFor(locale);
    let compared = 0;
    for (const [key, message] of leaves(messages)) {
      // Rich-text messages are rendered through t.rich / t.markup, never as plain strings.
      if (message.includes('<')) continue;
      const names = [...new Set([...message.matchAll(/\{(\w+)/g)].map((m) => m[1]!))];
      // Strings with the characters that matter (apostrophes, braces, quotes), then numbers for
      // the messages that count (which go to next-intl whatever they say).
      const strings = Object.fromEntries(names.map((n) => [n, `«${n}» l'été {x} "q"`]));
      const numbers = Object.fromEntries(names.map((n) => [n, 2]));
      for (const values of [strings, numbers]) {
        let expected: string | Error;
        try {
          expected = reference(key, values as Record<string, string>);
        } catch (error) {
          expected = error as Error;
        }
        if (expected instanceof Error) continue;
        expect([key, translate(key as never, values)]).toEqual([key, expected]);
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(500);
  });
});
