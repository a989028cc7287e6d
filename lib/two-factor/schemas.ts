import { z } from 'zod';
import { invalid } from '@/lib/server/i18n/validation';

const code = z
  .string()
  .transform((value) => value.replace(/\s+/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, invalid('codeFormat')));

export const codeSchema = z.object({ code });
const password = z.string().min(1, invalid('passwordRequired')).max(1024);
export const disableSchema = z.object({ password, code });
/** « Régénérer les codes » asks for the password too: a session left open is not enough. */
export const regenerateSchema = z.object({ password, code });
export const resetSchema = z.object({ userId: z.string().uuid(invalid('memberUnknown')) });
export const policySchema = z.object({
  // An unticked checkbox is absent from the form.
  required: z.preprocess((value) => value === 'on' || value === 'true' || value === '1', z.boolean()),
});
export const emptySchema = z.object({});
