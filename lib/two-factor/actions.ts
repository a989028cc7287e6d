'use server';

import { revalidatePath } from 'next/cache';
import { headers } from 'next/headers';
import { clientAddress } from '@/lib/auth/client-address';
import { createAction } from '@/lib/access/server-action';
import {
  cancelEnrolment,
  confirmEnrolment,
  disableTwoFactor,
  regenerateRecoveryCodes,
  resetTwoFactor,
  setTwoFactorPolicy,
  startEnrolment,
} from './enrolment';
import { codeSchema, disableSchema, emptySchema, policySchema, regenerateSchema, resetSchema } from './schemas';

const SECURITY = '/compte/securite';

const requestAddress = async () => clientAddress(await headers());
// The set-up is what a member whose firm requires it may still do.
const duringSetup = { allowDuringTwoFactorSetup: true } as const;

export const startEnrolmentAction = createAction({ schema: emptySchema, ...duringSetup }, async (_input, user) => {
  await startEnrolment(user);
  revalidatePath(SECURITY);
  return { status: 'idle' };
});

export const cancelEnrolmentAction = createAction(
  { schema: emptySchema, ...duringSetup },
  async (_input, user, { t }) => {
    await cancelEnrolment(user);
    revalidatePath(SECURITY);
    return { status: 'success', message: t('security.setupCancelled') };
  },
);

/** The recovery codes travel once, in the answer: the page shows them and offers them as a file. */
export const confirmEnrolmentAction = createAction(
  { schema: codeSchema, ...duringSetup },
  async (input, user, { t }) => {
    const codes = await confirmEnrolment(user, input.code);
    return { status: 'success', message: t('security.enabled'), data: { codes: codes.join('\n') } };
  },
);

export const regenerateCodesAction = createAction({ schema: regenerateSchema }, async (input, user, { t }) => {
  const codes = await regenerateRecoveryCodes(user, input.password, input.code, new Date(), await requestAddress());
  return { status: 'success', message: t('security.regenerated'), data: { codes: codes.join('\n') } };
});

export const disableTwoFactorAction = createAction({ schema: disableSchema }, async (input, user, { t }) => {
  await disableTwoFactor(user, input.password, input.code, new Date(), await requestAddress());
  revalidatePath(SECURITY);
  return { status: 'success', message: t('security.disabled') };
});

export const resetTwoFactorAction = createAction({ schema: resetSchema, role: 'admin' }, async (input, user, { t }) => {
  const member = await resetTwoFactor(user, input.userId);
  revalidatePath('/equipe');
  return { status: 'success', message: t('team.resetDone', { name: member.name }) };
});

export const twoFactorPolicyAction = createAction(
  { schema: policySchema, role: 'admin' },
  async (input, user, { t }) => {
    await setTwoFactorPolicy(user, input.required);
    revalidatePath('/', 'layout');
    return { status: 'success', message: input.required ? t('team.policyOn') : t('team.policyOff') };
  },
);
