'use server';

import { revalidatePath } from 'next/cache';
import { createAction } from '@/lib/access/server-action';
import { assignmentSchema } from './schemas';
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
