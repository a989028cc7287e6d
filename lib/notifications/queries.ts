import { and, asc, eq, sql } from 'drizzle-orm';
import { db, queryRows } from '@/db';
import { clients, notificationSubscriptions } from '@/db/schema';
import { visibleTo, type Viewer, type VisibleClient } from '@/lib/access/visibility';

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

/**
 * Every subscription of the viewer to a client they may still see, by client name: « Mes
 * notifications ».
 */
/** One's subscriptions, by client name; with a group (one the viewer sees), its clients only. */
export async function listSubscriptionsOf(viewer: Viewer, groupId?: string) {
  return db
    .select({
      clientId: clients.id,
      clientName: clients.name,
      enabled: notificationSubscriptions.enabled,
      frequency: notificationSubscriptions.frequency,
      firstSlotAt: notificationSubscriptions.firstSlotAt,
    })
    .from(notificationSubscriptions)
    .innerJoin(clients, eq(clients.id, notificationSubscriptions.clientId))
    .where(
      and(
        eq(notificationSubscriptions.userId, viewer.id),
        eq(notificationSubscriptions.firmId, viewer.firmId),
        eq(clients.status, 'active'),
        visibleTo(viewer),
        groupId
          ? sql`EXISTS (SELECT 1 FROM client_group_members m WHERE m.group_id = ${groupId} AND m.client_id = ${clients.id})`
          : undefined,
      ),
    )
    .orderBy(asc(clients.searchName), asc(clients.id));
}
