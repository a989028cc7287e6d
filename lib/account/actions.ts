'use server';

import { revalidatePath } from 'next/cache';
import { i18nFor } from '@/lib/server/i18n/translator';
import { createAction } from '@/lib/access/server-action';
import { saveLocale } from './preferences';
import { localeSchema } from './schemas';

export const saveLocaleAction = createAction({ schema: localeSchema }, async (input, user) => {
  await saveLocale(user, input.locale);
  // Every page reads the language: the whole layout renders again.
  revalidatePath('/', 'layout');
  return { status: 'success', message: i18nFor(input.locale).t('account.languageSaved') };
});
