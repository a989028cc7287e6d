import { z } from 'zod';
import { invalid } from '@/lib/i18n/validation';

export const assignmentSchema = z.object({
  clientId: z.string().uuid(invalid('clientNotFound')),
  userId: z.string().uuid(invalid('chooseAccountant')),
});

export const bulkAssignmentSchema = z.object({
  clientIds: z.preprocess(
    (value) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value]),
    z
      .array(z.string().uuid(invalid('clientNotFound')))
      .min(1, invalid('selectClients'))
      .max(500, invalid('tooManyClients')),
  ),
  userId: z.string().uuid(invalid('chooseAccountant')),
});
