'use server';

import { revalidatePath } from 'next/cache';
import { createAction } from '@/lib/access/server-action';
import { findClientDetails, findWorkspaceClient } from '@/lib/clients/queries';
import { closeMonth, reopenMonth, setCloseRoles } from './board';
import { SafeError } from '@/lib/server/errors';
import { setCloseRules, setVatRegime } from './deadlines';
import { closeMonthSchema, closeRolesSchema, closeRulesSchema, reopenMonthSchema, vatRegimeSchema } from './schemas';

export const setVatRegimeAction = createAction(
  { schema: vatRegimeSchema, role: 'admin' },
  async (input, user, { t }) => {
    const client = await findClientDetails(user, input.clientId);
    if (!client) throw new SafeError('errors.clientNotFound');
    await setVatRegime(user, client, { regime: input.regime, dueDay: input.dueDay, siren: input.siren });
    revalidatePath(`/clients/${input.clientId}`);
    return { status: 'success', message: t('close.regimeSaved') };
  },
);

export const setCloseRulesAction = createAction(
  { schema: closeRulesSchema, role: 'admin' },
  async (input, user, { t }) => {
    await setCloseRules(user, input);
    revalidatePath('/equipe');
    return { status: 'success', message: t('close.rulesSaved') };
  },
);

export const closeMonthAction = createAction({ schema: closeMonthSchema }, async (input, user, { t, format }) => {
  const client = await findWorkspaceClient(user, input.clientId);
  if (!client) throw new SafeError('errors.clientNotFound');
  const result = await closeMonth(user, client, input.month, input.reason);
  revalidatePath(`/clients/${client.id}/cloture`);
  revalidatePath('/cloture');
  const month = format.monthYear(new Date(`${input.month}-15T12:00:00Z`));
  return {
    status: 'success',
    message: t(result === 'closed' ? 'closeBoard.closed' : 'closeBoard.alreadyClosed', { month }),
  };
});

export const reopenMonthAction = createAction(
  { schema: reopenMonthSchema, role: 'admin' },
  async (input, user, { t, format }) => {
    const client = await findWorkspaceClient(user, input.clientId);
    if (!client) throw new SafeError('errors.clientNotFound');
    const result = await reopenMonth(user, client, input.month, input.reason);
    revalidatePath(`/clients/${client.id}/cloture`);
    revalidatePath('/cloture');
    const month = format.monthYear(new Date(`${input.month}-15T12:00:00Z`));
    return {
      status: 'success',
      message: t(result === 'reopened' ? 'closeBoard.reopened' : 'closeBoard.alreadyOpen', { month }),
    };
  },
);

export const setCloseRolesAction = createAction(
  { schema: closeRolesSchema, role: 'admin' },
  async (input, user, { t }) => {
    if (!input.preparerId && !input.reviewerId) throw new SafeError('errors.chooseCloseRole');
    const count = await setCloseRoles(user, input.clientIds, {
      preparerId: input.preparerId || undefined,
      reviewerId: input.reviewerId || undefined,
    });
    revalidatePath('/cloture');
    return { status: 'success', message: t('closeBoard.rolesSaved', { count }) };
  },
);
