'use server';

import { revalidatePath } from 'next/cache';
import { createAction } from '@/lib/access/server-action';
import { createGroup, deleteGroup, removeFromGroup, renameGroup } from './groups';
import { createGroupSchema, groupClientSchema, groupSchema, renameGroupSchema } from './schemas';

export const createGroupAction = createAction({ schema: createGroupSchema }, async (input, user, { t }) => {
  await createGroup(user, { name: input.name, firmWide: input.firmWide === '1' });
  revalidatePath('/clients/groupes');
  return { status: 'success', message: t('groups.created', { name: input.name }) };
});

export const renameGroupAction = createAction({ schema: renameGroupSchema }, async (input, user, { t }) => {
  await renameGroup(user, input.groupId, input.name);
  revalidatePath('/clients/groupes');
  return { status: 'success', message: t('groups.renamed') };
});

export const deleteGroupAction = createAction({ schema: groupSchema }, async (input, user, { t }) => {
  const name = await deleteGroup(user, input.groupId);
  revalidatePath('/clients/groupes');
  return { status: 'success', message: t('groups.deleted', { name }) };
});

export const removeFromGroupAction = createAction({ schema: groupClientSchema }, async (input, user, { t }) => {
  await removeFromGroup(user, input.groupId, input.clientId);
  revalidatePath('/clients');
  return { status: 'success', message: t('groups.removed') };
});
