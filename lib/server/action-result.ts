import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ActionState } from '@/lib/server/action-state';
import { authSecret } from '@/lib/server/env';

// A form that works without JavaScript by posting and being redirected (the Clients page's bulk
// bar) carries its result in the URL it is redirected to: the result as JSON, for one user and
// for a few minutes, under an HMAC of the server secret, so that a link cannot make the page say
// what no action said, to someone else or a day later.

/** How long the page shows a result after the action (a reload within it shows it again). */
const VALID_MINUTES = 10;

function mac(payload: string): Buffer {
  return createHmac('sha256', authSecret() ?? '')
    .update(`action-result:${payload}`)
    .digest();
}

/** The URL parameter for an action's result, shown to `userId` only. */
export function sealActionResult(state: ActionState, userId: string, now = Date.now()): string {
  const payload = Buffer.from(
    JSON.stringify({ u: userId, t: Math.floor(now / 60_000), s: { ...state, data: undefined } }),
  ).toString('base64url');
  return `${payload}.${mac(payload).toString('base64url')}`;
}

function isMessages(value: unknown): value is Record<string, string[]> {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.values(value).every((v) => Array.isArray(v) && v.every((m) => typeof m === 'string'))
  );
}

/** The result a sealed parameter holds, if it is intact, this user's and recent; otherwise undefined. */
export function openActionResult(token: string, userId: string, now = Date.now()): ActionState | undefined {
  const [payload, signature, ...rest] = token.split('.');
  if (!payload || !signature || rest.length > 0) return undefined;
  const expected = mac(payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const { u, t, s } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      u?: unknown;
      t?: unknown;
      s?: { status?: unknown; message?: unknown; fieldErrors?: unknown };
    };
    const age = Math.floor(now / 60_000) - Number(t);
    if (u !== userId || !(age >= 0 && age <= VALID_MINUTES) || !s) return undefined;
    if (s.status !== 'success' && s.status !== 'error') return undefined;
    return {
      status: s.status,
      message: typeof s.message === 'string' ? s.message : undefined,
      fieldErrors: isMessages(s.fieldErrors) ? s.fieldErrors : undefined,
    };
  } catch {
    return undefined;
  }
}
