'use server';

import { revalidatePath } from 'next/cache';
import { createAction } from '@/lib/server-action';
import { nextDelivery } from './schedule';
import { notificationPreferenceSchema } from './schemas';
import { saveSubscription } from './subscriptions';

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
