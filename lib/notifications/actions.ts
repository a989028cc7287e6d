'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { createAction } from '@/lib/access/server-action';
import { nextDelivery } from './schedule';
import { notificationPreferenceSchema, subscriptionsUpdateSchema } from './schemas';
import { disableAllSubscriptions, saveSubscription, updateSubscriptions } from './subscriptions';

export const saveNotificationPreference = createAction(
  { schema: notificationPreferenceSchema },
  async (input, user, { t, format }) => {
    const now = new Date();
    const saved = await saveSubscription(
      user,
      { clientId: input.clientId, enabled: input.email, frequency: input.frequency },
      now,
    );
    revalidatePath(`/clients/${saved.clientId}/details`);
    if (!saved.enabled) return { status: 'success', message: t('notifications.disabled') };
    const next = format.slot(nextDelivery(now, saved.firstSlotAt, saved.frequency));
    return { status: 'success', message: t('notifications.saved', { when: next }), data: { next } };
  },
);

export const updateSubscriptionsAction = createAction(
  { schema: subscriptionsUpdateSchema },
  async (input, user, { t }) => {
    const changed = await updateSubscriptions(user, input.clientIds, input.frequency);
    revalidatePath('/compte/notifications');
    return { status: 'success', message: t('myNotifications.saved', { count: changed }) };
  },
);

export const disableAllSubscriptionsAction = createAction({ schema: z.object({}) }, async (_input, user, { t }) => {
  await disableAllSubscriptions(user);
  revalidatePath('/compte/notifications');
  return { status: 'success', message: t('myNotifications.allDisabled') };
});
