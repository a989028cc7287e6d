'use server';

import { revalidatePath } from 'next/cache';
import { createAction } from '@/lib/access/server-action';
import { setInboxHandled } from './inbox';
import { inboxHandledSchema } from './schemas';

export const setInboxHandledAction = createAction({ schema: inboxHandledSchema }, async (input, user, { t }) => {
  const handled = input.handled === 'oui';
  const count = await setInboxHandled(user, input.itemIds, handled);
  revalidatePath('/boite');
  return { status: 'success', message: t(handled ? 'inbox.marked' : 'inbox.reopened', { count }) };
});
