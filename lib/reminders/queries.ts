import type { ReminderTarget } from './schemas';
import { and, asc, desc, eq, inArray, ne } from 'drizzle-orm';
import { db } from '@/db';
import { assignments, reminderRecipients, reminders, users } from '@/db/schema';
import type { VisibleClient } from '@/lib/access/visibility';

/** Who a reminder about this client goes to: its active assigned users, the sender excepted. */
export async function listReminderRecipients(
  client: VisibleClient<{ id: string; firmId: string; closePreparerId: string | null; closeReviewerId: string | null }>,
  senderId: string,
  target: ReminderTarget = 'all',
) {
  // The preparer or the reviewer only (« La clôture du mois »); nobody when the role is not set.
  const only =
    target === 'preparer' ? client.closePreparerId : target === 'reviewer' ? client.closeReviewerId : undefined;
  if (only === null) return [];
  return db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(assignments)
    .innerJoin(users, eq(users.id, assignments.userId))
    .where(
      and(
        eq(assignments.firmId, client.firmId),
        eq(assignments.clientId, client.id),
        eq(users.active, true),
        ne(users.id, senderId),
        only ? eq(users.id, only) : undefined,
      ),
    )
    .orderBy(asc(users.name), asc(users.id));
}

/** The reminders sent about a client, newest first, with their recipients. */
export async function listReminders(client: VisibleClient, limit = 20) {
  const rows = await db
    .select({
      id: reminders.id,
      createdAt: reminders.createdAt,
      tasks: reminders.tasks,
      comment: reminders.comment,
      senderName: users.name,
      missingReceipts: reminders.missingReceipts,
      readyToExport: reminders.readyToExport,
      balanceCents: reminders.balanceCents,
      currency: reminders.currency,
    })
    .from(reminders)
    .innerJoin(users, eq(users.id, reminders.senderId))
    .where(and(eq(reminders.firmId, client.firmId), eq(reminders.clientId, client.id)))
    .orderBy(desc(reminders.createdAt), desc(reminders.id))
    .limit(limit);
  if (rows.length === 0) return [];
  const recipients = await db
    .select()
    .from(reminderRecipients)
    .where(
      inArray(
        reminderRecipients.reminderId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(reminderRecipients.name));
  return rows.map((row) => ({ ...row, recipients: recipients.filter((r) => r.reminderId === row.id) }));
}
