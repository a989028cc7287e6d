'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { createAction } from '@/lib/access/server-action';
import { attachDocument, dismissDocument } from './documents';
import { setInboxHandled } from './inbox';
import { inboundDocumentSchema, inboxHandledSchema } from './schemas';

export const setInboxHandledAction = createAction({ schema: inboxHandledSchema }, async (input, user) => {
  const handled = input.handled === 'oui';
  const count = await setInboxHandled(user, input.itemIds, handled);
  revalidatePath('/boite');
  // Back to the tab it was sent from, saying what changed: the marked rows have left the list, and
  // a message inside one of them would leave with it.
  redirect(handled ? `/boite?fait=${count}` : `/boite?etat=traites&remis=${count}`);
});

/** « Rattacher » a document that arrived by e-mail to an expense, or « Écarter » it. */
export const handleInboundDocumentAction = createAction(
  { schema: inboundDocumentSchema },
  async (input, user, { t }) => {
    const outcome =
      input.decision === 'rattacher'
        ? await attachDocument(user, input.documentId, input.expenseId!)
        : await dismissDocument(user, input.documentId);
    if (outcome === 'expense_unavailable') {
      const message = t('validation.expenseUnavailable');
      return { status: 'error', message, fieldErrors: { expenseId: [message] } };
    }
    if (outcome === 'not_found') return { status: 'error', message: t('validation.inboxItemUnknown') };
    revalidatePath('/boite');
    redirect(`/boite?document=${outcome === 'attached' ? 'rattache' : 'ecarte'}`);
  },
);
