import { z } from 'zod';
import { invalid } from '@/lib/server/i18n/validation';

const ids = z.preprocess(
  (value) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value]),
  z
    .array(z.string().uuid(invalid('expenseUnknown')))
    .min(1, invalid('noExpenseSelected'))
    .max(200, invalid('tooManyExpenses')),
);

export const receiptRequestSchema = z.object({
  clientId: z.string().uuid(invalid('clientNotFound')),
  ids,
  comment: z.string().trim().max(1_000, invalid('commentTooLong')).default(''),
  // One per rendering of the form: sent twice, it makes one request per recipient.
  formToken: z.string().uuid(invalid('formExpired')),
});
export type ReceiptRequestInput = z.infer<typeof receiptRequestSchema>;

export const cancelRequestSchema = z.object({
  clientId: z.string().uuid(invalid('clientNotFound')),
  requestId: z.string().uuid(invalid('requestUnknown')),
});

export const noReceiptSchema = z.object({
  expenseId: z.string().uuid(invalid('expenseUnknown')),
  reason: z.string().trim().min(3, invalid('reasonRequired')).max(500, invalid('reasonTooLong')),
});
