'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { createAction } from '@/lib/access/server-action';
import { cancelClientInvitation, inviteClient, resendClientInvitation } from './client-invitations';
import { clientInvitationSchema, inviteClientSchema } from './schemas';

export const inviteClientAction = createAction(
  { schema: inviteClientSchema, role: 'admin' },
  async (input, user, { t }) => {
    const { client, emailSent } = await inviteClient(user, input);
    revalidatePath('/clients');
    return {
      status: 'success',
      message: emailSent
        ? t('clientInvitations.sent', { name: client.name, email: input.contactEmail })
        : t('clientInvitations.sentWithoutEmail', { name: client.name }),
      data: { clientId: client.id },
    };
  },
);

export const resendClientInvitationAction = createAction(
  { schema: clientInvitationSchema, role: 'admin' },
  async (input, user, { t }) => {
    const { client, emailSent } = await resendClientInvitation(user, input.clientId, { formToken: input.formToken });
    revalidatePath(`/clients/${client.id}/details`);
    return emailSent
      ? { status: 'success', message: t('clientInvitations.resent', { email: client.contactEmail ?? '' }) }
      : { status: 'error', message: t('clientInvitations.resentWithoutEmail') };
  },
);

export const cancelClientInvitationAction = createAction(
  { schema: clientInvitationSchema, role: 'admin' },
  async (input, user) => {
    const client = await cancelClientInvitation(user, input.clientId);
    revalidatePath('/clients');
    // The client leaves « Intégration »: the list says what happened.
    redirect(`/clients?tab=integration&annulation=${client.id}`);
  },
);
