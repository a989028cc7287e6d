import { sql, type SQL } from 'drizzle-orm';
import { afterCursor, cursorAt, queryRows } from '@/db';
import type { VisibleClient } from '@/lib/access/visibility';
import { TIME_ZONE } from '@/lib/server/i18n/translator';
import type { ActivityAction } from './record';
import { JOURNAL_PAGE_SIZE, type JournalParams } from './schemas';

export type ActivityRow = {
  id: string;
  at: Date;
  actorKind: 'user' | 'platform' | 'system' | 'recipient';
  actorId: string | null;
  actorName: string;
  action: ActivityAction;
  clientId: string | null;
  clientName: string | null;
  details: Record<string, string | number | boolean | null>;
};

type RawRow = {
  id: string;
  cursor_at: string;
  at: string | Date;
  actor_kind: ActivityRow['actorKind'];
  actor_id: string | null;
  actor_name: string;
  action: ActivityAction;
  client_id: string | null;
  client_name: string | null;
  details: ActivityRow['details'] | string;
};

function toRow(raw: RawRow): ActivityRow {
  return {
    id: raw.id,
    at: new Date(raw.at),
    actorKind: raw.actor_kind,
    actorId: raw.actor_id,
    actorName: raw.actor_name,
    action: raw.action,
    clientId: raw.client_id,
    clientName: raw.client_name,
    details: typeof raw.details === 'string' ? JSON.parse(raw.details) : raw.details,
  };
}

/**
 * The filters in SQL, always under the firm. Each filter has its index (firm, key, at, id), so a
 * page is an index scan that stops after its rows, whatever the size of the log.
 */
function conditions(firmId: string, params: JournalParams): SQL {
  const parts: SQL[] = [sql`firm_id = ${firmId}`];
  if (params.member) parts.push(sql`actor_id = ${params.member}`);
  if (params.client) parts.push(sql`client_id = ${params.client}`);
  if (params.action) parts.push(sql`action = ${params.action}`);
  // Calendar days in Paris, the first included, the last included.
  if (params.from) parts.push(sql`at >= (${params.from}::date)::timestamp AT TIME ZONE ${TIME_ZONE}`);
  if (params.to) parts.push(sql`at < ((${params.to}::date + 1)::timestamp AT TIME ZONE ${TIME_ZONE})`);
  return sql.join(parts, sql` AND `);
}

// The cursor keeps PostgreSQL's microseconds (PageCursor).
const COLUMNS = sql`id, at, ${cursorAt(sql`at`)} AS cursor_at,
  actor_kind, actor_id, actor_name, action, client_id, client_name, details`;

/** One page of the firm's Journal, newest first, by keyset (no OFFSET): the same cost on page 1 and page 500. */
export async function listActivity(firmId: string, params: JournalParams, limit = JOURNAL_PAGE_SIZE) {
  const after = params.before ? sql` AND ${afterCursor(sql`at`, sql`id`, params.before)}` : sql``;
  const rows = await queryRows<RawRow>(
    sql`SELECT ${COLUMNS} FROM activity_log WHERE ${conditions(firmId, params)}${after}
        ORDER BY at DESC, id DESC LIMIT ${limit + 1}`,
  );
  const last = rows[limit - 1];
  return {
    rows: rows.slice(0, limit).map(toRow),
    next: rows.length > limit && last ? { at: last.cursor_at, id: last.id } : undefined,
  };
}

/** The client's last events, for its details page. */
export async function listClientActivity(client: VisibleClient, limit = 20): Promise<ActivityRow[]> {
  return (await listActivity(client.firmId, { client: client.id }, limit)).rows;
}

/** The firm's members who may appear as actors (for the member filter). */
export async function listJournalMembers(firmId: string) {
  return queryRows<{ id: string; name: string }>(
    sql`SELECT id, name FROM users WHERE firm_id = ${firmId} ORDER BY name, id`,
  );
}

/** Every row matching the filters, newest first, batch by batch (keyset): for the CSV export. */
export async function* activityBatches(
  firmId: string,
  params: JournalParams,
  batch = 1000,
): AsyncGenerator<ActivityRow[]> {
  let before = params.before;
  for (;;) {
    const page = await listActivity(firmId, { ...params, before }, batch);
    if (page.rows.length > 0) yield page.rows;
    if (!page.next) return;
    before = page.next;
  }
}

/** The name of a client of the firm named in the client filter. */
export async function findJournalClientName(firmId: string, clientId: string): Promise<string | undefined> {
  const [row] = await queryRows<{ name: string }>(
    sql`SELECT name FROM clients WHERE id = ${clientId} AND firm_id = ${firmId}`,
  );
  return row?.name;
}
