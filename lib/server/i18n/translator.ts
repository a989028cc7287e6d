import { DateTime } from 'luxon';
import { createTranslator } from 'next-intl';
import { DEFAULT_LOCALE, type Locale } from './locales';
import { messagesFor, type Messages } from './messages';

/** Every date and time the portal shows is Paris wall-clock time, whatever the reader's language. */
export const TIME_ZONE = 'Europe/Paris';

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];

/** Every key of the catalogue, as written in code: `t('clients.title')`. */
export type MessageKey = Leaves<Messages>;
export type MessageValues = Record<string, string | number>;

/**
 * A message that only substitutes plain arguments ("{label} : {value}"), split into literal and
 * argument parts; null for anything ICU must handle (plural, select, number, date, rich tags, an
 * ASCII apostrophe that may quote).
 */
function compileSimple(message: unknown): string[] | null {
  if (typeof message !== 'string' || /['<#]/.test(message)) return null;
  if (/[{}]/.test(message.replace(/\{\w+\}/g, ''))) return null;
  return message.split(/\{(\w+)\}/);
}

function lookup(messages: Messages, key: string): unknown {
  let node: unknown = messages;
  for (const part of key.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  return node;
}

/**
 * next-intl's translator, with a fast path for messages that only substitute string arguments:
 * the same text, without the ICU machinery (a digest writes a few hundred such lines, and the
 * formatter caches' key hashing dominated its rendering). Everything else goes to next-intl.
 */
function withFastPath<T extends (key: never, values?: never) => string>(t: T, messages: Messages): T {
  const compiled = new Map<string, string[] | null>();
  const fast = (key: string, values?: MessageValues): string => {
    let parts = compiled.get(key);
    if (parts === undefined) {
      parts = compileSimple(lookup(messages, key));
      compiled.set(key, parts);
    }
    if (parts) {
      let out = parts[0]!;
      let ok = true;
      for (let i = 1; i < parts.length; i += 2) {
        const value = values?.[parts[i]!];
        if (typeof value !== 'string') {
          ok = false;
          break;
        }
        out += value + parts[i + 1]!;
      }
      if (ok) return out;
    }
    return (t as unknown as (key: string, values?: MessageValues) => string)(key, values);
  };
  return Object.assign(fast, t) as unknown as T;
}

function makeI18n(locale: Locale) {
  const messages = messagesFor(locale);
  const t = withFastPath(createTranslator({ locale, messages, timeZone: TIME_ZONE }), messages);
  const paris = (instant: Date) => DateTime.fromJSDate(instant, { zone: TIME_ZONE });
  // Date formats built once, like the number formats below: next-intl's formatter builds an
  // Intl.DateTimeFormat per call (44 µs a day cell: 1 ms of every Clients page's 25 rows).
  const monthFormat = new Intl.DateTimeFormat(locale, { month: 'long', timeZone: TIME_ZONE });
  const weekdayFormat = new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: TIME_ZONE });
  // A calendar day is formatted at noon UTC in UTC: the same day whatever the server's zone. In
  // English, the day before the month (« 27 Nov 2026 »), as everywhere else in the English UI.
  const dayFormat =
    locale === 'fr'
      ? new Intl.DateTimeFormat('fr', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' })
      : new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  const month = (instant: Date) => monthFormat.format(instant);
  const weekday = (instant: Date) => weekdayFormat.format(instant);

  // Number formats built once per currency: a digest formats hundreds of amounts, and building an
  // Intl.NumberFormat per call (or hashing its options per call) dominated its rendering time.
  const moneyFormats = new Map<string, Intl.NumberFormat>();
  const moneyFormat = (currency: string) => {
    let f = moneyFormats.get(currency);
    if (!f) {
      f = new Intl.NumberFormat(locale, { style: 'currency', currency });
      moneyFormats.set(currency, f);
    }
    return f;
  };
  const countFormat = new Intl.NumberFormat(locale);
  const listFormat = new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' });

  const format = {
    /** 123456 cents → "1 234,56 €" in French, "€1,234.56" in English: always the expense's currency. */
    money: (cents: number, currency = 'EUR') => moneyFormat(currency).format(cents / 100),
    count: (value: number) => countFormat.format(value),
    /** « A, B et C » / "A, B and C". */
    list: (items: string[]) => listFormat.format(items),
    /** A calendar day ("2026-11-27") → "27/11/2026" (French) or "27 Nov 2026" (English). */
    day: (isoDate: string) => dayFormat.format(new Date(`${isoDate.slice(0, 10)}T12:00:00Z`)),
    /** "1er décembre 2026 à 9 h 36" / "1 December 2026 at 09:36". */
    dateTime: (instant: Date) => {
      const local = paris(instant);
      return t('format.dateTime', {
        day: local.day,
        month: month(instant),
        year: String(local.year),
        hour: locale === 'fr' ? String(local.hour) : String(local.hour).padStart(2, '0'),
        minute: String(local.minute).padStart(2, '0'),
      });
    },
    /** "mardi 1er décembre" / "Tuesday 1 December". */
    dayMonth: (instant: Date) => {
      const local = paris(instant);
      return t('format.dayMonth', { weekday: weekday(instant), day: local.day, month: month(instant) });
    },
    /** "décembre 2026" / "December 2026": a month, in Paris. */
    monthYear: (instant: Date) => `${month(instant)} ${paris(instant).year}`,
    /** "lundi" / "Monday": a day of the week, in Paris. */
    weekday: (instant: Date) => weekday(instant),
    /** A digest slot: "lundi 30 novembre à 10 h" / "Monday 30 November at 10:00". */
    slot: (slot: DateTime) => {
      const instant = slot.toJSDate();
      if (slot.zoneName === TIME_ZONE || !slot.zone.isValid) {
        const local = slot.setZone(TIME_ZONE);
        return t('format.slot', { weekday: weekday(instant), day: local.day, month: month(instant), hour: local.hour });
      }
      // Someone's own zone (their send time): its wall clock, and its name.
      const local = slot.setLocale(locale);
      const text = t('format.slot', {
        weekday: local.toFormat('cccc'),
        day: local.day,
        month: local.toFormat('LLLL'),
        hour: local.hour,
      });
      return t('format.slotZone', { slot: text, zone: slot.zoneName ?? '' });
    },
  };

  /** A key chosen at run time (an error's key, an enum's label): typed by MessageKey rather than by literal. */
  const translate = (key: MessageKey, values?: MessageValues): string =>
    (t as unknown as (key: string, values?: MessageValues) => string)(key, values);

  return { locale, t, translate, format, messages };
}

export type I18n = ReturnType<typeof makeI18n>;

const cache = new Map<Locale, I18n>();

/** The translator and formatters of a locale, built once per process. */
export function i18nFor(locale: Locale = DEFAULT_LOCALE): I18n {
  let i18n = cache.get(locale);
  if (!i18n) {
    i18n = makeI18n(locale);
    cache.set(locale, i18n);
  }
  return i18n;
}
