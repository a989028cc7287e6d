'use server';

import { revalidatePath } from 'next/cache';
import { createAction } from '@/lib/actions';
import { plural } from '@/lib/format';
import { assignmentSchema, bulkAssignmentSchema } from '@/lib/onboarding/schemas';
import { assignClients, unassignClient } from './assignments';

export const assignAction = createAction({ schema: assignmentSchema, role: 'admin' }, async (input, user) => {
  const added = await assignClients(user, [input.clientId], input.userId);
  revalidatePath(`/clients/${input.clientId}/details`);
  return { status: 'success', message: added ? 'Comptable attribué.' : 'Ce comptable était déjà attribué à ce client.' };
});

export const unassignAction = createAction({ schema: assignmentSchema, role: 'admin' }, async (input, user) => {
  await unassignClient(user, input.clientId, input.userId);
  revalidatePath(`/clients/${input.clientId}/details`);
  return { status: 'success', message: 'Comptable retiré de ce client.' };
});

export const bulkAssignAction = createAction({ schema: bulkAssignmentSchema, role: 'admin' }, async (input, user) => {
  const added = await assignClients(user, input.clientIds, input.userId);
  revalidatePath('/clients');
  return {
    status: 'success',
    message: `${plural(input.clientIds.length, 'client sélectionné', 'clients sélectionnés')} : ${plural(added, 'nouvelle attribution', 'nouvelles attributions')}.`,
  };
});
