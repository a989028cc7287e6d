import { z } from 'zod';
import { invalid } from '@/lib/server/i18n/validation';

const ROLE = z.enum(['admin', 'accountant'], invalid('chooseRole'));

export const inviteMemberSchema = z.object({
  name: z.string().trim().min(2, invalid('nameRequired')).max(120, invalid('nameTooLong')),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email(invalid('invalidEmail'))),
  role: ROLE,
});

export const memberRoleSchema = z.object({ userId: z.string().uuid(invalid('memberUnknown')), role: ROLE });
export const memberActiveSchema = z.object({
  userId: z.string().uuid(invalid('memberUnknown')),
  active: z.enum(['true', 'false']).transform((v) => v === 'true'),
});

export const acceptInvitationSchema = z
  .object({
    token: z.string().min(10).max(200),
    password: z.string().min(10, invalid('passwordTooShort')).max(200, invalid('passwordTooLong')),
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { ...invalid('passwordsDiffer'), path: ['confirm'] });

export const teamInvitationSchema = z.object({ invitationId: z.string().uuid(invalid('invitationUnknown')) });
