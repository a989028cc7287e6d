import { sql } from 'drizzle-orm';
import { queryRows, timestamptz } from '@/db';

/**
 * The end of an access granted for a time (« Demander l'accès », lib/access-requests): deletes the
 * assignments whose end has passed, each with its line in the client's history and in the Journal
 * (« Accès terminé », by the system), in one statement: all of it or none. Run before every
 * request (lib/access/users.ts) and every digest run, so that every rule written on assignments
 * (pages, lists, digests, reminders) follows from that minute without a condition of its own.
 * When nothing has ended (the usual case) it is a probe of a small partial index; two runs at once
 * delete, and record, each row once.
 */
export async function endExpiredAccess(now: Date = new Date()): Promise<number> {
  const at = timestamptz(now);
  const [due] = await queryRows<{ one: number }>(
    sql`SELECT 1 AS one FROM assignments WHERE expires_at <= ${at} LIMIT 1`,
  );
  if (!due) return 0;
  const [row] = await queryRows<{ n: number }>(sql`
    WITH ended AS (
      DELETE FROM assignments WHERE expires_at <= ${at} RETURNING firm_id, client_id, user_id),
    named AS (
      SELECT e.firm_id, e.client_id, u.name AS member, c.name AS client_name
      FROM ended e JOIN users u ON u.id = e.user_id JOIN clients c ON c.id = e.client_id),
    events AS (
      INSERT INTO client_events (firm_id, client_id, actor_id, kind, detail)
      SELECT firm_id, client_id, NULL, 'access_ended', member FROM named),
    logged AS (
      INSERT INTO activity_log (firm_id, actor_kind, actor_id, actor_name, action, client_id, client_name, details)
      SELECT firm_id, 'system', NULL, '', 'access_ended', client_id, client_name, jsonb_build_object('detail', member)
      FROM named)
    SELECT count(*)::int AS n FROM named`);
  return row?.n ?? 0;
}
