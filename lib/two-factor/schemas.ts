import { z } from 'zod';
import { invalid } from '@/lib/i18n/validation';

const code = z
  .string()
  .transform((value) => value.replace(/\s+/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, invalid('codeFormat')));

export const codeSchema = z.object({ code });
export const disableSchema = z.object({ password: z.string().min(1, invalid('passwordRequired')).max(1024), code });
export const resetSchema = z.object({ userId: z.string().uuid(invalid('memberUnknown')) });
export const policySchema = z.object({
  // An unticked checkbox is absent from the form.
  required: z.preprocess((value) => value === 'on' || value === 'true' || value === '1', z.boolean()),
});
export const emptySchema = z.object({});
