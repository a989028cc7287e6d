import { z } from 'zod';
import { invalid } from '@/lib/server/i18n/validation';

export const notificationPreferenceSchema = z.object({
  clientId: z.string().uuid(invalid('clientUnknown')),
  // An unticked checkbox is absent from the form.
  email: z.preprocess((value) => value === 'on' || value === 'true' || value === '1', z.boolean()),
  frequency: z.enum(['daily', 'weekly', 'monthly'], invalid('chooseFrequency')),
});

const clientIds = z.preprocess(
  (value) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value]),
  z
    .array(z.string().uuid(invalid('clientNotFound')))
    .min(1, invalid('selectClients'))
    .max(500, invalid('tooManyClients')),
);

/** « Mes notifications »: a frequency, or off, for the ticked clients (or the one of a row). */
export const subscriptionsUpdateSchema = z.object({
  clientIds,
  frequency: z.enum(['daily', 'weekly', 'monthly', 'off'], invalid('chooseFrequency')),
});
