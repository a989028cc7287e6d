import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  dueFrequencies,
  firstSlotAfter,
  nextDelivery,
  nextSlotAtOrAfter,
  parisDay,
} from '@/lib/notifications/schedule';
import { en, fr } from './i18n';

const at = (iso: string) => new Date(iso);
const utc = (slot: DateTime) => slot.toUTC().toISO();

describe('10:00 Paris across the DST changes', () => {
  // 2026-03-29: clocks go forward; 2026-10-25: clocks go back.
  it.each([
    ['2026-03-27T09:00:00.000Z', 'Friday before spring change, winter time'],
    ['2026-03-30T08:00:00.000Z', 'Monday after spring change, summer time'],
    ['2026-10-23T08:00:00.000Z', 'Friday before autumn change, summer time'],
    ['2026-10-26T09:00:00.000Z', 'Monday after autumn change, winter time'],
  ])('the slot is at %s (%s)', (slotUtc) => {
    const { slot, frequencies } = dueFrequencies(at(slotUtc));
    expect(utc(slot)).toBe(slotUtc);
    expect(frequencies).toContain('daily');
    expect(dueFrequencies(new Date(at(slotUtc).getTime() - 1)).frequencies).toEqual([]);
  });

  it('has no slot on the weekend of a change', () => {
    for (const day of ['2026-03-28', '2026-03-29', '2026-10-24', '2026-10-25']) {
      expect(dueFrequencies(at(`${day}T15:00:00Z`)).frequencies).toEqual([]);
    }
  });

  it('daily on weekdays, weekly on Mondays, monthly on the first Monday', () => {
    expect(dueFrequencies(at('2026-03-30T12:00:00Z')).frequencies).toEqual(['daily', 'weekly']);
    expect(dueFrequencies(at('2026-10-26T12:00:00Z')).frequencies).toEqual(['daily', 'weekly']);
    expect(dueFrequencies(at('2026-10-23T12:00:00Z')).frequencies).toEqual(['daily']);
    // June 2026: the 1st is a Monday.
    expect(dueFrequencies(at('2026-06-01T08:00:00Z')).frequencies).toEqual(['daily', 'weekly', 'monthly']);
    // September 2026: the first Monday is the 7th.
    expect(dueFrequencies(at('2026-09-07T08:00:00Z')).frequencies).toEqual(['daily', 'weekly', 'monthly']);
    expect(dueFrequencies(at('2026-09-14T08:00:00Z')).frequencies).toEqual(['daily', 'weekly']);
  });

  it('takes the Paris day, not the UTC day', () => {
    expect(parisDay(at('2026-11-29T23:30:00Z'))).toBe('2026-11-30');
  });
});

describe('the first e-mail of a new subscription', () => {
  // Week of Monday 2026-11-23 (winter: 10:00 Paris = 09:00Z); next Monday is 2026-11-30.
  it.each([
    ['2026-11-23T08:59:00Z', '2026-11-23T09:00:00.000Z', 'Monday 09:59'],
    ['2026-11-23T09:00:00Z', '2026-11-30T09:00:00.000Z', 'Monday 10:00'],
    ['2026-11-23T09:01:00Z', '2026-11-30T09:00:00.000Z', 'Monday 10:01'],
    ['2026-11-24T12:00:00Z', '2026-11-30T09:00:00.000Z', 'Tuesday'],
    ['2026-11-25T12:00:00Z', '2026-11-30T09:00:00.000Z', 'Wednesday'],
    ['2026-11-26T12:00:00Z', '2026-11-30T09:00:00.000Z', 'Thursday'],
    ['2026-11-27T12:00:00Z', '2026-11-30T09:00:00.000Z', 'Friday'],
    ['2026-11-28T12:00:00Z', '2026-11-30T09:00:00.000Z', 'Saturday'],
    ['2026-11-29T22:59:59Z', '2026-11-30T09:00:00.000Z', 'Sunday 23:59'],
  ])('switched on %s: daily and weekly start %s (%s)', (enabled, expected) => {
    expect(utc(firstSlotAfter(at(enabled), 'daily'))).toBe(expected);
    expect(utc(firstSlotAfter(at(enabled), 'weekly'))).toBe(expected);
  });

  it('monthly waits for the first Monday of a month', () => {
    // Switched on Tuesday 2026-06-02: next Monday is June 8, not a first Monday; July 6 is.
    expect(utc(firstSlotAfter(at('2026-06-02T10:00:00Z'), 'monthly'))).toBe('2026-07-06T08:00:00.000Z');
    // Switched on Friday 2026-08-28: Monday 2026-08-31 is not first; September 7 is.
    expect(utc(firstSlotAfter(at('2026-08-28T10:00:00Z'), 'monthly'))).toBe('2026-09-07T08:00:00.000Z');
    // Switched on Friday 2026-05-29: Monday June 1 is the first Monday.
    expect(utc(firstSlotAfter(at('2026-05-29T10:00:00Z'), 'monthly'))).toBe('2026-06-01T08:00:00.000Z');
  });

  it('crosses the DST change to the right hour', () => {
    expect(utc(firstSlotAfter(at('2026-03-27T12:00:00Z'), 'weekly'))).toBe('2026-03-30T08:00:00.000Z');
    expect(utc(firstSlotAfter(at('2026-10-23T12:00:00Z'), 'weekly'))).toBe('2026-10-26T09:00:00.000Z');
  });

  it('says when in French', () => {
    const first = firstSlotAfter(at('2026-11-27T12:00:00Z'), 'daily');
    expect(fr.format.slot(first)).toBe('lundi 30 novembre à 10\u00a0h');
    // Daily after the first Monday: Tuesday.
    expect(fr.format.slot(nextDelivery(at('2026-12-01T07:00:00Z'), first.toJSDate(), 'daily'))).toBe(
      'mardi 1er décembre à 10\u00a0h',
    );
    expect(en.format.slot(first)).toBe('Monday 30 November at 10:00');
  });
});

describe('schedule properties over random instants', () => {
  const instants = fc.date({
    min: new Date('2025-01-01T00:00:00Z'),
    max: new Date('2030-12-31T00:00:00Z'),
    noInvalidDate: true,
  });
  const frequency = fc.constantFrom('daily' as const, 'weekly' as const, 'monthly' as const);

  it('never before 10:00 Paris, never on a weekend, never at or before the instant', () => {
    fc.assert(
      fc.property(instants, frequency, (instant, f) => {
        const slot = nextSlotAtOrAfter(DateTime.fromJSDate(instant, { zone: 'Europe/Paris' }), f);
        const paris = slot.setZone('Europe/Paris');
        return paris.hour === 10 && paris.minute === 0 && paris.weekday <= 5 && slot.toMillis() >= instant.getTime();
      }),
    );
  });

  it('a run sends at most one slot per Paris day, only from 10:00', () => {
    fc.assert(
      fc.property(instants, (instant) => {
        const { slot, frequencies } = dueFrequencies(instant);
        if (frequencies.length === 0) return true;
        const paris = DateTime.fromJSDate(instant, { zone: 'Europe/Paris' });
        return paris.hour >= 10 && paris.weekday <= 5 && slot.toISODate() === paris.toISODate();
      }),
    );
  });

  it('the first slot is a Monday or later, at 10:00, after switching on', () => {
    fc.assert(
      fc.property(instants, frequency, (instant, f) => {
        const first = firstSlotAfter(instant, f);
        return first.toMillis() > instant.getTime() && first.hour === 10 && (f !== 'weekly' || first.weekday === 1);
      }),
    );
  });
});
