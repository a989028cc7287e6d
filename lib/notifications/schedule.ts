import { DateTime, IANAZone } from 'luxon';
import type { DigestFrequency } from '@/db/schema';

// Pure functions of an instant and a send time: the digests go out at an hour of wall-clock time in
// a zone — 10:00 in Paris unless the user or their firm chose another (8 h to 18 h) — winter and
// summer alike. Those hours fall in no zone's DST gap or fold in use today, so each day's slot
// exists once. The digest run plans the same slots in SQL (planDeliveries, digest-queue.ts); a
// property test holds the two to the same answers.
export type SendTime = { zone: string; hour: number };
export const DEFAULT_SEND_TIME: SendTime = { zone: 'Europe/Paris', hour: 10 };
export const SEND_HOURS = [8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18] as const;
export const FREQUENCIES: readonly DigestFrequency[] = ['daily', 'weekly', 'monthly'];

const MONDAY = 1;

/** Whether a calendar day carries a slot of this frequency. */
function isSlotDay(day: DateTime, frequency: DigestFrequency): boolean {
  const weekday = day.weekday; // 1 = Monday … 7 = Sunday
  if (frequency === 'daily') return weekday <= 5;
  if (frequency === 'weekly') return weekday === MONDAY;
  return weekday === MONDAY && day.day <= 7;
}

/** The send hour in the zone on the calendar day of `instant` there. */
function slotOn(instant: Date, at: SendTime): DateTime {
  const local = DateTime.fromJSDate(instant, { zone: at.zone });
  return DateTime.fromObject(
    { year: local.year, month: local.month, day: local.day, hour: at.hour },
    { zone: at.zone },
  );
}

/** The calendar day of an instant in a zone (Paris by default), as `yyyy-mm-dd`. */
export function parisDay(instant: Date, zone = DEFAULT_SEND_TIME.zone): string {
  return DateTime.fromJSDate(instant, { zone }).toISODate()!;
}

/** The frequencies whose slot of today is at or before `now`: what a run at `now` may send. */
export function dueFrequencies(
  now: Date,
  at: SendTime = DEFAULT_SEND_TIME,
): { slot: DateTime; frequencies: DigestFrequency[] } {
  const slot = slotOn(now, at);
  if (now.getTime() < slot.toMillis()) return { slot, frequencies: [] };
  return { slot, frequencies: FREQUENCIES.filter((f) => isSlotDay(slot, f)) };
}

/** The first slot of a frequency at or after `from`. */
export function nextSlotAtOrAfter(
  from: DateTime,
  frequency: DigestFrequency,
  at: SendTime = DEFAULT_SEND_TIME,
): DateTime {
  let slot = slotOn(from.toJSDate(), at);
  if (slot.toMillis() < from.toMillis()) slot = slot.plus({ days: 1 }).set({ hour: at.hour });
  // At most 5 weeks ahead for the monthly frequency.
  for (let i = 0; i < 40; i += 1) {
    if (isSlotDay(slot, frequency)) return slot;
    slot = slot.plus({ days: 1 }).set({ hour: at.hour, minute: 0, second: 0, millisecond: 0 });
  }
  throw new Error(`no ${frequency} slot found after ${from.toISO()}`);
}

/**
 * A subscription switched on at `enabledAt` first goes out on the first Monday slot strictly after
 * it (the article: "le lundi à 10 h"), or the first slot of its frequency after that Monday.
 */
export function firstSlotAfter(
  enabledAt: Date,
  frequency: DigestFrequency,
  at: SendTime = DEFAULT_SEND_TIME,
): DateTime {
  const justAfter = DateTime.fromJSDate(new Date(enabledAt.getTime() + 1), { zone: at.zone });
  const monday = nextSlotAtOrAfter(justAfter, 'weekly', at);
  return nextSlotAtOrAfter(monday, frequency, at);
}

/**
 * When the next digest of a subscription will go out, seen from `now`. The run compares days, not
 * instants, with the first slot (a change of hour moves the slot within its day): so does this.
 */
export function nextDelivery(
  now: Date,
  firstSlotAt: Date,
  frequency: DigestFrequency,
  at: SendTime = DEFAULT_SEND_TIME,
): DateTime {
  const firstDay = DateTime.fromJSDate(firstSlotAt, { zone: at.zone }).startOf('day');
  const from = DateTime.fromJSDate(new Date(Math.max(now.getTime(), firstDay.toMillis())), { zone: at.zone });
  return nextSlotAtOrAfter(from, frequency, at);
}

/** A zone the portal accepts: one the runtime knows by its IANA name (the database is asked too). */
export function isKnownZone(zone: string): boolean {
  return zone.length <= 64 && /^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(zone) && IANAZone.isValidZone(zone);
}
