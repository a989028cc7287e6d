'use server';

import { revalidatePath } from 'next/cache';
import { assignClients } from '@/lib/assignments/assign';
import { SafeError } from '@/lib/errors';
import { updateSubscriptions } from '@/lib/notifications/subscriptions';
import { createAction } from '@/lib/server-action';
import { bulkClientsSchema } from './schemas';

/**
 * The bulk bar of the Clients page: « Attribuer à… » one accountant (admins), or « Recevoir un
 * récapitulatif… » for oneself (anyone, on clients they may see; one they may not refuses all).
 */
export const bulkClientsAction = createAction({ schema: bulkClientsSchema }, async (input, user, { t }) => {
  if (input.op === 'assign') {
    if (user.role !== 'admin') throw new SafeError('errors.adminOnly');
    const added = await assignClients(user, input.clientIds, input.userId);
    revalidatePath('/clients');
    return { status: 'success', message: t('clients.bulkAssigned', { selected: input.clientIds.length, added }) };
  }
  const changed = await updateSubscriptions(user, input.clientIds, input.frequency);
  revalidatePath('/clients');
  return {
    status: 'success',
    message: t('clients.bulkSubscribed', { count: changed, frequency: input.frequency }),
  };
});
