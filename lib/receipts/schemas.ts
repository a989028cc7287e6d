import { z } from 'zod';
import { invalid } from '@/lib/server/i18n/validation';

const ids = z.preprocess(
  (value) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value]),
  z
    .array(z.string().uuid(invalid('expenseUnknown')))
    .min(1, invalid('noExpenseSelected'))
    .max(200, invalid('tooManyExpenses')),
);

const list = (value: unknown) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

export const QUESTION_KINDS = ['purpose', 'attendees', 'personal', 'other'] as const;

/**
 * The form's questions, one triple per expense shown (`qid`, `qkind`, `qtext`, in the page's
 * order): « Aucune question » (an empty kind) asks nothing; « Autre question » needs its text.
 */
export const receiptRequestSchema = z
  .object({
    clientId: z.string().uuid(invalid('clientNotFound')),
    ids,
    comment: z.string().trim().max(1_000, invalid('commentTooLong')).default(''),
    // One per rendering of the form: sent twice, it makes one request per recipient.
    formToken: z.string().uuid(invalid('formExpired')),
    // « Joindre leurs reçus manquants des autres clients »: the same people's missing receipts at
    // the requester's other clients, in the same e-mail (one section and link per client).
    others: z.enum(['', '1']).catch(''),
    qid: z.preprocess(list, z.array(z.string().uuid(invalid('expenseUnknown'))).max(200, invalid('tooManyExpenses'))),
    qkind: z.preprocess(list, z.array(z.enum(['', ...QUESTION_KINDS], invalid('questionUnknown')))),
    qtext: z.preprocess(list, z.array(z.string().trim().max(300, invalid('questionTooLong')))),
  })
  .superRefine((value, ctx) => {
    if (value.qkind.length !== value.qid.length || value.qtext.length !== value.qid.length)
      ctx.addIssue({ code: 'custom', path: ['qkind'], ...invalid('formExpired') });
    if (value.qkind.some((kind, i) => kind === 'other' && !value.qtext[i]))
      ctx.addIssue({ code: 'custom', path: ['qtext'], ...invalid('questionTextRequired') });
  })
  .transform(({ qid, qkind, qtext, others, ...rest }) => ({
    ...rest,
    alsoOtherClients: others === '1',
    questions: qid.flatMap((expenseId, i) => {
      const kind = qkind[i];
      return kind ? [{ expenseId, kind, text: qtext[i] || null }] : [];
    }),
  }));
export type ReceiptRequestInput = z.infer<typeof receiptRequestSchema>;

export const cancelRequestSchema = z.object({
  clientId: z.string().uuid(invalid('clientNotFound')),
  requestId: z.string().uuid(invalid('requestUnknown')),
});

export const noReceiptSchema = z.object({
  expenseId: z.string().uuid(invalid('expenseUnknown')),
  reason: z.string().trim().min(3, invalid('reasonRequired')).max(500, invalid('reasonTooLong')),
});

/** An answer to a question about an expense, from the link's page (« Oui » / « Non » for a personal expense). */
export const answerSchema = z
  .object({
    expenseId: z.string().uuid(invalid('expenseUnknown')),
    choice: z.enum(['', 'oui', 'non'], invalid('answerRequired')).default(''),
    answer: z.string().trim().max(1_000, invalid('answerTooLong')).default(''),
  })
  .refine((value) => value.choice !== '' || value.answer.length > 0, { path: ['answer'], ...invalid('answerRequired') })
  .transform(({ expenseId, choice, answer }) => ({
    expenseId,
    answer: choice ? `${choice === 'oui' ? 'Oui' : 'Non'}${answer ? ` — ${answer}` : ''}` : answer,
  }));
