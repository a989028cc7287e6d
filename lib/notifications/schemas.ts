import { z } from 'zod';
import { invalid } from '@/lib/i18n/validation';

export const notificationPreferenceSchema = z.object({
  clientId: z.string().uuid(invalid('clientUnknown')),
  // An unticked checkbox is absent from the form.
  email: z.preprocess((value) => value === 'on' || value === 'true' || value === '1', z.boolean()),
  frequency: z.enum(['daily', 'weekly', 'monthly'], invalid('chooseFrequency')),
});
