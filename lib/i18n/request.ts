import { getRequestConfig } from 'next-intl/server';
import { messagesFor } from './messages';
import { getLocale } from './request-locale';
import { TIME_ZONE } from './translator';

// next-intl's own entry point (named in next.config.js): the same locale and catalogue as getI18n().
export default getRequestConfig(async () => {
  const locale = await getLocale();
  return { locale, messages: messagesFor(locale), timeZone: TIME_ZONE };
});
