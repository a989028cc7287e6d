'use server';

import { revalidatePath } from 'next/cache';
import { createAction } from '@/lib/access/server-action';
import { cancelRequest, requestReceipts } from './requests';
import { cancelRequestSchema, receiptRequestSchema } from './schemas';

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
