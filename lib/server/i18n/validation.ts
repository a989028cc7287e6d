import type { z } from 'zod';
import type { Messages } from './messages';
import type { I18n } from './translator';

export type ValidationKey = keyof Messages['validation'];

/** A schema's own message, as a catalogue key: `z.string().min(2, invalid('nameRequired'))`. */
export function invalid(key: ValidationKey): { message: string } {
  return { message: `validation.${key}` };
}

type Issue = z.core.$ZodIssue;

function ownKey(key: string, messages: Messages['validation']): key is ValidationKey {
  return Object.prototype.hasOwnProperty.call(messages, key);
}

/**
 * The user's message for one zod issue: the schema's key when it gave one, otherwise one of ours
 * by issue code. zod's own (English) texts never reach the user.
 */
export function issueMessage(i18n: I18n, issue: Issue): string {
  const own = issue.message.startsWith('validation.') ? issue.message.slice('validation.'.length) : '';
  const values = {
    max: 'maximum' in issue ? Number(issue.maximum) : 0,
    min: 'minimum' in issue ? Number(issue.minimum) : 0,
  };
  if (own && ownKey(own, i18n.messages.validation)) return i18n.translate(`validation.${own}`, values);
  switch (issue.code) {
    case 'too_big':
      return i18n.t('validation.tooLong', values);
    case 'too_small':
      return values.min <= 1 ? i18n.t('validation.required') : i18n.t('validation.tooShort', values);
    case 'invalid_format':
      return issue.format === 'email'
        ? i18n.t('validation.invalidEmail')
        : issue.format === 'uuid'
          ? i18n.t('validation.invalidId')
          : i18n.t('validation.invalid');
    case 'invalid_value':
      return i18n.t('validation.invalidChoice');
    case 'invalid_type':
      return issue.input === undefined ? i18n.t('validation.required') : i18n.t('validation.invalid');
    default:
      return i18n.t('validation.invalid');
  }
}

/** Field errors for `useActionState`, keyed by the issue's first path segment, in the user's language. */
export function fieldErrors(i18n: I18n, error: z.ZodError): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '');
    if (!Object.prototype.hasOwnProperty.call(result, field)) result[field] = [];
    result[field]!.push(issueMessage(i18n, issue));
  }
  return result;
}
