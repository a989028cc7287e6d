import type { I18n } from '@/lib/server/i18n/translator';
import type { ReminderResult } from './send';

/** Who got the reminder, who did not, and what to do: after a refusal, never « tous recevront ». */
export function reminderNotReachedMessage(t: I18n['t'], result: ReminderResult): string {
  const reached = result.recipients.filter((name) => !result.notReached.includes(name));
  const notReached = result.notReached.join(', ');
  return reached.length === 0
    ? t('reminders.noneReached', { notReached })
    : t('reminders.partlyReached', { reached: reached.join(', '), notReached });
}
