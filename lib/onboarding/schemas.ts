import { z } from 'zod';
import { isValidSiren, normalizeSiren } from './siren';

const ids = z.preprocess(
  (value) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value]),
  z.array(z.string().uuid({ message: 'Comptable inconnu.' })),
);

export const inviteClientSchema = z.object({
  name: z.string().trim().min(2, { message: 'Saisissez le nom de la société.' }).max(200, { message: 'Nom trop long (200 caractères au plus).' }),
  siren: z
    .string()
    .default('')
    .transform(normalizeSiren)
    .refine((value) => value === '' || isValidSiren(value), { message: 'SIREN invalide : 9 chiffres avec une clé de contrôle valide.' }),
  contactEmail: z.string().trim().toLowerCase().pipe(z.email({ message: 'Adresse e-mail invalide.' })),
  accountantIds: ids,
});

export const clientDecisionSchema = z.object({ clientId: z.string().uuid({ message: 'Client introuvable.' }) });

export const assignmentSchema = z.object({
  clientId: z.string().uuid({ message: 'Client introuvable.' }),
  userId: z.string().uuid({ message: 'Choisissez un comptable.' }),
});

export const bulkAssignmentSchema = z.object({
  clientIds: z.preprocess(
    (value) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value]),
    z.array(z.string().uuid()).min(1, { message: 'Sélectionnez au moins un client.' }).max(500, { message: '500 clients au plus à la fois.' }),
  ),
  userId: z.string().uuid({ message: 'Choisissez un comptable.' }),
});

export const PLATFORM_EVENT = z.object({
  id: z.string().min(1).max(200),
  type: z.literal('client.verification_updated'),
  data: z.object({
    clientId: z.string().uuid(),
    state: z.enum(['company_info', 'directors', 'in_review', 'verified']),
  }),
});
