import { z } from 'zod';
import { invalid } from '@/lib/server/i18n/validation';
import { isValidSiren, normalizeSiren } from '@/lib/onboarding/siren';
import { withoutControlCharacters } from '@/lib/server/text';
import { BULK_MAX, PAGE_SIZE, PAGE_SIZES } from '@/lib/clients/schemas';
import { VAT_REGIMES } from './calendar';
import type { BoardParams } from './board';

export const vatRegimeSchema = z.object({
  clientId: z.string().uuid(invalid('clientNotFound')),
  // The FEC carries it in its name: set here when the invitation did not.
  siren: z
    .string()
    .transform(normalizeSiren)
    .refine((value) => value === '' || isValidSiren(value), invalid('sirenInvalid')),
  regime: z.enum(VAT_REGIMES, invalid('invalidChoice')),
  dueDay: z.coerce
    .number(invalid('vatDueDay'))
    .int(invalid('vatDueDay'))
    .min(15, invalid('vatDueDay'))
    .max(24, invalid('vatDueDay')),
});

export const closeRulesSchema = z.object({
  closeWorkingDays: z.coerce
    .number(invalid('closeWorkingDays'))
    .int(invalid('closeWorkingDays'))
    .min(0, invalid('closeWorkingDays'))
    .max(15, invalid('closeWorkingDays')),
  franchiseCloseDay: z.coerce
    .number(invalid('franchiseCloseDay'))
    .int(invalid('franchiseCloseDay'))
    .min(1, invalid('franchiseCloseDay'))
    .max(28, invalid('franchiseCloseDay')),
});

// « La clôture du mois »: the board's state in its URL (French words, like the Clients page's).
const STATUS_WORDS = { todo: 'a-faire', in_progress: 'en-cours', ready: 'prete', closed: 'cloturee' } as const;
const SORT_WORDS = { due: 'echeance', vat: 'tva', missing: 'recus', to_code: 'a-coder' } as const;

type SearchParams = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function fromWord<K extends string>(words: Record<K, string>, word: string | undefined): K | undefined {
  return (Object.keys(words) as K[]).find((key) => words[key] === word);
}

const uuid = z.string().uuid();
const page = z.coerce.number().int().min(1).max(100_000).catch(1);
const size = z.coerce
  .number()
  .pipe(z.union(PAGE_SIZES.map((n) => z.literal(n)) as [z.ZodLiteral<25>, z.ZodLiteral<50>, z.ZodLiteral<100>]))
  .catch(PAGE_SIZE);

/** The board's state, read from the URL; anything unknown or malformed becomes the default. */
export function parseBoardParams(search: SearchParams, months: readonly string[]): BoardParams {
  const month = first(search.mois);
  const person = (value: string | undefined) => (uuid.safeParse(value).success ? value : undefined);
  return {
    month: month && months.includes(month) ? month : months[0]!,
    status: fromWord(STATUS_WORDS, first(search.statut)),
    preparer: person(first(search.preparateur)),
    reviewer: person(first(search.reviseur)),
    group: person(first(search.groupe)),
    late: first(search.retard) === '1',
    week: first(search.semaine) === '1',
    sort: fromWord(SORT_WORDS, first(search.tri)) ?? 'due',
    page: page.parse(first(search.page) ?? 1),
    size: size.parse(first(search.taille) ?? PAGE_SIZE),
  };
}

/** The board's URL for a state, leaving out what equals the default. */
export function boardHref(params: BoardParams, months: readonly string[], change: Partial<BoardParams> = {}): string {
  const next = { ...params, ...change };
  const query = new URLSearchParams();
  if (next.month !== months[0]) query.set('mois', next.month);
  if (next.status) query.set('statut', STATUS_WORDS[next.status]);
  if (next.preparer) query.set('preparateur', next.preparer);
  if (next.reviewer) query.set('reviseur', next.reviewer);
  if (next.group) query.set('groupe', next.group);
  if (next.late) query.set('retard', '1');
  if (next.week) query.set('semaine', '1');
  if (next.sort !== 'due') query.set('tri', SORT_WORDS[next.sort]);
  if (next.size !== PAGE_SIZE) query.set('taille', String(next.size));
  if (next.page !== 1) query.set('page', String(next.page));
  const text = query.toString();
  return text ? `/cloture?${text}` : '/cloture';
}

export const BOARD_STATUS_WORDS = STATUS_WORDS;
export const BOARD_SORT_WORDS = SORT_WORDS;

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, invalid('invalidMonth'));
const reason = z
  .string()
  .transform((value) => withoutControlCharacters(value).trim())
  .pipe(z.string().max(500));

/** « Clôturer le mois »: the reason is an admin's, when a check still fails. */
export const closeMonthSchema = z.object({
  clientId: z.string().uuid(invalid('clientNotFound')),
  month,
  reason: reason.optional().default(''),
});

/** « Rouvrir »: an admin's, always with a reason. */
export const reopenMonthSchema = z.object({
  clientId: z.string().uuid(invalid('clientNotFound')),
  month,
  reason: reason.pipe(z.string().min(1, invalid('closeReasonRequired'))),
});

/** The board's bulk bar: a preparer and/or a reviewer for the ticked clients. */
export const closeRolesSchema = z.object({
  clientIds: z.preprocess(
    (value) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value]),
    z
      .array(z.string().uuid(invalid('clientNotFound')))
      .min(1, invalid('chooseClients'))
      .max(BULK_MAX, invalid('tooManyClients')),
  ),
  preparerId: z.union([z.literal(''), z.string().uuid(invalid('memberUnknown'))]).default(''),
  reviewerId: z.union([z.literal(''), z.string().uuid(invalid('memberUnknown'))]).default(''),
});
