'use server';

import { revalidatePath } from 'next/cache';
import { createAction } from '@/lib/actions';
import { formatSlot, nextDelivery } from './schedule';
import { notificationPreferenceSchema } from './schemas';
import { saveSubscription } from './subscriptions';

export const saveNotificationPreference = createAction({ schema: notificationPreferenceSchema }, async (input, user) => {
  const now = new Date();
  const saved = await saveSubscription(user, { clientId: input.clientId, enabled: input.email, frequency: input.frequency }, now);
  revalidatePath(`/clients/${saved.clientId}/details`);
  if (!saved.enabled) return { status: 'success', message: 'Notifications par e-mail désactivées pour ce client.' };
  const next = formatSlot(nextDelivery(now, saved.firstSlotAt, saved.frequency));
  return { status: 'success', message: `Préférence enregistrée. Prochain envoi : ${next}.`, data: { next } };
});
