'use server';

import { revalidatePath } from 'next/cache';
import { createAction } from '@/lib/server-action';
import { reminderSchema } from './schemas';
import { sendReminder } from './send';

export const sendReminderAction = createAction(
  { schema: reminderSchema, role: 'admin' },
  async (input, user, { t }) => {
    const result = await sendReminder(user, input);
    revalidatePath(`/clients/${input.clientId}/details`);
    return {
      status: 'success',
      message: t('reminders.sent'),
      data: { recipients: result.recipients.join(', ') },
    };
  },
);
