import { sql } from 'drizzle-orm';
import { db, queryRows, timestamptz } from '@/db';
import { notificationSubscriptions, type DigestFrequency } from '@/db/schema';
import { findWorkspaceClient } from '@/lib/clients/queries';
import { findSubscription } from './queries';
import type { Viewer } from '@/lib/clients/visibility';
import { actorOf, recordActivity } from '@/lib/activity/record';
import { SafeError } from '@/lib/errors';
import { firstSlotAfter } from './schedule';

/**
 * Saves one user's e-mail preference for one client. Switching on (or changing the frequency)
 * sets the first slot: the Monday 10:00 after now. Anyone who may open the client may subscribe.
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
  const firstSlotAt = restart || !existing ? firstSlotAfter(now, input.frequency).toJSDate() : existing.firstSlotAt;
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
