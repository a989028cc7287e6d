import { DateTime } from 'luxon';

// Which expense a document that arrived without naming one (a receipt forwarded to the client's
// address) belongs to: by amount, date and merchant. A match is automatic only when exactly one
// expense fits on all three and no other of the same amount could be meant; otherwise the best fit
// is a suggestion for the accountant to confirm in the inbox, or nothing.
//
// Measured on a labelled set (test/fixtures/match-pairs.json) by `npm run bench:match`.

/** What the portal could read of a document: exact for a Factur-X invoice, else found in its text. */
export type Evidence = {
  /** Amounts the document states, in cents (a credit note's negative): one for an invoice. */
  amounts: { cents: number; currency?: string }[];
  /** The date it states (an invoice's BT-2), or none: then `receivedOn` stands in. */
  date?: string;
  receivedOn: string;
  /** Words that may name the merchant: the seller's name, the subject, the file's name, the text. */
  text: string;
  /** A Factur-X invoice: its amount, date and seller are facts, not guesses. */
  exact: boolean;
};

export type Candidate = { id: string; amountCents: number; currency: string; spentOn: string; merchant: string };

export type MatchResult =
  { kind: 'auto'; expenseId: string } | { kind: 'suggestion'; expenseId: string } | { kind: 'none' };

/** The search window around the document's date, in days, for the candidates to load. */
export const MATCH_WINDOW_DAYS = 45;

const NOISE = new Set([
  'sas',
  'sarl',
  'sa',
  'eurl',
  'sasu',
  'ltd',
  'inc',
  'gmbh',
  'the',
  'les',
  'des',
  'and',
  'www',
  'com',
  'fr',
  'eu',
  'france',
  'paris',
  'facture',
  'recu',
  'ticket',
  'votre',
  'your',
  'fwd',
  'tr',
  'pdf',
  'jpg',
]);

/** Lower case, accents off, anything not a letter or a digit a space. */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

function merchantTokens(merchant: string): string[] {
  return foldText(merchant)
    .split(' ')
    .filter((t) => t.length >= 3 && !NOISE.has(t) && !/^\d+$/.test(t));
}

/**
 * How much of the merchant's name the document's words hold, 0 to 1: each significant word of the
 * name found as a word of the text, or as the start of one (« boulang » in « boulangerie ») —
 * and the name written without spaces found in the text written without spaces (« bureauvallee »).
 */
export function merchantScore(merchant: string, foldedText: string): number {
  const tokens = merchantTokens(merchant);
  if (tokens.length === 0) return 0;
  const compact = foldedText.replace(/ /g, '');
  const name = tokens.join('');
  if (name.length >= 5 && compact.includes(name)) return 1;
  const words = new Set(foldedText.split(' '));
  let found = 0;
  for (const token of tokens) {
    if (words.has(token)) found += 1;
    else if (token.length >= 4 && [...words].some((w) => w.length >= 4 && (w.startsWith(token) || token.startsWith(w))))
      found += 1;
  }
  return found / tokens.length;
}

function daysBetween(a: string, b: string): number {
  const from = DateTime.fromISO(a, { zone: 'utc' });
  const to = DateTime.fromISO(b, { zone: 'utc' });
  return Math.abs(Math.round(to.diff(from, 'days').days));
}

type Scored = { candidate: Candidate; amount: boolean; merchant: number; days: number };

function amountFits(evidence: Evidence, candidate: Candidate): boolean {
  return evidence.amounts.some(
    (a) => a.cents === candidate.amountCents && (a.currency === undefined || a.currency === candidate.currency),
  );
}

/**
 * The decision. Strong evidence for one expense: its amount (and currency, when stated), its
 * merchant (at least half the name's words, all of them when the document is not an invoice and
 * states no date), and its date (within 3 days of the date stated, or the expense no more than 45
 * days before the document arrived and no later than it). Automatic only when exactly one expense is
 * strong and no other of the same amount names the same merchant (a subscription billed every
 * month is told apart by its date only when the document states one).
 */
