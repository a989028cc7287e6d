'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { createAction } from '@/lib/actions';
import { formatCount, formatMoney } from '@/lib/format';
import { createExport } from './exports';

const exportSchema = z.object({ clientId: z.string().uuid({ message: 'Client introuvable.' }) });

export const exportExpensesAction = createAction({ schema: exportSchema }, async (input, user) => {
  const done = await createExport(user, input.clientId);
  revalidatePath(`/clients/${input.clientId}`);
  return {
    status: 'success',
    message: `Export créé : ${formatCount(done.expenseCount)} dépense${done.expenseCount > 1 ? 's' : ''}, ${formatMoney(done.totalCents, done.currency)}.`,
    data: { url: `/clients/${input.clientId}/exports/${done.id}` },
  };
});
