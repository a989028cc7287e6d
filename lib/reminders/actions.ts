'use server';

import { revalidatePath } from 'next/cache';
import { createAction } from '@/lib/actions';
import { reminderSchema } from './schemas';
import { sendReminder } from './send';

export const sendReminderAction = createAction({ schema: reminderSchema, role: 'admin' }, async (input, user) => {
  const result = await sendReminder(user, input);
  revalidatePath(`/clients/${input.clientId}/details`);
  return {
    status: 'success',
    message: 'Et voilà ! Tous les comptables attribués à ce client recevront un e-mail.',
    data: { recipients: result.recipients.join(', ') },
  };
});
