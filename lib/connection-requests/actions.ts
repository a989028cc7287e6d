'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { createAction } from '@/lib/access/server-action';
import { answerConnectionRequest } from './answer';
import { connectionDecisionSchema } from './schemas';

export const acceptConnectionRequestAction = createAction(
  { schema: connectionDecisionSchema, role: 'admin' },
  async (input, user) => {
    const client = await answerConnectionRequest(user, input.clientId, true);
    revalidatePath('/clients');
    // Straight to the client's details, where the admin assigns its accountants.
    redirect(`/clients/${client.id}/details?invitation=acceptee`);
  },
);

export const declineConnectionRequestAction = createAction(
  { schema: connectionDecisionSchema, role: 'admin' },
  async (input, user) => {
    const client = await answerConnectionRequest(user, input.clientId, false);
    revalidatePath('/clients');
    // The row leaves the list: the page says what happened.
    redirect(`/clients?tab=invitations&refus=${client.id}`);
  },
);
