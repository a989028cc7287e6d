import { z } from 'zod';
import { invalid } from '@/lib/server/i18n/validation';
import { isValidSiren, normalizeSiren } from '@/lib/onboarding/siren';
import { VAT_REGIMES } from './calendar';

export const vatRegimeSchema = z.object({
  clientId: z.string().uuid(invalid('clientNotFound')),
  // The FEC carries it in its name: set here when the invitation did not.
  siren: z
    .string()
    .transform(normalizeSiren)
    .refine((value) => value === '' || isValidSiren(value), invalid('sirenInvalid')),
  regime: z.enum(VAT_REGIMES, invalid('invalidChoice')),
  dueDay: z.coerce
    .number(invalid('vatDueDay'))
    .int(invalid('vatDueDay'))
    .min(15, invalid('vatDueDay'))
    .max(24, invalid('vatDueDay')),
});

export const closeRulesSchema = z.object({
  closeWorkingDays: z.coerce
    .number(invalid('closeWorkingDays'))
    .int(invalid('closeWorkingDays'))
    .min(0, invalid('closeWorkingDays'))
    .max(15, invalid('closeWorkingDays')),
  franchiseCloseDay: z.coerce
    .number(invalid('franchiseCloseDay'))
    .int(invalid('franchiseCloseDay'))
    .min(1, invalid('franchiseCloseDay'))
    .max(28, invalid('franchiseCloseDay')),
});
