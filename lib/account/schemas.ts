import { z } from 'zod';
import { invalid } from '@/lib/server/i18n/validation';

export const localeSchema = z.object({ locale: z.enum(['fr', 'en'], invalid('chooseLocale')) });
