import { z } from 'zod';
import { invalid } from '@/lib/server/i18n/validation';

export const exportSchema = z.object({ clientId: z.string().uuid(invalid('clientNotFound')) });
