'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { createAction, createPublicAction } from '@/lib/actions';
import { acceptInvitationSchema, inviteMemberSchema, memberActiveSchema, memberRoleSchema } from './schemas';
import { acceptMemberInvitation, changeRole, inviteMember, setActive } from './team';

export const inviteMemberAction = createAction({ schema: inviteMemberSchema, role: 'admin' }, async (input, user) => {
  const { emailSent } = await inviteMember(user, input);
  revalidatePath('/equipe');
  return {
    status: 'success',
    message: emailSent
      ? `Invitation envoyée à ${input.email}. Le lien est valable 7 jours.`
      : `Invitation enregistrée, mais l’e-mail n’a pas pu partir : réessayez plus tard.`,
  };
});

export const changeRoleAction = createAction({ schema: memberRoleSchema, role: 'admin' }, async (input, user) => {
  await changeRole(user, input.userId, input.role);
  revalidatePath('/equipe');
  return { status: 'success', message: 'Rôle modifié.' };
});

export const setActiveAction = createAction({ schema: memberActiveSchema, role: 'admin' }, async (input, user) => {
  await setActive(user, input.userId, input.active);
  revalidatePath('/equipe');
  return { status: 'success', message: input.active ? 'Compte réactivé.' : 'Compte désactivé : l’accès est coupé dès sa prochaine action.' };
});

export const acceptMemberInvitationAction = createPublicAction({ schema: acceptInvitationSchema }, async (input) => {
  await acceptMemberInvitation(input.token, input.password);
  redirect('/connexion?bienvenue=1');
});
