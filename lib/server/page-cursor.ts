import type { PageCursor } from '@/db';
import { isUuid } from './ids';

// The years a list's cursor can name: PostgreSQL has no year 0000, and a query must never see an
// instant it cannot read.
const EARLIEST_YEAR = 2000;
const LATEST_YEAR = 2100;

/** `YYYY-MM-DD` that is a day of the calendar (2026-02-30 is none: Date would roll it to March). */
export function realDay(value: string): boolean {
  const [year, month, dayOfMonth] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, dayOfMonth));
  return (
    year >= EARLIEST_YEAR &&
    year <= LATEST_YEAR &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === dayOfMonth
  );
}

/** A PageCursor from a URL's `<at>_<id>`; anything else (hand-edited) is none. */
export function parsePageCursor(value: string | undefined): PageCursor | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z_(.+)$/.exec(value ?? '');
  if (!match || !realDay(match[1]!) || !isUuid(match[2])) return undefined;
  const at = value!.slice(0, value!.indexOf('_'));
  return Number.isNaN(Date.parse(at)) ? undefined : { at, id: match[2] };
}
