import { createTranslator } from 'next-intl';
import { i18nFor, TIME_ZONE } from '@/lib/server/i18n/translator';
import { messagesFor } from '@/lib/server/i18n/messages';
import { LOCALES } from '@/lib/server/i18n/locales';
import { clientTableLabels, fillName } from '@/components/client-table-labels';

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

describe('the Clients table’s words, translated once per language', () => {
  const perRowKeys = {
    selectClient: 'clients.selectClient',
    menu: 'clients.menu',
    declineTitle: 'connectionRequests.declineConfirmTitle',
    declineBody: 'connectionRequests.declineConfirmBody',
  } as const;
  it.each(LOCALES)('fills each row’s name into the %s messages exactly as the catalogue would', (locale) => {
    const i18n = i18nFor(locale);
    const labels = clientTableLabels(i18n);
    // Built once: the same object on every page.
    expect(clientTableLabels(i18n)).toBe(labels);
    for (const name of ['Boulangerie Dupont', 'L’Atelier {name} & Cie', "Chez l'ami {x}", '']) {
      for (const [label, key] of Object.entries(perRowKeys)) {
        const expected = createTranslator({ locale, messages: messagesFor(locale), timeZone: TIME_ZONE })(key, {
          name,
        });
        expect([label, fillName(labels.perRow[label as keyof typeof perRowKeys], name)]).toEqual([label, expected]);
      }
    }
    expect(labels.followed.weekly).toBe(i18n.t('clients.followed', { frequency: 'weekly' }));
  });
});
