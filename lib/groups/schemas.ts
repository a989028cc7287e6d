import { z } from 'zod';
import { invalid } from '@/lib/server/i18n/validation';
import { withoutControlCharacters } from '@/lib/server/text';

const name = z
  .string()
  .transform((value) => withoutControlCharacters(value).trim().replace(/\s+/g, ' '))
  .pipe(z.string().min(1, invalid('groupName')).max(60, invalid('groupName')));

export const createGroupSchema = z.object({ name, firmWide: z.literal('1').optional() });
export const renameGroupSchema = z.object({ groupId: z.string().uuid(invalid('chooseGroup')), name });
export const groupSchema = z.object({ groupId: z.string().uuid(invalid('chooseGroup')) });
export const groupClientSchema = z.object({
  groupId: z.string().uuid(invalid('chooseGroup')),
  clientId: z.string().uuid(invalid('clientNotFound')),
});
