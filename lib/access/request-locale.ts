import { headers } from 'next/headers';
import { cache } from 'react';
import { getCurrentUser } from '@/lib/access/session';
import { DEFAULT_LOCALE, negotiateLocale, type Locale } from '@/lib/server/i18n/locales';
import { i18nFor, type I18n } from '@/lib/server/i18n/translator';

/**
 * The language of this request: the signed-in user's choice (Compte → Langue), otherwise the
 * browser's Accept-Language. The URL never carries it. Once per request.
 */
export const getLocale = cache(async (): Promise<Locale> => {
  const user = await getCurrentUser();
  if (user) return user.locale;
  try {
    return negotiateLocale((await headers()).get('accept-language'));
  } catch {
    // Outside a request (scripts, tests): the default.
    return DEFAULT_LOCALE;
  }
});

/** The translator and formatters of this request's language. */
export async function getI18n(): Promise<I18n> {
  return i18nFor(await getLocale());
}
