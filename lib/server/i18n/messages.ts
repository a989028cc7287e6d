import en from '../../../messages/en.json';
import fr from '../../../messages/fr.json';
import type { Locale } from './locales';

export type Messages = typeof fr;

// Loaded once per process, with the module: no per-request work that grows with the catalogue.
const catalogues: Record<Locale, Messages> = { fr, en };

export function messagesFor(locale: Locale): Messages {
  return catalogues[locale];
}

/** The part of the catalogue that client components read (the rest stays on the server). */
export const CLIENT_NAMESPACES = [
  'common',
  'nav',
  'status',
  'statusWithStep',
  'verification',
  'connectionRequests',
  'login',
  'notifications',
  'reminders',
  'workspace',
  'receipts',
  'shortcuts',
  'clients',
  'error',
  'books',
] as const;

export function clientMessages(locale: Locale): Pick<Messages, (typeof CLIENT_NAMESPACES)[number]> {
  const all = catalogues[locale];
  return Object.fromEntries(CLIENT_NAMESPACES.map((ns) => [ns, all[ns]])) as Pick<
    Messages,
    (typeof CLIENT_NAMESPACES)[number]
  >;
}
