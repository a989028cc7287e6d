'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { createAction } from '@/lib/access/server-action';
import { setInboxHandled } from './inbox';
import { inboxHandledSchema } from './schemas';

export const setInboxHandledAction = createAction({ schema: inboxHandledSchema }, async (input, user) => {
  const handled = input.handled === 'oui';
  const count = await setInboxHandled(user, input.itemIds, handled);
  revalidatePath('/boite');
  // Back to the tab it was sent from, saying what changed: the marked rows have left the list, and
  // a message inside one of them would leave with it.
  redirect(handled ? `/boite?fait=${count}` : `/boite?etat=traites&remis=${count}`);
});
