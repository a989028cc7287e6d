import type { MessageKey, MessageValues } from '@/lib/server/i18n/translator';

export type ErrorKey = Extract<MessageKey, `errors.${string}`>;

/**
 * An error meant for the user: it carries a catalogue key (and its values), which the action
 * wrapper translates into the user's language. Any other error is logged and shown as a generic
 * message.
 */
export class SafeError extends Error {
  constructor(
    readonly key: ErrorKey,
    readonly values?: MessageValues,
  ) {
    super(key);
    this.name = 'SafeError';
  }
}
