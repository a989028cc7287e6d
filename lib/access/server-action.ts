import { redirect } from 'next/navigation';
import type { z } from 'zod';
import { getCurrentUser } from '@/lib/access/session';
import type { CurrentUser } from '@/lib/access/users';
import { SafeError } from '@/lib/server/errors';
import type { ActionState } from '@/lib/server/action-state';
import { getI18n } from '@/lib/access/request-locale';
import { i18nFor, type I18n } from '@/lib/server/i18n/translator';
import { fieldErrors } from '@/lib/server/i18n/validation';
import { currentRequestId, logger } from '@/lib/server/log';
import { hasControlCharacters } from '@/lib/server/text';

/** FormData to a plain object; a key sent several times (checkboxes) becomes an array. */
function formToObject(form: FormData): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = Object.create(null);
  for (const key of new Set(form.keys())) {
    if (key.startsWith('$ACTION')) continue;
    const values = form.getAll(key).filter((v): v is string => typeof v === 'string');
    result[key] = values.length > 1 ? values : (values[0] ?? '');
  }
  return result;
}

// Fields that take several lines (a comment): tabs and line breaks are allowed there.
const MULTILINE_FIELDS = new Set(['comment']);

/** Control characters (NUL above all) get a message next to their field, before zod or SQL sees them. */
function controlCharacterErrors(fields: Record<string, string | string[]>, i18n: I18n) {
  const errors: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(fields)) {
    const values = Array.isArray(value) ? value : [value];
    const multiline = MULTILINE_FIELDS.has(name);
    if (values.some((v) => hasControlCharacters(v, { multiline }))) errors[name] = [i18n.t('validation.controlChars')];
  }
  return Object.keys(errors).length > 0 ? errors : undefined;
}

type ActionAccess = { who: 'user' | 'admin' | 'anyone'; duringTwoFactorSetup: boolean };
/** Who a wrapped action lets in: read by the anonymous-caller test, which calls every action. */
const actionAccess = new WeakMap<object, ActionAccess>();

export function accessOfAction(action: object): ActionAccess | undefined {
  return actionAccess.get(action);
}

/**
 * The one wrapper of every server action: loads the user from the database (session, active
 * flag, role, firm, language), checks the role, parses the form with zod, and shows the user only
 * the messages of a SafeError, in their language. Anything else is logged and answered with a
 * generic message.
 */
export function createAction<S extends z.ZodType>(
  options: { schema: S; role?: 'admin'; allowDuringTwoFactorSetup?: boolean },
  handler: (input: z.infer<S>, user: CurrentUser, i18n: I18n) => Promise<ActionState>,
) {
  const action = async (_previous: ActionState, form: FormData): Promise<ActionState> => {
    const user = await getCurrentUser();
    if (!user) return { status: 'error', message: (await getI18n()).t('errors.signedOut') };
    const i18n = i18nFor(user.locale);
    if (user.mustSetUpTwoFactor && !options.allowDuringTwoFactorSetup)
      return { status: 'error', message: i18n.t('errors.twoFactorRequired') };
    if (options.role === 'admin' && user.role !== 'admin')
      return { status: 'error', message: i18n.t('errors.adminOnly') };
    return parseAndRun(options.schema, form, i18n, (input) => handler(input, user, i18n));
  };
  actionAccess.set(action, {
    who: options.role === 'admin' ? 'admin' : 'user',
    duringTwoFactorSetup: options.allowDuringTwoFactorSetup === true,
  });
  return action;
}

/**
 * A form posted without JavaScript: runs an action made by createAction (whose checks guard it),
 * then sends the browser where `destination` says, given the result and the user (undefined when
 * the action refused them).
 */
export function createScriptlessAction(
  action: (previous: ActionState, form: FormData) => Promise<ActionState>,
  destination: (state: ActionState, form: FormData, user: CurrentUser | undefined) => string,
) {
  const access = actionAccess.get(action);
  if (!access) throw new Error('createScriptlessAction takes an action made by createAction');
  const scriptless = async (form: FormData): Promise<void> => {
    const state = await action({ status: 'idle' }, form);
    redirect(destination(state, form, await getCurrentUser()));
  };
  actionAccess.set(scriptless, access);
  return scriptless;
}

/** For the few forms reached without a session (choosing a password from an invitation link). */
export function createPublicAction<S extends z.ZodType>(
  options: { schema: S },
  handler: (input: z.infer<S>, i18n: I18n) => Promise<ActionState>,
) {
  const action = async (_previous: ActionState, form: FormData): Promise<ActionState> => {
    const i18n = await getI18n();
    return parseAndRun(options.schema, form, i18n, (input) => handler(input, i18n));
  };
  actionAccess.set(action, { who: 'anyone', duringTwoFactorSetup: true });
  return action;
}

async function parseAndRun<S extends z.ZodType>(
  schema: S,
  form: FormData,
  i18n: I18n,
  run: (input: z.infer<S>) => Promise<ActionState>,
): Promise<ActionState> {
  const fields = formToObject(form);
  const unsafe = controlCharacterErrors(fields, i18n);
  if (unsafe) return { status: 'error', message: i18n.t('errors.invalid'), fieldErrors: unsafe };
  const parsed = schema.safeParse(fields);
  if (!parsed.success) {
    return { status: 'error', message: i18n.t('errors.invalid'), fieldErrors: fieldErrors(i18n, parsed.error) };
  }
  try {
    return await run(parsed.data);
  } catch (error) {
    if (error instanceof SafeError) return { status: 'error', message: i18n.translate(error.key, error.values) };
    // redirect() and notFound() signal by throwing: let Next handle them.
    if (typeof (error as { digest?: unknown })?.digest === 'string') throw error;
    logger.error({ err: error, requestId: await currentRequestId() }, 'server action failed');
    return { status: 'error', message: i18n.t('errors.unexpected') };
  }
}
