import { DateTime } from 'luxon';
import { createFormatter, createTranslator } from 'next-intl';
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

function makeI18n(locale: Locale) {
  const messages = messagesFor(locale);
  const t = createTranslator({ locale, messages, timeZone: TIME_ZONE });
  const intl = createFormatter({ locale, timeZone: TIME_ZONE });
  const paris = (instant: Date) => DateTime.fromJSDate(instant, { zone: TIME_ZONE });
  const month = (instant: Date) => intl.dateTime(instant, { month: 'long' });
  const weekday = (instant: Date) => intl.dateTime(instant, { weekday: 'long' });

  const format = {
    /** 123456 cents → "1 234,56 €" in French, "€1,234.56" in English: always the expense's currency. */
    money: (cents: number, currency = 'EUR') => intl.number(cents / 100, { style: 'currency', currency }),
    count: (value: number) => intl.number(value),
    /** A calendar day ("2026-11-27") → "27/11/2026" (French) or "27 Nov 2026" (English). */
    day: (isoDate: string) => {
      const noon = DateTime.fromISO(isoDate, { zone: TIME_ZONE }).set({ hour: 12 }).toJSDate();
      return locale === 'fr'
        ? intl.dateTime(noon, { day: '2-digit', month: '2-digit', year: 'numeric' })
        : intl.dateTime(noon, { day: 'numeric', month: 'short', year: 'numeric' });
    },
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
    /** "lundi" / "Monday": a day of the week, in Paris. */
    weekday: (instant: Date) => weekday(instant),
    /** A digest slot: "lundi 30 novembre à 10 h" / "Monday 30 November at 10:00". */
    slot: (slot: DateTime) => {
      const instant = slot.toJSDate();
      const local = slot.setZone(TIME_ZONE);
      return t('format.slot', { weekday: weekday(instant), day: local.day, month: month(instant), hour: local.hour });
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
