'use server';

import { revalidatePath } from 'next/cache';
import { createAction } from '@/lib/access/server-action';
import { findClientDetails } from '@/lib/clients/queries';
import { SafeError } from '@/lib/server/errors';
import { setCloseRules, setVatRegime } from './deadlines';
import { closeRulesSchema, vatRegimeSchema } from './schemas';

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
