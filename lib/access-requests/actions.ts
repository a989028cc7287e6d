'use server';

import { revalidatePath } from 'next/cache';
import { createAction } from '@/lib/access/server-action';
import { decideAccessRequest, requestAccess, setAccessRequestsPolicy } from './requests';
import { accessPolicySchema, grantAccessSchema, refuseAccessSchema, requestAccessSchema } from './schemas';

export const requestAccessAction = createAction({ schema: requestAccessSchema }, async (input, user, { t }) => {
  const result = await requestAccess(user, input);
  revalidatePath('/clients/acces');
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
    revalidatePath('/clients/acces');
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
    revalidatePath('/clients/acces');
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
