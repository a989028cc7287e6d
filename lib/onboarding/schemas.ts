import { z } from 'zod';
import { invalid } from '@/lib/server/i18n/validation';
import { isValidSiren, normalizeSiren } from './siren';

const ids = z.preprocess(
  (value) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value]),
  z.array(z.string().uuid(invalid('accountantUnknown'))),
);

export const inviteClientSchema = z.object({
  name: z.string().trim().min(2, invalid('companyNameRequired')).max(200, invalid('companyNameTooLong')),
  siren: z
    .string()
    .default('')
    .transform(normalizeSiren)
    .refine((value) => value === '' || isValidSiren(value), invalid('sirenInvalid')),
  contactEmail: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email(invalid('invalidEmail'))),
  accountantIds: ids,
  // One per rendering of the form: the same form submitted twice is one invitation e-mail.
  formToken: z.string().uuid(invalid('formExpired')).optional(),
});

export const clientInvitationSchema = z.object({
  clientId: z.string().uuid(invalid('clientNotFound')),
  formToken: z.string().uuid(invalid('formExpired')).optional(),
});
