'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { createAction } from '@/lib/actions';
import { answerInvitation, inviteClient } from './invitations';
import { clientDecisionSchema, inviteClientSchema } from './schemas';

export const acceptInvitationAction = createAction({ schema: clientDecisionSchema, role: 'admin' }, async (input, user) => {
  const client = await answerInvitation(user, input.clientId, true);
  revalidatePath('/clients');
  // Straight to the client's details, where the admin assigns its accountants.
  redirect(`/clients/${client.id}/details?invitation=acceptee`);
});

export const declineInvitationAction = createAction({ schema: clientDecisionSchema, role: 'admin' }, async (input, user) => {
  const client = await answerInvitation(user, input.clientId, false);
  revalidatePath('/clients');
  // The row leaves the list: the page says what happened.
  redirect(`/clients?tab=invitations&refus=${client.id}`);
});

export const inviteClientAction = createAction({ schema: inviteClientSchema, role: 'admin' }, async (input, user) => {
  const { client, emailSent } = await inviteClient(user, input);
  revalidatePath('/clients');
  return {
    status: 'success',
    message: emailSent
      ? `${client.name} est invité : il apparaît dans l’onglet « Intégration » et ${input.contactEmail} a reçu l’invitation.`
      : `${client.name} est invité et apparaît dans l’onglet « Intégration », mais l’e-mail d’invitation n’a pas pu partir : réessayez plus tard.`,
    data: { clientId: client.id },
  };
});
