import { z } from 'zod';

export const notificationPreferenceSchema = z.object({
  clientId: z.string().uuid({ message: 'Client inconnu.' }),
  // An unticked checkbox is absent from the form.
  email: z.preprocess((value) => value === 'on' || value === 'true' || value === '1', z.boolean()),
  frequency: z.enum(['daily', 'weekly', 'monthly'], { message: 'Sélectionnez une fréquence : quotidienne, hebdomadaire ou mensuelle.' }),
});

export type NotificationPreferenceInput = z.infer<typeof notificationPreferenceSchema>;
