'use server';

import { revalidatePath } from 'next/cache';
import { createAction } from '@/lib/access/server-action';
import { decideAccessRequest, requestAccess, setAccessRequestsPolicy } from './requests';
import { accessPolicySchema, grantAccessSchema, refuseAccessSchema, requestAccessSchema } from './schemas';

export const requestAccessAction = createAction({ schema: requestAccessSchema }, async (input, user, { t }) => {
  const result = await requestAccess(user, input);
  // The page is not rendered again here: the row would become « Demande en attente » and take the
  // form, and its message, away; the message says it, the next visit shows the row pending.
  const client = result.clientName;
  if (result.again && result.emailSent) return { status: 'success', message: t('access.askedAgain', { client }) };
  return {
    status: 'success',
    message: result.emailSent ? t('access.asked', { client }) : t('access.askedNoEmail', { client }),
  };
});

export const grantAccessAction = createAction(
  { schema: grantAccessSchema, role: 'admin' },
  async (input, user, { t, format }) => {
    const decided = await decideAccessRequest(user, input.requestId, { grant: input.grant });
    // Not rendered again here (the row would leave « En attente » with the form and its message);
    // the header's count and « Dernières décisions » follow at the next page.
    const values = { name: decided.userName, client: decided.clientName };
    return {
      status: 'success',
      message: decided.until
        ? t('access.granted', { ...values, until: format.dateTime(decided.until) })
        : t('access.grantedForever', values),
    };
  },
);

export const refuseAccessAction = createAction(
  { schema: refuseAccessSchema, role: 'admin' },
  async (input, user, { t }) => {
    const decided = await decideAccessRequest(user, input.requestId, { refusal: input.refusal });
    return {
      status: 'success',
      message: t('access.refusedDone', { name: decided.userName, client: decided.clientName }),
    };
  },
);

export const accessPolicyAction = createAction(
  { schema: accessPolicySchema, role: 'admin' },
  async (input, user, { t }) => {
    await setAccessRequestsPolicy(user, input.enabled);
    revalidatePath('/', 'layout');
    return { status: 'success', message: input.enabled ? t('access.policyOn') : t('access.policyOff') };
  },
);
