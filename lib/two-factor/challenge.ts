import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { db } from '@/db';
import { loginChallenges } from '@/db/schema';
import { appUrl, authSecret } from '@/lib/server/env';

// Between a right password and the second factor. No session exists yet: only a challenge row
// (5 minutes, single use) named by a signed, HTTP-only cookie, bound to the user and to the
// password they had when they typed it.

export const CHALLENGE_COOKIE = 'pp-second-factor';
const CHALLENGE_MINUTES = 5;

export function passwordFingerprint(passwordHash: string | null): string {
  return createHash('sha256')
    .update(passwordHash ?? '')
    .digest('hex');
}

function sign(id: string): string {
  return createHmac('sha256', authSecret() ?? '')
    .update(`second-factor:${id}`)
    .digest('base64url');
}

export function challengeCookieOptions() {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    path: '/',
    secure: appUrl().startsWith('https://'),
    maxAge: CHALLENGE_MINUTES * 60,
  };
}

export async function createChallenge(
  user: { id: string; passwordHash: string | null },
  address: string,
  now = new Date(),
): Promise<string> {
  const [row] = await db
    .insert(loginChallenges)
    .values({
      userId: user.id,
      passwordFingerprint: passwordFingerprint(user.passwordHash),
      address,
      expiresAt: new Date(now.getTime() + CHALLENGE_MINUTES * 60_000),
    })
    .returning({ id: loginChallenges.id });
  return `${row!.id}.${sign(row!.id)}`;
}

/** The challenge a cookie names, if its signature holds and it is still open. Does not use it up. */
export async function openChallenge(cookieValue: string | undefined, now = new Date()) {
  const [id, signature] = (cookieValue ?? '').split('.');
  if (!id || !signature || !/^[0-9a-f-]{36}$/.test(id)) return undefined;
  const expected = Buffer.from(sign(id));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const [row] = await db
    .select()
    .from(loginChallenges)
    .where(and(eq(loginChallenges.id, id), isNull(loginChallenges.usedAt), gt(loginChallenges.expiresAt, now)));
  return row;
}

/** Uses a challenge up; false if another request did first. */
export async function closeChallenge(id: string, now = new Date()): Promise<boolean> {
  const rows = await db
    .update(loginChallenges)
    .set({ usedAt: now })
    .where(and(eq(loginChallenges.id, id), isNull(loginChallenges.usedAt), gt(loginChallenges.expiresAt, now)))
    .returning({ id: loginChallenges.id });
  return rows.length === 1;
}
