import { and, eq, sql } from 'drizzle-orm';
import { db, queryRows, timestamptz } from '@/db';
import { notificationSubscriptions, type DigestFrequency } from '@/db/schema';
import { findWorkspaceClient } from '@/lib/clients/queries';
import type { Viewer, VisibleClient } from '@/lib/clients/visibility';
import { SafeError } from '@/lib/errors';
import { firstSlotAfter } from './schedule';

/** The viewer's own subscription to a client they may see. */
export async function findSubscription(viewer: Viewer, client: VisibleClient) {
  const [row] = await db
    .select()
    .from(notificationSubscriptions)
    .where(
      and(
        eq(notificationSubscriptions.firmId, viewer.firmId),
        eq(notificationSubscriptions.userId, viewer.id),
        eq(notificationSubscriptions.clientId, client.id),
      ),
    );
  return row;
}

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
  const [row] = await db
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
  return row!;
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
  const rows = await queryRows<{ id: string }>(
    sql`UPDATE notification_subscriptions SET enabled = false, updated_at = ${timestamptz(now)} WHERE enabled AND ${condition} RETURNING id`,
  );
  return rows.length;
}

/** The clients an unsubscribe link covers (for its confirmation page). */
export async function describeUnsubscribe(target: { deliveryId: string } | { subscriptionId: string }) {
  const condition =
    'deliveryId' in target
      ? sql`s.id IN (SELECT subscription_id FROM digest_delivery_items WHERE delivery_id = ${target.deliveryId})`
      : sql`s.id = ${target.subscriptionId}`;
  return queryRows<{ name: string; enabled: boolean }>(
    sql`SELECT c.name, s.enabled FROM notification_subscriptions s JOIN clients c ON c.id = s.client_id AND c.firm_id = s.firm_id
        WHERE ${condition} ORDER BY c.search_name`,
  );
}
