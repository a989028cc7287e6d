import { DateTime } from 'luxon';

export const PARIS = 'Europe/Paris';

const money = new Map<string, Intl.NumberFormat>();

/** 123456 cents → "1 234,56 €" (French grouping and decimal comma). */
export function formatMoney(cents: number, currency = 'EUR'): string {
  let format = money.get(currency);
  if (!format) {
    format = new Intl.NumberFormat('fr-FR', { style: 'currency', currency });
    money.set(currency, format);
  }
  return format.format(cents / 100);
}

const integer = new Intl.NumberFormat('fr-FR');
export function formatCount(value: number): string {
  return integer.format(value);
}

/** "2026-11-27" → "27/11/2026". */
export function formatDay(isoDate: string): string {
  return DateTime.fromISO(isoDate, { zone: PARIS }).toFormat('dd/LL/yyyy');
}

export function formatDateTime(instant: Date): string {
  return DateTime.fromJSDate(instant).setZone(PARIS).setLocale('fr').toFormat("d LLLL yyyy 'à' HH'h'mm");
}

export function plural(count: number, one: string, many: string): string {
  return `${formatCount(count)} ${Math.abs(count) > 1 ? many : one}`;
}

/** "Château Saint-Émilion & Fils" → "chateau-saint-emilion-fils" (file names, demo e-mails). */
export function slugify(text: string, max = 60): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, max)
    .replace(/-$/, '');
}
