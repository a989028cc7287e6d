'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { createAction } from '@/lib/access/server-action';
import { invalid } from '@/lib/server/i18n/validation';
import { withoutControlCharacters } from '@/lib/server/text';
import { deleteView, saveView } from './views';

const saveSchema = z.object({
  name: z
    .string()
    .transform((value) => withoutControlCharacters(value).trim().replace(/\s+/g, ' '))
    .pipe(z.string().min(1, invalid('viewName')).max(60, invalid('viewName'))),
  shared: z.literal('1').optional(),
  query: z.string().max(2000).default(''),
});

export const saveViewAction = createAction({ schema: saveSchema }, async (input, user, { t }) => {
  await saveView(user, { name: input.name, shared: input.shared === '1', query: input.query });
  revalidatePath('/clients');
  return { status: 'success', message: t('views.saved', { name: input.name }) };
});

export const deleteViewAction = createAction(
  { schema: z.object({ viewId: z.string().uuid(invalid('viewNotFound')) }) },
  async (input, user, { t }) => {
    const name = await deleteView(user, input.viewId);
    revalidatePath('/clients');
    return { status: 'success', message: t('views.deleted', { name }) };
  },
);
