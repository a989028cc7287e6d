import type { Locale } from '@/lib/server/i18n/locales';
import type { Messages } from '@/lib/server/i18n/messages';

// Typed keys: `t('clients.title')` is checked by tsc against messages/fr.json.
declare module 'next-intl' {
  interface AppConfig {
    Locale: Locale;
    Messages: Messages;
  }
}
