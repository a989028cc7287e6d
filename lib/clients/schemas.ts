import { z } from 'zod';
import { invalid } from '@/lib/server/i18n/validation';
import { withoutControlCharacters } from '@/lib/server/text';

export const CLIENT_TABS = ['invitations', 'integration', 'mes-clients', 'tous'] as const;
export const CLIENT_SORTS = ['name', 'missing', 'ready', 'balance', 'vat', 'echeance'] as const;
/** Rows per page: 25 by default, 50 or 100 by choice (`taille` in the URL). */
export const PAGE_SIZES = [25, 50, 100] as const;
export const PAGE_SIZE = PAGE_SIZES[0];
const MAX_PAGE = 100_000;
export const MAX_SEARCH_LENGTH = 100;
/** The columns one may hide (`colonnes` in the URL lists those shown; the name always is). */
export const CLIENT_COLUMNS = ['recus', 'export', 'solde', 'tva', 'echeance', 'comptables'] as const;
export type ClientColumn = (typeof CLIENT_COLUMNS)[number];

export type ClientTab = (typeof CLIENT_TABS)[number];
type ClientSort = (typeof CLIENT_SORTS)[number];
type SortDirection = 'asc' | 'desc';

export type ClientListParams = {
  tab: ClientTab;
  q: string;
  missingOnly: boolean;
  /** « En retard »: the month to close is past its close date and not closed. */
  lateOnly: boolean;
  /** A client group's id (`groupe`): the page checks that the viewer sees it (lib/groups). */
  group?: string;
  sort: ClientSort;
  dir: SortDirection;
  page: number;
  size: (typeof PAGE_SIZES)[number];
  /** The optional columns shown, in the table's order: all by default. */
  columns: readonly ClientColumn[];
};

type SearchParams = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

// Each parameter falls back to its default on its own: a bad `page` keeps the search.
const tab = z.enum(CLIENT_TABS).catch('mes-clients');
const sort = z.enum(CLIENT_SORTS).catch('name');
const dir = z.enum(['asc', 'desc']).catch('asc');
const page = z.coerce.number().int().min(1).max(MAX_PAGE).catch(1);
const groupId = z.string().uuid();
const size = z.coerce
  .number()
  .pipe(z.union(PAGE_SIZES.map((n) => z.literal(n)) as [z.ZodLiteral<25>, z.ZodLiteral<50>, z.ZodLiteral<100>]))
  .catch(PAGE_SIZE);

/** The Clients page state, read from the URL; anything unknown or malformed becomes the default. */
export function parseClientListParams(searchParams: SearchParams): ClientListParams {
  // A NUL byte would make PostgreSQL refuse the query: control characters are dropped, not sent.
  const q = withoutControlCharacters(first(searchParams.q) ?? '')
    .trim()
    .slice(0, MAX_SEARCH_LENGTH);
  return {
    tab: tab.parse(first(searchParams.tab)),
    q,
    missingOnly: first(searchParams.missing) === '1',
    lateOnly: first(searchParams.retard) === '1',
    group: groupId.safeParse(first(searchParams.groupe)).data,
    sort: sort.parse(first(searchParams.sort)),
    dir: dir.parse(first(searchParams.dir)),
    page: page.parse(first(searchParams.page) ?? 1),
    size: size.parse(first(searchParams.taille) ?? PAGE_SIZE),
    columns: parseColumns(searchParams.colonnes),
  };
}

/** `colonnes=recus,solde` (or repeated, from the form's checkboxes): the columns shown; absent, all. */
function parseColumns(value: string | string[] | undefined): readonly ClientColumn[] {
  if (value === undefined) return CLIENT_COLUMNS;
  const named = new Set((Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')));
  return CLIENT_COLUMNS.filter((column) => named.has(column));
}

/** The query of the Clients page for a state, leaving out what equals the default. */
export function clientListQuery(params: ClientListParams, change: Partial<ClientListParams> = {}): URLSearchParams {
  const next = { ...params, ...change };
  const query = new URLSearchParams();
  if (next.tab !== 'mes-clients') query.set('tab', next.tab);
  if (next.q) query.set('q', next.q);
  if (next.missingOnly) query.set('missing', '1');
  if (next.lateOnly) query.set('retard', '1');
  if (next.group) query.set('groupe', next.group);
  if (next.sort !== 'name') query.set('sort', next.sort);
  if (next.dir !== 'asc') query.set('dir', next.dir);
  if (next.size !== PAGE_SIZE) query.set('taille', String(next.size));
  if (next.page !== 1) query.set('page', String(next.page));
  // « nom »: the name alone, when every optional column is hidden.
  if (next.columns.length !== CLIENT_COLUMNS.length) query.set('colonnes', next.columns.join(',') || 'nom');
  return query;
}

/** The URL of the Clients page for a state. */
export function clientListHref(params: ClientListParams, change: Partial<ClientListParams> = {}): string {
  const search = clientListQuery(params, change).toString();
  return search ? `/clients?${search}` : '/clients';
}

/**
 * How many clients one bulk action may touch: the ticked rows (across pages) or « Tout
 * sélectionner (n) » over the filtered list, offered only while the list's count is exact.
 */
export const BULK_MAX = 1000;

const selectedClients = z.preprocess(
  (value) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value]),
  z.array(z.string().uuid(invalid('clientNotFound'))).max(BULK_MAX, invalid('tooManyClients')),
);

/**
 * What the bulk bar acts on: the ticked rows, or (`scope=filter`) every client of the filtered
 * list the page showed — the tab, search and « Reçus manquants » it was showing, and how many
 * clients it counted then (`expected`), so that the server acts only on the list the user saw.
 */
const target = {
  clientIds: selectedClients,
  scope: z.enum(['selection', 'filter']).catch('selection'),
  tab: z.string().optional(),
  q: z.string().optional(),
  missing: z.string().optional(),
  groupe: z.string().optional(),
  expected: z.coerce.number().int().min(1).max(BULK_MAX).optional().catch(undefined),
};

/** The Clients page's bulk bar: the ticked rows (or the filtered list) and the button pressed. */
export const bulkClientsSchema = z
  .discriminatedUnion('op', [
    z.object({ op: z.literal('assign'), ...target, userId: z.string().uuid(invalid('chooseAccountant')) }),
    z.object({ op: z.literal('group'), ...target, groupId: z.string().uuid(invalid('chooseGroup')) }),
    z.object({
      op: z.literal('receipts'),
      ...target,
      // Set when the page is rendered: the same form sent again (a double click, a retry after a
      // failure) sends what is not sent yet, and nothing twice.
      formToken: z.string().uuid(invalid('formExpired')),
    }),
    z.object({
      op: z.literal('subscribe'),
      ...target,
      frequency: z.enum(['daily', 'weekly', 'monthly'], invalid('chooseFrequency')),
    }),
  ])
  .superRefine((input, ctx) => {
    if (input.scope === 'selection' && input.clientIds.length === 0)
      ctx.addIssue({ code: 'custom', path: ['clientIds'], ...invalid('selectClients') });
    if (input.scope === 'filter' && input.expected === undefined)
      ctx.addIssue({ code: 'custom', path: ['expected'], ...invalid('selectClients') });
  });
