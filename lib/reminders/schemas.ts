import { z } from 'zod';

export const MAX_COMMENT = 2000;
export const REMINDER_TASKS = ['missing_receipts', 'ready_to_export', 'balance'] as const;

export const reminderSchema = z.object({
  clientId: z.string().uuid({ message: 'Client introuvable.' }),
  formToken: z.string().uuid({ message: 'Le formulaire a expiré : rechargez la page.' }),
  // A checkbox group: absent, one value, or several.
  tasks: z.preprocess(
    (value) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value]),
    z
      .array(z.enum(REMINDER_TASKS, { message: 'Tâche inconnue.' }))
      .min(1, { message: 'Cochez au moins une tâche.' })
      .transform((tasks) => REMINDER_TASKS.filter((task) => tasks.includes(task))),
  ),
  comment: z
    .string()
    .default('')
    .transform((value) => value.replace(/\r\n?/g, '\n').trim())
    .pipe(z.string().max(MAX_COMMENT, { message: `Le commentaire ne peut pas dépasser ${MAX_COMMENT} caractères.` })),
});

export type ReminderInput = z.infer<typeof reminderSchema>;
