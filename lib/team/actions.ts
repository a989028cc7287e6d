'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { createAction, createPublicAction } from '@/lib/access/server-action';
import {
  acceptInvitationSchema,
  inviteMemberSchema,
  memberActiveSchema,
  memberRoleSchema,
  teamInvitationSchema,
} from './schemas';
import { changeRole, clearSuppression, setActive } from './members';
import { acceptMemberInvitation, cancelTeamInvitation, inviteMember, resendTeamInvitation } from './team-invitations';

export const inviteMemberAction = createAction(
  { schema: inviteMemberSchema, role: 'admin' },
  async (input, user, { t }) => {
    const { emailSent } = await inviteMember(user, input);
    revalidatePath('/equipe');
    return {
      status: 'success',
      message: emailSent ? t('teamInvitations.sent', { email: input.email }) : t('teamInvitations.sentWithoutEmail'),
    };
  },
);

export const changeRoleAction = createAction(
  { schema: memberRoleSchema, role: 'admin' },
  async (input, user, { t }) => {
    await changeRole(user, input.userId, input.role);
    revalidatePath('/equipe');
    return { status: 'success', message: t('team.roleChanged') };
  },
);

export const setActiveAction = createAction(
  { schema: memberActiveSchema, role: 'admin' },
  async (input, user, { t }) => {
    await setActive(user, input.userId, input.active);
    revalidatePath('/equipe');
    return { status: 'success', message: input.active ? t('team.reactivated') : t('team.deactivated') };
  },
);

export const acceptMemberInvitationAction = createPublicAction({ schema: acceptInvitationSchema }, async (input) => {
  await acceptMemberInvitation(input.token, input.password);
  redirect('/connexion?bienvenue=1');
});

export const resendTeamInvitationAction = createAction(
  { schema: teamInvitationSchema, role: 'admin' },
  async (input, user, { t }) => {
    const { invitation, emailSent } = await resendTeamInvitation(user, input.invitationId);
    revalidatePath('/equipe');
    return emailSent
      ? { status: 'success', message: t('teamInvitations.resent', { email: invitation.email }) }
      : { status: 'error', message: t('teamInvitations.resentWithoutEmail') };
  },
);

export const cancelTeamInvitationAction = createAction(
  { schema: teamInvitationSchema, role: 'admin' },
  async (input, user, { t }) => {
    const invitation = await cancelTeamInvitation(user, input.invitationId);
    revalidatePath('/equipe');
    return { status: 'success', message: t('teamInvitations.cancelled', { email: invitation.email }) };
  },
);

export const clearSuppressionAction = createAction(
  { schema: memberActiveSchema.pick({ userId: true }), role: 'admin' },
  async (input, user, { t }) => {
    const member = await clearSuppression(user, input.userId);
    revalidatePath('/equipe');
    return { status: 'success', message: t('team.suppressionCleared', { name: member.name }) };
  },
);
