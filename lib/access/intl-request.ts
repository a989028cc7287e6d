import { getRequestConfig } from 'next-intl/server';
import { messagesFor } from '@/lib/server/i18n/messages';
import { getLocale } from './request-locale';
import { TIME_ZONE } from '@/lib/server/i18n/translator';

// next-intl's own entry point (named in next.config.js): the same locale and catalogue as getI18n().
export default getRequestConfig(async () => {
  const locale = await getLocale();
  return { locale, messages: messagesFor(locale), timeZone: TIME_ZONE };
});
