import { z } from 'zod';
import { invalid } from '@/lib/i18n/validation';

export const exportSchema = z.object({ clientId: z.string().uuid(invalid('clientNotFound')) });
