import { createHash } from 'node:crypto';
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { db } from '@/db';
import { clients, firms, reminderRecipients, reminders, users } from '@/db/schema';
import ReminderEmail, { reminderSubject, reminderText } from '@/emails/reminder';
import { assertAdmin } from '@/lib/access/roles';
import type { CurrentUser } from '@/lib/access/users';
import { findWorkspaceClient } from '@/lib/clients/queries';
import { appUrl } from '@/lib/server/env';
import { actorOf, recordActivity } from '@/lib/activity/record';
import { SafeError } from '@/lib/server/errors';
import { renderEmail } from '@/lib/server/mail/render';
import { suppressedAmong } from '@/lib/server/mail/delivery-events';
import { sendEmailBatch } from '@/lib/server/mail/send';
import type { Transport } from '@/lib/server/mail/transport';
import { listReminderRecipients } from './queries';
import { clientCloseNotice } from '@/lib/close/deadlines';
import type { ReminderInput } from './schemas';

/** `notReached`: the accountants whose e-mail did not go (an address the provider refused or suppressed). */
export type ReminderResult = { reminderId: string; recipients: string[]; notReached: string[] };

/**
 * Records a reminder and e-mails every active accountant of the client (the sender excepted), in
 * one batch. The form token makes a double submit send once; submitting again a form whose
 * e-mail failed retries it, with the same payload and idempotency key.
 */
export async function sendReminder(
  sender: Pick<CurrentUser, 'id' | 'firmId' | 'role' | 'name'>,
  input: ReminderInput,
  options: { transport?: Transport } = {},
): Promise<ReminderResult> {
  assertAdmin(sender);
  const client = await findWorkspaceClient(sender, input.clientId);
  if (!client) throw new SafeError('errors.clientNotFound');

  const [previous] = await db
    .select({ id: reminders.id })
    .from(reminders)
    .where(and(eq(reminders.firmId, sender.firmId), eq(reminders.formToken, input.formToken)));
  if (previous) return deliverReminder(sender.firmId, previous.id, options);

  const recipients = await listReminderRecipients(client, sender.id, input.target);
  if (recipients.length === 0) throw new SafeError('errors.noAccountant');

  const created = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(reminders)
      .values({
        firmId: sender.firmId,
        clientId: client.id,
        senderId: sender.id,
        tasks: input.tasks,
        comment: input.comment,
        missingReceipts: client.missingReceipts,
        readyToExport: client.readyToExport,
        balanceCents: client.balanceCents,
        currency: client.currency,
        formToken: input.formToken,
      })
      .onConflictDoNothing()
      .returning({ id: reminders.id });
    if (!row) return undefined;
    await tx
      .insert(reminderRecipients)
      .values(recipients.map((r) => ({ reminderId: row.id, userId: r.id, name: r.name, email: r.email })));
    await recordActivity(tx, {
      firmId: sender.firmId,
      actor: actorOf(sender),
      action: 'reminder_sent',
      client,
      details: { reminderId: row.id, tasks: input.tasks.join(','), recipients: recipients.length },
    });
    return row;
  });
  if (!created) {
    // The same form submitted at the same moment: the first submission sends.
    const [winner] = await db
      .select({ id: reminders.id })
      .from(reminders)
      .where(eq(reminders.formToken, input.formToken));
    return { reminderId: winner!.id, recipients: recipients.map((r) => r.name), notReached: [] };
  }
  return deliverReminder(sender.firmId, created.id, options);
}

