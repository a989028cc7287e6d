import { z } from 'zod';
import type { PageCursor } from '@/db';
import { parsePageCursor, realDay } from '@/lib/server/page-cursor';
import { ACTIVITY_ACTIONS, type ActivityAction } from './record';

export const JOURNAL_PAGE_SIZE = 50;

/** The Journal's state, all in the URL: filters, and the keyset cursor of the page. */
export type JournalParams = {
  member?: string;
  client?: string;
  action?: ActivityAction;
  /** Paris calendar days, `yyyy-mm-dd`, both included. */
  from?: string;
  to?: string;
  /** The last row of the previous page: `<ISO instant>_<uuid>`. */
  before?: PageCursor;
  /** The filters of the URL that were not understood, and so not applied: the page says so. */
  ignored?: JournalFilter[];
};

type JournalFilter = 'member' | 'client' | 'action' | 'from' | 'to' | 'before';

type SearchParams = Record<string, string | string[] | undefined>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
const uuid = z.string().uuid();
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine(realDay);
const action = z.enum(ACTIVITY_ACTIONS);
// The page's keyset cursor (lib/server/page-cursor.ts): the previous page's last (instant, id).
const cursor = z
  .string()
  .refine((value) => parsePageCursor(value) !== undefined)
  .transform((value) => parsePageCursor(value)!);

/**
 * Anything malformed in the URL is dropped, filter by filter, and named in `ignored`: the page shows
 * the rows without it and says which filter it did not understand; the CSV refuses before its first
 * byte. Never a query built on what PostgreSQL would refuse (a 500, or a CSV cut after its 200).
 */
export function parseJournalParams(search: SearchParams): JournalParams {
  const ignored: JournalFilter[] = [];
  function optional<T>(filter: JournalFilter, schema: z.ZodType<T>, value: string | undefined): T | undefined {
    if (!value) return undefined;
    const parsed = schema.safeParse(value);
    if (!parsed.success) ignored.push(filter);
    return parsed.success ? parsed.data : undefined;
  }
  const params: JournalParams = {
    member: optional('member', uuid, first(search.membre)),
    client: optional('client', uuid, first(search.client)),
    action: optional('action', action, first(search.action)),
    from: optional('from', day, first(search.du)),
    to: optional('to', day, first(search.au)),
    before: optional('before', cursor, first(search.avant)),
  };
  return ignored.length > 0 ? { ...params, ignored } : params;
}

export function journalQuery(params: JournalParams, change: Partial<JournalParams> = {}): string {
  const next = { ...params, ...change };
  const query = new URLSearchParams();
  if (next.member) query.set('membre', next.member);
  if (next.client) query.set('client', next.client);
  if (next.action) query.set('action', next.action);
  if (next.from) query.set('du', next.from);
  if (next.to) query.set('au', next.to);
  if (next.before) query.set('avant', `${next.before.at}_${next.before.id}`);
  const text = query.toString();
  return text ? `?${text}` : '';
}
