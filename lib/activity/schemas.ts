import { z } from 'zod';
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
  before?: { at: string; id: string };
};

type SearchParams = Record<string, string | string[] | undefined>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
const uuid = z.string().uuid();
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)));
const action = z.enum(ACTIVITY_ACTIONS);
const cursor = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z_[0-9a-f-]{36}$/)
  .transform((value) => {
    const [at, id] = value.split('_') as [string, string];
    return { at, id };
  })
  .refine((c) => !Number.isNaN(Date.parse(c.at)) && uuid.safeParse(c.id).success);

function optional<T>(schema: z.ZodType<T>, value: string | undefined): T | undefined {
  if (!value) return undefined;
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** Anything malformed in the URL is dropped, filter by filter: the page never fails on it. */
export function parseJournalParams(search: SearchParams): JournalParams {
  return {
    member: optional(uuid, first(search.membre)),
    client: optional(uuid, first(search.client)),
    action: optional(action, first(search.action)),
    from: optional(day, first(search.du)),
    to: optional(day, first(search.au)),
    before: optional(cursor, first(search.avant)),
  };
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
