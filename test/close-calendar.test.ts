import fc from 'fast-check';
import {
  easter,
  isWorkingDay,
  monthDeadline,
  nextWorkingDay,
  publicHolidays,
  workingDaysBefore,
  type CloseRules,
} from '@/lib/close/calendar';

const rules = (regime: CloseRules['regime'], dueDay = 19): CloseRules => ({
  regime,
  dueDay,
  closeWorkingDays: 3,
  franchiseDay: 15,
});
const months = (year: number) => Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);

describe('French public holidays', () => {
  it('finds Easter as the calendars print it', () => {
    expect([2024, 2025, 2026, 2027, 2028, 2038, 2285].map(easter)).toEqual([
      '2024-03-31',
      '2025-04-20',
      '2026-04-05',
      '2027-03-28',
      '2028-04-16',
      '2038-04-25',
      '2285-03-22',
    ]);
  });

  it('lists the eleven days of 2026', () => {
    expect([...publicHolidays(2026)].sort()).toEqual([
      '2026-01-01',
      '2026-04-06',
      '2026-05-01',
      '2026-05-08',
      '2026-05-14',
      '2026-05-25',
      '2026-07-14',
      '2026-08-15',
      '2026-11-01',
      '2026-11-11',
      '2026-12-25',
    ]);
  });

  it('counts working days around weekends and holidays', () => {
    expect(isWorkingDay('2026-05-14')).toBe(false); // Ascension
    expect(isWorkingDay('2026-05-16')).toBe(false); // Saturday
    expect(nextWorkingDay('2026-05-01')).toBe('2026-05-04');
    expect(nextWorkingDay('2026-12-25')).toBe('2026-12-28');
    expect(workingDaysBefore('2026-05-15', 3)).toBe('2026-05-11'); // over Ascension
    expect(workingDaysBefore('2027-01-04', 2)).toBe('2026-12-30'); // over the year's end and 1 January
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3650 }), fc.integer({ min: 0, max: 15 }), (offset, n) => {
        const day = new Date(Date.UTC(2024, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);
        const before = workingDaysBefore(day, n);
        expect(before <= day).toBe(true);
        if (n > 0) expect(isWorkingDay(before)).toBe(true);
      }),
    );
  });
});

describe('when a month closes, by VAT regime', () => {
  it('réel normal mensuel: a CA3 each month on the client’s day, the close 3 working days before', () => {
    expect(months(2026).map((m) => [m, monthDeadline(m, rules('mensuel', 15))])).toEqual([
      ['2026-01', { kind: 'ca3', due: '2026-02-16', close: '2026-02-11' }], // 15 Feb is a Sunday
      ['2026-02', { kind: 'ca3', due: '2026-03-16', close: '2026-03-11' }],
      ['2026-03', { kind: 'ca3', due: '2026-04-15', close: '2026-04-10' }], // over Easter Monday
      ['2026-04', { kind: 'ca3', due: '2026-05-15', close: '2026-05-11' }], // over Ascension
      ['2026-05', { kind: 'ca3', due: '2026-06-15', close: '2026-06-10' }],
      ['2026-06', { kind: 'ca3', due: '2026-07-15', close: '2026-07-09' }], // over 14 July
      ['2026-07', { kind: 'ca3', due: '2026-08-17', close: '2026-08-12' }], // 15 Aug, Saturday and a holiday
      ['2026-08', { kind: 'ca3', due: '2026-09-15', close: '2026-09-10' }],
      ['2026-09', { kind: 'ca3', due: '2026-10-15', close: '2026-10-12' }],
      ['2026-10', { kind: 'ca3', due: '2026-11-16', close: '2026-11-10' }], // over 11 November
      ['2026-11', { kind: 'ca3', due: '2026-12-15', close: '2026-12-10' }],
      ['2026-12', { kind: 'ca3', due: '2027-01-15', close: '2027-01-12' }], // into the next year
    ]);
    expect(monthDeadline('2026-11', rules('mensuel', 24))).toEqual({
      kind: 'ca3',
      due: '2026-12-24',
      close: '2026-12-21',
    });
  });

  it('réel normal trimestriel: the months of a quarter close for its return', () => {
    const due = months(2026).map((m) => monthDeadline(m, rules('trimestriel', 19)).due);
    expect(due).toEqual([
      ...Array(3).fill('2026-04-20'), // 19 April 2026 is a Sunday
      ...Array(3).fill('2026-07-20'), // the 19th is a Sunday
      ...Array(3).fill('2026-10-19'),
      ...Array(3).fill('2027-01-19'),
    ]);
    expect(monthDeadline('2026-12', rules('trimestriel', 19))).toMatchObject({
      kind: 'ca3_trimestre',
      close: '2027-01-14',
    });
  });

  it('réel simplifié: the July and December instalments, then the CA12 in May', () => {
    const deadlines = months(2026).map((m) => monthDeadline(m, rules('simplifie', 22)));
    expect(deadlines.map((d) => `${d.kind} ${d.due}`)).toEqual([
      ...Array(6).fill('acompte 2026-07-22'),
      ...Array(5).fill('acompte 2026-12-22'),
      'ca12 2027-05-04', // 1 May 2027 is a Saturday: Monday 3, Tuesday 4
    ]);
    expect(monthDeadline('2025-12', rules('simplifie')).due).toBe('2026-05-05'); // 1 May 2026 a Friday
  });

  it('franchise en base: the firm’s day of the next month', () => {
    expect(months(2026).map((m) => monthDeadline(m, rules('franchise')).due)).toEqual([
      '2026-02-16',
      '2026-03-16',
      '2026-04-15',
      '2026-05-15',
      '2026-06-15',
      '2026-07-15',
      '2026-08-17',
      '2026-09-15',
      '2026-10-15',
      '2026-11-16',
      '2026-12-15',
      '2027-01-15',
    ]);
  });

  it('always closes on a working day, before its due date, after the month ends', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2000, max: 2100 }),
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom('mensuel', 'trimestriel', 'simplifie', 'franchise' as const),
        fc.integer({ min: 15, max: 24 }),
        fc.integer({ min: 0, max: 10 }),
        (year, month, regime, dueDay, closeWorkingDays) => {
          const m = `${year}-${String(month).padStart(2, '0')}`;
          const d = monthDeadline(m, { regime, dueDay, closeWorkingDays, franchiseDay: 15 });
          expect(isWorkingDay(d.due)).toBe(true);
          expect(d.close <= d.due).toBe(true);
          expect(d.due > `${m}-31`).toBe(true);
        },
      ),
    );
  });
});