/** Sends what is not sent yet of a recorded reminder, rendered from what was recorded. */
async function deliverReminder(
  firmId: string,
  reminderId: string,
  options: { transport?: Transport },
): Promise<ReminderResult> {
  const [reminder] = await db
    .select({
      id: reminders.id,
      tasks: reminders.tasks,
      comment: reminders.comment,
      missingReceipts: reminders.missingReceipts,
      readyToExport: reminders.readyToExport,
      balanceCents: reminders.balanceCents,
      currency: reminders.currency,
      clientId: clients.id,
      clientName: clients.name,
      vatRegime: clients.vatRegime,
      vatDueDay: clients.vatDueDay,
      createdAt: reminders.createdAt,
      senderName: users.name,
      senderEmail: users.email,
      firmName: firms.name,
    })
    .from(reminders)
    .innerJoin(clients, eq(clients.id, reminders.clientId))
    .innerJoin(users, eq(users.id, reminders.senderId))
    .innerJoin(firms, eq(firms.id, reminders.firmId))
    .where(and(eq(reminders.id, reminderId), eq(reminders.firmId, firmId)));
  const recipients = await db
    .select({
      userId: reminderRecipients.userId,
      name: reminderRecipients.name,
      email: reminderRecipients.email,
      state: reminderRecipients.state,
      locale: users.locale,
    })
    .from(reminderRecipients)
    .innerJoin(users, eq(users.id, reminderRecipients.userId))
    .where(eq(reminderRecipients.reminderId, reminderId))
    .orderBy(reminderRecipients.userId);
  const byName = (a: string, b: string) => a.localeCompare(b, 'fr');
  const names = recipients.map((r) => r.name).sort(byName);
  const pending = recipients.filter((r) => r.state !== 'sent');
  if (!reminder || pending.length === 0) return { reminderId, recipients: names, notReached: [] };
  // An address the provider reported as bouncing or complaining gets nothing: recorded as such.
  const suppressed = await suppressedAmong(pending.map((r) => r.email));
  if (suppressed.size > 0) {
    await db
      .update(reminderRecipients)
      .set({ state: 'failed', lastError: 'suppressed' })
      .where(
        and(
          eq(reminderRecipients.reminderId, reminderId),
          inArray(sql`lower(${reminderRecipients.email})`, [...suppressed]),
        ),
      );
  }
  const unsent = pending.filter((r) => !suppressed.has(r.email.toLowerCase()));
  if (unsent.length === 0) throw new SafeError('errors.recipientsSuppressed');

  // The button opens the tab the reminder is about: missing receipts first, then what is to export.
  const view = reminder.tasks.includes('missing_receipts')
    ? '?vue=missing'
    : reminder.tasks.includes('ready_to_export')
      ? '?vue=ready'
      : '';
  const clientUrl = `${appUrl()}/clients/${reminder.clientId}${view}`;
  // Said as of the reminder's creation: a retry sends the same e-mail.
  const close = await clientCloseNotice(
    { id: reminder.clientId, firmId, vatRegime: reminder.vatRegime, vatDueDay: reminder.vatDueDay },
    reminder.createdAt,
  );
  const emails = await Promise.all(
    unsent.map((recipient) => {
      const props = {
        locale: recipient.locale,
        recipientName: recipient.name,
        senderName: reminder.senderName,
        firmName: reminder.firmName,
        clientName: reminder.clientName,
        clientUrl,
        tasks: reminder.tasks,
        figures: reminder,
        comment: reminder.comment,
        close,
      };
      return renderEmail(ReminderEmail, props, {
        to: recipient.email,
        subject: reminderSubject(props),
        text: reminderText,
        firmId,
        // An answer goes to the admin who asked, not to the portal's address.
        replyTo: reminder.senderEmail,
      });
    }),
  );
  // Same recipients, same key: a retry of a failed send is deduplicated by the provider.
  const key = `reminder:${reminderId}:${createHash('sha256')
    .update(unsent.map((r) => r.userId).join(','))
    .digest('hex')
    .slice(0, 16)}`;
  const outcome = await sendEmailBatch(emails, key, { transport: options.transport });
  if (outcome.status !== 'sent') {
    await db
      .update(reminderRecipients)
      .set({ state: 'failed', lastError: outcome.message })
      .where(and(eq(reminderRecipients.reminderId, reminderId), ne(reminderRecipients.state, 'sent')));
    throw new SafeError('errors.reminderSendFailed');
  }
  // An address the provider refuses (422) fails that recipient alone: the others got theirs, and
  // the admin is told who was not reached (never « tous … recevront un e-mail » after a refusal).
  const failed = new Map(outcome.failed.map((f) => [f.index, f.message]));
  await db.transaction(async (tx) => {
    for (const [i, recipient] of unsent.entries()) {
      const error = failed.get(i);
      await tx
        .update(reminderRecipients)
        .set(
          error
            ? { state: 'failed', lastError: error }
            : { state: 'sent', providerMessageId: outcome.ids[i] ?? null, lastError: null },
        )
        .where(and(eq(reminderRecipients.reminderId, reminderId), eq(reminderRecipients.userId, recipient.userId)));
    }
  });
  const notReached = [
    ...pending.filter((r) => suppressed.has(r.email.toLowerCase())),
    ...unsent.filter((_r, i) => failed.has(i)),
  ].map((r) => r.name);
  return { reminderId, recipients: names, notReached: notReached.sort(byName) };
}
