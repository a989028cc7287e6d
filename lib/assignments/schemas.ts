import { z } from 'zod';
import { invalid } from '@/lib/server/i18n/validation';

export const assignmentSchema = z.object({
  clientId: z.string().uuid(invalid('clientNotFound')),
  userId: z.string().uuid(invalid('chooseAccountant')),
});
