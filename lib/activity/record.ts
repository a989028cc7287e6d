import { sql } from 'drizzle-orm';
import { db, queryRows, sqlArray, type Db, type Tx } from '@/db';
import { readEnv } from '@/lib/server/env';

/** Every kind of row the Journal holds; its label is `journal.actions.<action>` in the catalogue. */
export const ACTIVITY_ACTIONS = [
  'login_succeeded',
  'login_failed',
  'login_failures_grouped',
  'second_factor_failed',
  'second_factor_locked',
  'second_factor_refused',
  'totp_enabled',
  'totp_disabled',
  'totp_reset',
  'recovery_code_used',
  'client_opened',
  'client_details_viewed',
  'export_created',
  'export_downloaded',
  'export_cancelled',
  'reminder_sent',
  'subscription_changed',
  'assignment_added',
  'assignment_removed',
  'client_invitation_sent',
  'client_invitation_cancelled',
  'connection_request_accepted',
  'connection_request_declined',
  'team_invitation_sent',
  'team_invitation_cancelled',
  'member_role_changed',
  'member_activated',
  'member_deactivated',
  'platform_verification',
  'receipts_requested',
  'receipt_request_cancelled',
  'receipt_received',
  'receipt_not_required',
  'month_closed',
  'month_reopened',
  'close_roles_changed',
  'group_created',
  'group_deleted',
  'group_clients_added',
  'view_shared',
  'access_requested',
  'access_granted',
  'access_refused',
  'access_ended',
  'send_time_changed',
  'question_answered',
  'receipt_emailed',
  'receipt_dropped',
  'inbound_confirmed',
  'inbound_dismissed',
] as const;

export type ActivityAction = (typeof ACTIVITY_ACTIONS)[number];

export type ActivityActor =
  | { kind: 'user'; id: string }
  | { kind: 'platform' }
  | { kind: 'system' }
  /** Someone a receipt request was sent to (a card holder, the client's contact): by name, or address. */
  | { kind: 'recipient'; name: string };

/** The person acting. */
export function actorOf(user: { id: string }): ActivityActor {
  return { kind: 'user', id: user.id };
}

export type ActivityEntry = {
  firmId: string | null;
  actor: ActivityActor;
  action: ActivityAction;
  client?: { id: string } | null;
  /** Small facts only (counts, states, a role): never a secret, a password or an e-mail body. */
  details?: Record<string, string | number | boolean | null>;
};

/**
 * Writes one Journal row, in the caller's transaction when there is one: the change and its record
 * commit or roll back together. The actor's and the client's names are copied in the same
 * statement, as they are now: the Journal keeps saying who and what, whatever happens to them later.
 */
export async function recordActivity(on: Tx | Db, entry: ActivityEntry): Promise<void> {
  const actorId = entry.actor.kind === 'user' ? entry.actor.id : null;
  const actorName = entry.actor.kind === 'recipient' ? entry.actor.name : '';
  const clientId = entry.client?.id ?? null;
  await on.execute(sql`
    INSERT INTO activity_log (firm_id, actor_kind, actor_id, actor_name, action, client_id, client_name, details)
    VALUES (${entry.firmId}, ${entry.actor.kind}::activity_actor, ${actorId},
            coalesce((SELECT name FROM users WHERE id = ${actorId}::uuid), ${actorName}), ${entry.action},
            ${clientId}, (SELECT name FROM clients WHERE id = ${clientId}::uuid), ${JSON.stringify(entry.details ?? {})}::jsonb)`);
}

/**
 * The same Journal row for each of many clients (a bulk assignment), in one statement whatever
 * their number.
 */
export async function recordActivityForClients(
  on: Tx | Db,
  entry: Omit<ActivityEntry, 'client'> & { clientIds: readonly string[] },
): Promise<void> {
  if (entry.clientIds.length === 0) return;
  const actorId = entry.actor.kind === 'user' ? entry.actor.id : null;
  await on.execute(sql`
    INSERT INTO activity_log (firm_id, actor_kind, actor_id, actor_name, action, client_id, client_name, details)
    SELECT ${entry.firmId}, ${entry.actor.kind}::activity_actor, ${actorId},
           coalesce((SELECT name FROM users WHERE id = ${actorId}::uuid), ''), ${entry.action},
           c.id, c.name, ${JSON.stringify(entry.details ?? {})}::jsonb
    FROM clients c WHERE c.id = ANY(${sqlArray(entry.clientIds, 'uuid')})`);
}

/**
 * A page view (a client's account or details opened): logged unless ACTIVITY_LOG_VIEWS=0, which
 * exists only so that `npm run bench:activity` can measure what the logging costs.
 */
export async function recordView(entry: ActivityEntry): Promise<void> {
  if (readEnv().ACTIVITY_LOG_VIEWS === '0') return;
  await recordActivity(db, entry);
}

/** Removes the rows older than the retention (the only delete the database allows). */
export async function purgeActivity(retentionDays: number): Promise<number> {
  const [row] = await queryRows<{ removed: number }>(sql`SELECT pp_purge_activity(${retentionDays}::int) AS removed`);
  return Number(row?.removed ?? 0);
}
