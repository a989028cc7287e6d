import { z } from 'zod';
import { isKnownZone } from './schedule';
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

const hour = z.coerce
  .number(invalid('chooseHour'))
  .int(invalid('chooseHour'))
  .min(8, invalid('chooseHour'))
  .max(18, invalid('chooseHour'));
const zone = z.string().refine(isKnownZone, invalid('chooseZone'));

/** « Celle du cabinet » is the empty choice: the firm's hour or zone. */
export const userSendTimeSchema = z.object({
  hour: z.preprocess((value) => (value === '' ? null : value), hour.nullable()),
  zone: z.preprocess((value) => (value === '' ? null : value), zone.nullable()),
});

export const firmSendTimeSchema = z.object({ hour, zone });
