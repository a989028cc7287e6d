// When a client's month must be closed: the VAT return it feeds, from the client's VAT regime, and
// the firm's margin before it, counted in working days (French public holidays excluded).
//
// The returns (Code général des impôts, art. 287; BOI-TVA-DECLA-20-10):
// - réel normal, mensuel: a CA3 for each month, due in the next month on the client's day (between
//   the 15th and the 24th, set by the tax office from the company's form and SIREN);
// - réel normal, trimestriel (annual VAT under 4,000 €): a CA3 for each quarter, due on the
//   client's day of the month after the quarter — each month of the quarter closes for it;
// - réel simplifié: one CA12 for the year, due the second working day after 1 May of the next year,
//   with two instalments (acomptes) in July and December on the client's day: January–June close
//   for the July one, July–November for the December one, December for the CA12;
// - franchise en base: no return: the month closes on the firm's own day of the next month.
// A due date on a Saturday, Sunday or public holiday moves to the next working day (payments by
// télérèglement follow it). The month's close is due `closeWorkingDays` working days before.
//
// Dates are calendar days (« 2026-05-15 »), computed in UTC so that no time zone moves them.

export const VAT_REGIMES = ['mensuel', 'trimestriel', 'simplifie', 'franchise'] as const;
export type VatRegime = (typeof VAT_REGIMES)[number];

export type CloseRules = {
  regime: VatRegime;
  /** The client's day for its returns and instalments, 15 to 24. */
  dueDay: number;
  /** Working days between the close and the due date (the firm's rule). */
  closeWorkingDays: number;
  /** For a client without returns: the day of the next month the firm closes on. */
  franchiseDay: number;
};

const DAY = 86_400_000;

function utc(year: number, month: number, day: number): Date {
  return new Date(Date.UTC(year, month - 1, day));
}

function iso(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function parse(isoDate: string): Date {
  const [y, m, d] = isoDate.split('-').map(Number);
  return utc(y!, m!, d!);
}

/** Easter Sunday of a Gregorian year (the anonymous algorithm, Meeus/Jones/Butcher). */
export function easter(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return iso(utc(year, month, day));
}

const holidayCache = new Map<number, Set<string>>();

/**
 * The eleven public holidays of the Code du travail (art. L3133-1) in a year. (Alsace-Moselle's
 * two more, Good Friday and 26 December, are not counted: the firm's rule is national.)
 */
export function publicHolidays(year: number): Set<string> {
  let days = holidayCache.get(year);
  if (!days) {
    const sunday = parse(easter(year)).getTime();
    const afterEaster = (n: number) => iso(new Date(sunday + n * DAY));
    days = new Set([
      `${year}-01-01`,
      afterEaster(1), // lundi de Pâques
      `${year}-05-01`,
      `${year}-05-08`,
      afterEaster(39), // Ascension
      afterEaster(50), // lundi de Pentecôte
      `${year}-07-14`,
      `${year}-08-15`,
      `${year}-11-01`,
      `${year}-11-11`,
      `${year}-12-25`,
    ]);
    holidayCache.set(year, days);
  }
  return days;
}

export function isWorkingDay(isoDate: string): boolean {
  const date = parse(isoDate);
  const weekday = date.getUTCDay();
  return weekday !== 0 && weekday !== 6 && !publicHolidays(date.getUTCFullYear()).has(isoDate);
}

/** The day itself if it is a working day, else the next one. */
export function nextWorkingDay(isoDate: string): string {
  let date = parse(isoDate);
  while (!isWorkingDay(iso(date))) date = new Date(date.getTime() + DAY);
  return iso(date);
}

/** `count` working days before a day (0: the day itself). */
export function workingDaysBefore(isoDate: string, count: number): string {
  let date = parse(isoDate);
  for (let left = count; left > 0;) {
    date = new Date(date.getTime() - DAY);
    if (isWorkingDay(iso(date))) left -= 1;
  }
  return iso(date);
}

/** The return (or instalment) a month's close is for, and when it is due. */
export type Deadline = { kind: 'ca3' | 'ca3_trimestre' | 'acompte' | 'ca12' | 'franchise'; due: string; close: string };

/** For the month `month` (« 2026-11 ») of a client: its return's due date and the close's. */
export function monthDeadline(month: string, rules: CloseRules): Deadline {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const next = (y: number, mo: number) => (mo === 12 ? [y + 1, 1] : [y, mo + 1]) as [number, number];
  let kind: Deadline['kind'];
  let due: string;
  switch (rules.regime) {
    case 'mensuel': {
      const [y, mo] = next(year, m);
      kind = 'ca3';
      due = iso(utc(y, mo, rules.dueDay));
      break;
    }
    case 'trimestriel': {
      const quarterEnd = Math.ceil(m / 3) * 3;
      const [y, mo] = next(year, quarterEnd);
      kind = 'ca3_trimestre';
      due = iso(utc(y, mo, rules.dueDay));
      break;
    }
    case 'simplifie': {
      if (m <= 6) {
        kind = 'acompte';
        due = iso(utc(year, 7, rules.dueDay));
      } else if (m <= 11) {
        kind = 'acompte';
        due = iso(utc(year, 12, rules.dueDay));
      } else {
        // The CA12: the second working day after 1 May of the next year.
        kind = 'ca12';
        due = workingDaysAfter(`${year + 1}-05-01`, 2);
      }
      break;
    }
    case 'franchise': {
      const [y, mo] = next(year, m);
      kind = 'franchise';
      due = iso(utc(y, mo, rules.franchiseDay));
      break;
    }
  }
  const dueWorking = nextWorkingDay(due);
  return { kind, due: dueWorking, close: workingDaysBefore(dueWorking, rules.closeWorkingDays) };
}

/** `count` working days after a day. */
function workingDaysAfter(isoDate: string, count: number): string {
  let date = parse(isoDate);
  for (let left = count; left > 0;) {
    date = new Date(date.getTime() + DAY);
    if (isWorkingDay(iso(date))) left -= 1;
  }
  return iso(date);
}
