'use server';

import { revalidatePath } from 'next/cache';
import { createAction } from '@/lib/server-action';
import { assignmentSchema, bulkAssignmentSchema } from './schemas';
import { assignClients, unassignClient } from './assign';

export const assignAction = createAction({ schema: assignmentSchema, role: 'admin' }, async (input, user, { t }) => {
  const added = await assignClients(user, [input.clientId], input.userId);
  revalidatePath(`/clients/${input.clientId}/details`);
  return { status: 'success', message: added ? t('assignments.added') : t('assignments.alreadyAssigned') };
});

export const unassignAction = createAction({ schema: assignmentSchema, role: 'admin' }, async (input, user, { t }) => {
  await unassignClient(user, input.clientId, input.userId);
  revalidatePath(`/clients/${input.clientId}/details`);
  return { status: 'success', message: t('assignments.removed') };
});

export const bulkAssignAction = createAction(
  { schema: bulkAssignmentSchema, role: 'admin' },
  async (input, user, { t }) => {
    const added = await assignClients(user, input.clientIds, input.userId);
    revalidatePath('/clients');
    return {
      status: 'success',
      message: t('clients.bulkAssigned', { selected: input.clientIds.length, added }),
    };
  },
);
