import { sql } from 'drizzle-orm';
import { db, queryRows, sqlArray, timestamptz } from '@/db';
import { notificationSubscriptions, type DigestFrequency } from '@/db/schema';
import { findWorkspaceClient } from '@/lib/clients/queries';
import { findSubscription } from './queries';
import { visibleTo, type Viewer } from '@/lib/access/visibility';
import { actorOf, recordActivity } from '@/lib/activity/record';
import { SafeError } from '@/lib/server/errors';
import { firstSlotAfter } from './schedule';
import { sendTimeOf } from './send-time';

/**
 * Saves one user's e-mail preference for one client. Switching on (or changing the frequency)
 * sets the first slot: the Monday slot (10:00 Paris, or the user's send time) after now. Anyone who may open the client may subscribe.
 */
export async function saveSubscription(
  viewer: Viewer,
  input: { clientId: string; enabled: boolean; frequency: DigestFrequency },
  now = new Date(),
) {
  const client = await findWorkspaceClient(viewer, input.clientId);
  if (!client) throw new SafeError('errors.clientNotFound');
  const existing = await findSubscription(viewer, client);
  const restart = input.enabled && (!existing?.enabled || existing.frequency !== input.frequency);
  const at = (await sendTimeOf(viewer)).effective;
  const firstSlotAt = restart || !existing ? firstSlotAfter(now, input.frequency, at).toJSDate() : existing.firstSlotAt;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(notificationSubscriptions)
      .values({
        firmId: viewer.firmId,
        userId: viewer.id,
        clientId: client.id,
        enabled: input.enabled,
        frequency: input.frequency,
        firstSlotAt,
        updatedAt: now,
      })
      .onConflictDoUpdate({
        target: [notificationSubscriptions.userId, notificationSubscriptions.clientId],
        set: { enabled: input.enabled, frequency: input.frequency, firstSlotAt, updatedAt: now },
      })
      .returning();
    await recordActivity(tx, {
      firmId: viewer.firmId,
      actor: actorOf(viewer),
      action: 'subscription_changed',
      client,
      details: { enabled: input.enabled, frequency: input.frequency },
    });
    return row!;
  });
}

/** Turns off every subscription a digest carried, or one subscription. Idempotent. */
export async function unsubscribe(
  target: { deliveryId: string } | { subscriptionId: string },
  now = new Date(),
): Promise<number> {
  const condition =
    'deliveryId' in target
      ? sql`id IN (SELECT subscription_id FROM digest_delivery_items WHERE delivery_id = ${target.deliveryId})`
      : sql`id = ${target.subscriptionId}`;
  return db.transaction(async (tx) => {
    const rows = await queryRows<{ id: string; firm_id: string; user_id: string; client_id: string }>(
      sql`UPDATE notification_subscriptions SET enabled = false, updated_at = ${timestamptz(now)} WHERE enabled AND ${condition}
          RETURNING id, firm_id, user_id, client_id`,
      tx,
    );
    // The link in the e-mail stands for its recipient: the Journal names them.
    for (const row of rows) {
      await recordActivity(tx, {
        firmId: row.firm_id,
        actor: { kind: 'user', id: row.user_id },
        action: 'subscription_changed',
        client: { id: row.client_id },
        details: { enabled: false, via: 'unsubscribe_link' },
      });
    }
    return rows.length;
  });
}

/**
 * « Mes notifications », several at once: a frequency (switching them on) or off, for clients the
 * viewer may see. One client they may not see refuses the whole change: nothing is saved.
 */
export async function updateSubscriptions(
  viewer: Viewer,
  clientIds: string[],
  choice: DigestFrequency | 'off',
  now = new Date(),
): Promise<number> {
  const wanted = new Set(clientIds);
  if (wanted.size === 0) return 0;
  const enabled = choice !== 'off';
  // What saveSubscription does for one client, for all of them in one statement (a bulk bar may
  // send a thousand): a new row starts at the first slot after now; an existing one keeps its
  // frequency when turned off, and its first slot unless it is switched on or changes frequency.
  const at = (await sendTimeOf(viewer)).effective;
  const firstSlotAt = firstSlotAfter(now, enabled ? choice : 'weekly', at).toJSDate();
  return db.transaction(async (tx) => {
    const visible = await queryRows<{ id: string }>(
      // visibleTo() names the table itself ("clients"), so no alias for it here.
      sql`SELECT clients.id FROM clients
          WHERE clients.id = ANY(${sqlArray([...wanted], 'uuid')}) AND clients.status = 'active' AND ${visibleTo(viewer)}
          FOR SHARE`,
      tx,
    );
    if (visible.length !== wanted.size) throw new SafeError('errors.clientNotFound');
    const saved = await queryRows<{ client_id: string }>(
      sql`WITH saved AS (
            INSERT INTO notification_subscriptions AS s
              (firm_id, user_id, client_id, enabled, frequency, first_slot_at, updated_at)
            SELECT ${viewer.firmId}::uuid, ${viewer.id}::uuid, id, ${enabled},
                   ${enabled ? choice : 'weekly'}::digest_frequency, ${timestamptz(firstSlotAt)}, ${timestamptz(now)}
            FROM unnest(${sqlArray(
              visible.map((v) => v.id),
              'uuid',
            )}) AS id
            ON CONFLICT (user_id, client_id) DO UPDATE SET
              enabled = excluded.enabled,
              frequency = CASE WHEN excluded.enabled THEN excluded.frequency ELSE s.frequency END,
              first_slot_at = CASE WHEN excluded.enabled AND (NOT s.enabled OR s.frequency <> excluded.frequency)
                                   THEN excluded.first_slot_at ELSE s.first_slot_at END,
              updated_at = excluded.updated_at
            RETURNING client_id, enabled, frequency
          )
          INSERT INTO activity_log (firm_id, actor_kind, actor_id, actor_name, action, client_id, client_name, details)
          SELECT ${viewer.firmId}::uuid, 'user'::activity_actor, ${viewer.id}::uuid,
                 coalesce((SELECT name FROM users WHERE id = ${viewer.id}::uuid), ''), 'subscription_changed',
                 saved.client_id, c.name, jsonb_build_object('enabled', saved.enabled, 'frequency', saved.frequency)
          FROM saved JOIN clients c ON c.id = saved.client_id
          RETURNING client_id`,
      tx,
    );
    return saved.length;
  });
}

/** « Tout désactiver »: every subscription of the viewer, off. */
export async function disableAllSubscriptions(viewer: Viewer, now = new Date()): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await queryRows<{ client_id: string }>(
      sql`UPDATE notification_subscriptions SET enabled = false, updated_at = ${timestamptz(now)}
          WHERE user_id = ${viewer.id} AND firm_id = ${viewer.firmId} AND enabled RETURNING client_id`,
      tx,
    );
    for (const row of rows) {
      await recordActivity(tx, {
        firmId: viewer.firmId,
        actor: actorOf(viewer),
        action: 'subscription_changed',
        client: { id: row.client_id },
        details: { enabled: false },
      });
    }
    return rows.length;
  });
}
