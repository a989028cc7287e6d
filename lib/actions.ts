import type { z } from 'zod';
import { flattenError } from 'zod';
import { ADMIN_ONLY } from '@/lib/auth/roles';
import { getCurrentUser } from '@/lib/auth/session';
import type { CurrentUser } from '@/lib/auth/users';
import { SafeError } from '@/lib/errors';
import type { ActionState } from '@/lib/action-state';


export const MESSAGES = {
  signedOut: 'Votre session a expiré. Reconnectez-vous.',
  adminOnly: ADMIN_ONLY,
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
    return parseAndRun(options.schema, form, (input) => handler(input, user));
  };
}

/** For the few forms reached without a session (choosing a password from an invitation link). */
export function createPublicAction<S extends z.ZodType>(options: { schema: S }, handler: (input: z.infer<S>) => Promise<ActionState>) {
  return async (_previous: ActionState, form: FormData): Promise<ActionState> => parseAndRun(options.schema, form, handler);
}

async function parseAndRun<S extends z.ZodType>(schema: S, form: FormData, run: (input: z.infer<S>) => Promise<ActionState>): Promise<ActionState> {
  const parsed = schema.safeParse(formToObject(form));
  if (!parsed.success) {
    return { status: 'error', message: MESSAGES.invalid, fieldErrors: flattenError(parsed.error).fieldErrors as ActionState['fieldErrors'] };
  }
  try {
    return await run(parsed.data);
  } catch (error) {
    if (error instanceof SafeError) return { status: 'error', message: error.message };
    // redirect() and notFound() signal by throwing: let Next handle them.
    if (typeof (error as { digest?: unknown })?.digest === 'string') throw error;
    console.error('server action failed', error);
    return { status: 'error', message: MESSAGES.unexpected };
  }
}
