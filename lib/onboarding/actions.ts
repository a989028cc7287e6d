'use server';

import { revalidatePath } from 'next/cache';
import { createAction } from '@/lib/server-action';
import { inviteClient } from './client-invitations';
import { inviteClientSchema } from './schemas';

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