export function matchDocument(evidence: Evidence, candidates: Candidate[]): MatchResult {
  const text = foldText(evidence.text);
  const reference = evidence.date ?? evidence.receivedOn;
  const scored: Scored[] = candidates.map((candidate) => ({
    candidate,
    amount: amountFits(evidence, candidate),
    merchant: merchantScore(candidate.merchant, text),
    days: daysBetween(candidate.spentOn, reference),
  }));
  const dateFits = (s: Scored) =>
    evidence.date ? s.days <= 3 : s.candidate.spentOn <= evidence.receivedOn && s.days <= MATCH_WINDOW_DAYS;
  const strong = scored.filter(
    (s) => s.amount && dateFits(s) && (evidence.date || evidence.exact ? s.merchant >= 0.5 : s.merchant >= 1),
  );
  if (strong.length === 1) {
    const [only] = strong;
    const rivals = scored.filter(
      (s) => s !== only && s.amount && s.merchant >= 0.5 && (evidence.date ? s.days <= 10 : true),
    );
    if (rivals.length === 0) return { kind: 'auto', expenseId: only!.candidate.id };
  }
  // A suggestion: the same amount first, then the merchant, then the nearest date. Without a date
  // stated, an expense of that amount spent in the weeks before the document arrived.
  const ranked = scored
    .filter(
      (s) =>
        (s.amount && (s.merchant > 0 || (evidence.date ? s.days <= 7 : dateFits(s)))) ||
        (s.merchant >= 0.5 && s.days <= 3),
    )
    .sort(
      (a, b) =>
        Number(b.amount) - Number(a.amount) ||
        Number(b.merchant >= 0.5) - Number(a.merchant >= 0.5) ||
        a.days - b.days ||
        b.merchant - a.merchant,
    );
  const best = ranked[0];
  return best ? { kind: 'suggestion', expenseId: best.candidate.id } : { kind: 'none' };
}

const CURRENCIES: Record<string, string> = {
  '€': 'EUR',
  eur: 'EUR',
  $: 'USD',
  usd: 'USD',
  '£': 'GBP',
  gbp: 'GBP',
  chf: 'CHF',
};
const MONTHS = [
  'janvier',
  'fevrier',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'aout',
  'septembre',
  'octobre',
  'novembre',
  'decembre',
];

function validDate(year: number, month: number, day: number): string | undefined {
  const date = DateTime.fromObject({ year, month, day }, { zone: 'utc' });
  return date.isValid && year >= 2000 && year <= 2100 ? date.toISODate()! : undefined;
}

/**
 * What a document's words say: the amounts written with a currency (« 45,90 € », « EUR 1 234.50 »,
 * « -12,00 € » for a credit note) and the first date written in full (« 03/11/2026 »,
 * « 2026-11-03 », « 3 novembre 2026 »). Nothing is guessed from a bare number.
 */
export function evidenceFromText(text: string, receivedOn: string): Evidence {
  const amounts: Evidence['amounts'] = [];
  const number = String.raw`(-?)\s?(\d{1,3}(?:[ \u00a0\u202f.]\d{3})+|\d+)[,.](\d{2})(?!\d)`;
  const symbol = String.raw`(€|EUR|USD|\$|£|GBP|CHF)`;
  const after = new RegExp(`${number}\\s?${symbol}`, 'gi');
  const before = new RegExp(`${symbol}\\s?${number}`, 'gi');
  const push = (sign: string, whole: string, cents: string, currency: string) => {
    const value = Number(whole.replace(/[^\d]/g, '')) * 100 + Number(cents);
    if (Number.isSafeInteger(value))
      amounts.push({ cents: sign === '-' ? -value : value, currency: CURRENCIES[currency.toLowerCase()] });
  };
  for (const m of text.matchAll(after)) push(m[1]!, m[2]!, m[3]!, m[4]!);
  for (const m of text.matchAll(before)) push(m[2]!, m[3]!, m[4]!, m[1]!);

  let date: string | undefined;
  const folded = foldText(text);
  const numeric = /\b(\d{1,2})[/.-](\d{1,2})[/.-](20\d{2})\b/.exec(text);
  const iso = /\b(20\d{2})-(\d{2})-(\d{2})\b/.exec(text);
  const spelled = new RegExp(`\\b(\\d{1,2}) (${MONTHS.join('|')}) (20\\d{2})\\b`).exec(folded);
  if (iso) date = validDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  else if (numeric) date = validDate(Number(numeric[3]), Number(numeric[2]), Number(numeric[1]));
  else if (spelled) date = validDate(Number(spelled[3]), MONTHS.indexOf(spelled[2]!) + 1, Number(spelled[1]));
  return { amounts, date, receivedOn, text, exact: false };
}

/** A Factur-X invoice's facts as evidence: its total (negative for a credit note), date and seller. */
export function evidenceFromInvoice(
  invoice: { totalCents: number; currency: string; issuedOn: string; sellerName: string; creditNote: boolean },
  receivedOn: string,
  text: string,
): Evidence {
  return {
    amounts: [{ cents: invoice.creditNote ? -invoice.totalCents : invoice.totalCents, currency: invoice.currency }],
    date: invoice.issuedOn,
    receivedOn,
    text: `${invoice.sellerName} ${text}`,
    exact: true,
  };
}
