'use server';

import { revalidatePath } from 'next/cache';
import { createAction } from '@/lib/access/server-action';
import { cancelRequest, requestReceipts } from './requests';
import { cancelRequestSchema, receiptRequestSchema } from './schemas';
import { cadenceSchema, setCadence } from './cadence';
import { findClientDetails } from '@/lib/clients/queries';
import { SafeError } from '@/lib/server/errors';

export const requestReceiptsAction = createAction({ schema: receiptRequestSchema }, async (input, user, { t }) => {
  const result = await requestReceipts(user, input);
  revalidatePath(`/clients/${input.clientId}`);
  return {
    status: 'success',
    message: t('receipts.request.sent', { count: result.recipients.length, recipients: result.recipients.join(', ') }),
  };
});

export const cancelReceiptRequestAction = createAction({ schema: cancelRequestSchema }, async (input, user, { t }) => {
  await cancelRequest(user, input.clientId, input.requestId);
  revalidatePath(`/clients/${input.clientId}`);
  return { status: 'success', message: t('receipts.open.cancelled') };
});

export const setCadenceAction = createAction({ schema: cadenceSchema, role: 'admin' }, async (input, user, { t }) => {
  const client = await findClientDetails(user, input.clientId);
  if (!client) throw new SafeError('errors.clientNotFound');
  await setCadence(user, client, input.days);
  revalidatePath(`/clients/${client.id}/details`);
  return { status: 'success', message: t('cadence.saved', { days: input.days.map((d) => `J+${d}`).join(', ') }) };
});
