'use server';

import { revalidatePath } from 'next/cache';
import { createAction } from '@/lib/access/server-action';
import { reminderSchema } from './schemas';
import { reminderNotReachedMessage } from './messages';
import { sendReminder } from './send';

export const sendReminderAction = createAction(
  { schema: reminderSchema, role: 'admin' },
  async (input, user, { t }) => {
    const result = await sendReminder(user, input);
    revalidatePath(`/clients/${input.clientId}/details`);
    // Not a success while someone was not reached: the form stays as it is, and sending it again
    // (same form token) sends only to those who did not get it.
    if (result.notReached.length > 0) return { status: 'error', message: reminderNotReachedMessage(t, result) };
    return {
      status: 'success',
      message: t('reminders.sent'),
      data: { recipients: result.recipients.join(', ') },
    };
  },
);
