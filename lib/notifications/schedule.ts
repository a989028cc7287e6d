import { DateTime } from 'luxon';
import type { DigestFrequency } from '@/db/schema';

// Pure functions of an instant and a zone: the digests go out at 10:00 wall-clock time in Paris,
// winter and summer alike. 10:00 never falls in a DST gap or fold, so it always exists once.
const DIGEST_ZONE = 'Europe/Paris';
const DIGEST_HOUR = 10;
export const FREQUENCIES: readonly DigestFrequency[] = ['daily', 'weekly', 'monthly'];

const MONDAY = 1;

/** Whether a Paris calendar day carries a slot of this frequency. */
function isSlotDay(day: DateTime, frequency: DigestFrequency): boolean {
  const weekday = day.weekday; // 1 = Monday … 7 = Sunday
  if (frequency === 'daily') return weekday <= 5;
  if (frequency === 'weekly') return weekday === MONDAY;
  return weekday === MONDAY && day.day <= 7;
}

/** 10:00 in the zone on the calendar day of `instant` there. */
function slotOn(instant: Date, zone = DIGEST_ZONE): DateTime {
  const local = DateTime.fromJSDate(instant, { zone });
  return DateTime.fromObject({ year: local.year, month: local.month, day: local.day, hour: DIGEST_HOUR }, { zone });
}

/** The Paris day of an instant, as `yyyy-mm-dd`. */
export function parisDay(instant: Date, zone = DIGEST_ZONE): string {
  return DateTime.fromJSDate(instant, { zone }).toISODate()!;
}

/** The frequencies whose slot of today is at or before `now`: what a run at `now` may send. */
export function dueFrequencies(now: Date, zone = DIGEST_ZONE): { slot: DateTime; frequencies: DigestFrequency[] } {
  const slot = slotOn(now, zone);
  if (now.getTime() < slot.toMillis()) return { slot, frequencies: [] };
  return { slot, frequencies: FREQUENCIES.filter((f) => isSlotDay(slot, f)) };
}

/** The first slot of a frequency at or after `from`. */
export function nextSlotAtOrAfter(from: DateTime, frequency: DigestFrequency, zone = DIGEST_ZONE): DateTime {
  let slot = slotOn(from.toJSDate(), zone);
  if (slot.toMillis() < from.toMillis()) slot = slot.plus({ days: 1 }).set({ hour: DIGEST_HOUR });
  // At most 5 weeks ahead for the monthly frequency.
  for (let i = 0; i < 40; i += 1) {
    if (isSlotDay(slot, frequency)) return slot;
    slot = slot.plus({ days: 1 }).set({ hour: DIGEST_HOUR, minute: 0, second: 0, millisecond: 0 });
  }
  throw new Error(`no ${frequency} slot found after ${from.toISO()}`);
}

/**
 * A subscription switched on at `enabledAt` first goes out on the first Monday 10:00 strictly after
 * it (the article: "le lundi à 10 h"), or the first slot of its frequency after that Monday.
 */
export function firstSlotAfter(enabledAt: Date, frequency: DigestFrequency, zone = DIGEST_ZONE): DateTime {
  const justAfter = DateTime.fromJSDate(new Date(enabledAt.getTime() + 1), { zone });
  const monday = nextSlotAtOrAfter(justAfter, 'weekly', zone);
  return nextSlotAtOrAfter(monday, frequency, zone);
}

/** When the next digest of a subscription will go out, seen from `now`. */
export function nextDelivery(now: Date, firstSlotAt: Date, frequency: DigestFrequency, zone = DIGEST_ZONE): DateTime {
  const from = DateTime.fromJSDate(new Date(Math.max(now.getTime(), firstSlotAt.getTime())), { zone });
  return nextSlotAtOrAfter(from, frequency, zone);
}
