'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { createAction } from '@/lib/access/server-action';
import { nextDelivery } from './schedule';
import { sendTimeOf, setFirmSendTime, setUserSendTime } from './send-time';
import {
  firmSendTimeSchema,
  notificationPreferenceSchema,
  subscriptionsUpdateSchema,
  userSendTimeSchema,
} from './schemas';
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
    const next = format.slot(nextDelivery(now, saved.firstSlotAt, saved.frequency, (await sendTimeOf(user)).effective));
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

export const userSendTimeAction = createAction({ schema: userSendTimeSchema }, async (input, user, { t }) => {
  await setUserSendTime(user, input);
  revalidatePath('/compte/notifications');
  const { effective } = await sendTimeOf(user);
  return { status: 'success', message: t('sendTime.saved', { hour: effective.hour, zone: effective.zone }) };
});

export const firmSendTimeAction = createAction(
  { schema: firmSendTimeSchema, role: 'admin' },
  async (input, user, { t }) => {
    await setFirmSendTime(user, input);
    revalidatePath('/equipe');
    return { status: 'success', message: t('sendTime.firmSaved', { hour: input.hour, zone: input.zone }) };
  },
);
