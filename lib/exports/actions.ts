'use server';

import { revalidatePath } from 'next/cache';
import { createAction } from '@/lib/access/server-action';
import { createExport } from './create-export';
import { exportSchema } from './schemas';

export const exportExpensesAction = createAction({ schema: exportSchema }, async (input, user, { t, format }) => {
  const done = await createExport(user, input.clientId);
  revalidatePath(`/clients/${input.clientId}`);
  return {
    status: 'success',
    message: t('workspace.export.created', {
      count: done.expenseCount,
      total: format.money(done.totalCents, done.currency),
    }),
    data: { url: `/clients/${input.clientId}/exports/${done.id}` },
  };
});
