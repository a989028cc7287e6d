import { z } from 'zod';
import { invalid } from '@/lib/i18n/validation';
import { withoutControlCharacters } from '@/lib/text';

export const CLIENT_TABS = ['invitations', 'integration', 'mes-clients', 'tous'] as const;
export const CLIENT_SORTS = ['name', 'missing', 'ready', 'balance'] as const;
/** Rows per page: 25 by default, 50 or 100 by choice (`taille` in the URL). */
export const PAGE_SIZES = [25, 50, 100] as const;
export const PAGE_SIZE = PAGE_SIZES[0];
const MAX_PAGE = 100_000;
export const MAX_SEARCH_LENGTH = 100;

export type ClientTab = (typeof CLIENT_TABS)[number];
type ClientSort = (typeof CLIENT_SORTS)[number];
type SortDirection = 'asc' | 'desc';

export type ClientListParams = {
  tab: ClientTab;
  q: string;
  missingOnly: boolean;
  sort: ClientSort;
  dir: SortDirection;
  page: number;
  size: (typeof PAGE_SIZES)[number];
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
    sort: sort.parse(first(searchParams.sort)),
    dir: dir.parse(first(searchParams.dir)),
    page: page.parse(first(searchParams.page) ?? 1),
    size: size.parse(first(searchParams.taille) ?? PAGE_SIZE),
  };
}

/** The URL of the Clients page for a state, leaving out what equals the default. */
export function clientListHref(params: ClientListParams, change: Partial<ClientListParams> = {}): string {
  const next = { ...params, ...change };
  const query = new URLSearchParams();
  if (next.tab !== 'mes-clients') query.set('tab', next.tab);
  if (next.q) query.set('q', next.q);
  if (next.missingOnly) query.set('missing', '1');
  if (next.sort !== 'name') query.set('sort', next.sort);
  if (next.dir !== 'asc') query.set('dir', next.dir);
  if (next.size !== PAGE_SIZE) query.set('taille', String(next.size));
  if (next.page !== 1) query.set('page', String(next.page));
  const search = query.toString();
  return search ? `/clients?${search}` : '/clients';
}

const selectedClients = z.preprocess(
  (value) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value]),
  z
    .array(z.string().uuid(invalid('clientNotFound')))
    .min(1, invalid('selectClients'))
    .max(500, invalid('tooManyClients')),
);

/** The Clients page's bulk bar: the ticked rows and the button pressed (« Attribuer » or « Recevoir »). */
export const bulkClientsSchema = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('assign'),
    clientIds: selectedClients,
    userId: z.string().uuid(invalid('chooseAccountant')),
  }),
  z.object({
    op: z.literal('subscribe'),
    clientIds: selectedClients,
    frequency: z.enum(['daily', 'weekly', 'monthly'], invalid('chooseFrequency')),
  }),
]);
