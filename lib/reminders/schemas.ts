import { z } from 'zod';
import { invalid } from '@/lib/server/i18n/validation';

export const MAX_COMMENT = 2000;
const REMINDER_TASKS = ['missing_receipts', 'ready_to_export', 'balance'] as const;

const REMINDER_TARGETS = ['all', 'preparer', 'reviewer'] as const;
export type ReminderTarget = (typeof REMINDER_TARGETS)[number];

export const reminderSchema = z.object({
  clientId: z.string().uuid(invalid('clientNotFound')),
  formToken: z.string().uuid(invalid('formExpired')),
  // « La clôture du mois »: every assigned accountant, or the client's preparer or reviewer only.
  target: z.enum(REMINDER_TARGETS, invalid('invalidChoice')).default('all'),
  // A checkbox group: absent, one value, or several.
  tasks: z.preprocess(
    (value) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value]),
    z
      .array(z.enum(REMINDER_TASKS, invalid('unknownTask')))
      .min(1, invalid('tasksRequired'))
      .transform((tasks) => REMINDER_TASKS.filter((task) => tasks.includes(task))),
  ),
  comment: z
    .string()
    .default('')
    .transform((value) => value.replace(/\r\n?/g, '\n').trim())
    .pipe(z.string().max(MAX_COMMENT, invalid('commentTooLong'))),
});

export type ReminderInput = Omit<z.infer<typeof reminderSchema>, 'target'> & { target?: ReminderTarget };
