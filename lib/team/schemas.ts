import { z } from 'zod';

export const ROLE = z.enum(['admin', 'accountant'], { message: 'Choisissez un rôle.' });

export const inviteMemberSchema = z.object({
  name: z.string().trim().min(2, { message: 'Saisissez le nom.' }).max(120, { message: 'Nom trop long.' }),
  email: z.string().trim().toLowerCase().pipe(z.email({ message: 'Adresse e-mail invalide.' })),
  role: ROLE,
});

export const memberRoleSchema = z.object({ userId: z.string().uuid({ message: 'Membre inconnu.' }), role: ROLE });
export const memberActiveSchema = z.object({
  userId: z.string().uuid({ message: 'Membre inconnu.' }),
  active: z.enum(['true', 'false']).transform((v) => v === 'true'),
});

export const acceptInvitationSchema = z
  .object({
    token: z.string().min(10).max(200),
    password: z.string().min(10, { message: 'Le mot de passe doit faire au moins 10 caractères.' }).max(200, { message: 'Mot de passe trop long.' }),
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { message: 'Les deux mots de passe ne sont pas identiques.', path: ['confirm'] });
