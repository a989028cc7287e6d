import type { z } from 'zod';
import { flattenError } from 'zod';
import { getCurrentUser } from '@/lib/auth/session';
import type { CurrentUser } from '@/lib/auth/users';
import { SafeError } from '@/lib/errors';
import type { ActionState } from '@/lib/action-state';


export const MESSAGES = {
  signedOut: 'Votre session a expiré. Reconnectez-vous.',
  adminOnly: 'Cette action est réservée aux administrateurs.',
  invalid: 'Certains champs sont à corriger.',
  unexpected: 'Une erreur est survenue. Réessayez dans un instant.',
};

/** FormData to a plain object; a key sent several times (checkboxes) becomes an array. */
export function formToObject(form: FormData): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const key of new Set(form.keys())) {
    if (key.startsWith('$ACTION')) continue;
    const values = form.getAll(key).filter((v): v is string => typeof v === 'string');
    result[key] = values.length > 1 ? values : (values[0] ?? '');
  }
  return result;
}

/**
 * The one wrapper of every server action: loads the user from the database (session, active
 * flag, role, firm), checks the role, parses the form with zod, and shows the user only the
 * messages of a SafeError. Anything else is logged and answered with a generic French message.
 */
export function createAction<S extends z.ZodType>(
  options: { schema: S; role?: 'admin' },
  handler: (input: z.infer<S>, user: CurrentUser) => Promise<ActionState>,
) {
  return async (_previous: ActionState, form: FormData): Promise<ActionState> => {
    const user = await getCurrentUser();
    if (!user) return { status: 'error', message: MESSAGES.signedOut };
    if (options.role === 'admin' && user.role !== 'admin') return { status: 'error', message: MESSAGES.adminOnly };
    const parsed = options.schema.safeParse(formToObject(form));
    if (!parsed.success) {
      return { status: 'error', message: MESSAGES.invalid, fieldErrors: flattenError(parsed.error).fieldErrors as ActionState['fieldErrors'] };
    }
    try {
      return await handler(parsed.data, user);
    } catch (error) {
      if (error instanceof SafeError) return { status: 'error', message: error.message };
      console.error('server action failed', error);
      return { status: 'error', message: MESSAGES.unexpected };
    }
  };
}
