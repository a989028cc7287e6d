import { sql } from 'drizzle-orm';
import { db, queryRows, timestamptz } from '@/db';
import { loginAttempts } from '@/db/schema';
import { recordActivity } from '@/lib/activity/record';

// Kept in PostgreSQL, not in memory: every instance of the app counts the same attempts.
const WINDOW_MINUTES = 15;
/** Failures of one e-mail from one address: then that pair waits out the window. */
export const MAX_FAILURES = 5;
/** Failures from one address, whatever the e-mails: one password tried against many accounts. */
export const MAX_ADDRESS_FAILURES = 20;
/** Failures of one e-mail from anywhere: past this, each attempt is slowed, never refused. */
export const SLOW_DOWN_AFTER = 10;
export const SLOW_DOWN_MS = 1000;

export type ThrottleVerdict = { refused: boolean; slowDown: boolean };

/**
 * One query, three counts over the window: this e-mail from this address (failures since its
 * last success), this address for any e-mail, and this e-mail from anywhere. Someone who knows a
 * colleague's e-mail cannot lock them out from another address; they only slow that account down.
 */
export async function throttleVerdict(email: string, address: string, now = new Date()): Promise<ThrottleVerdict> {
  const since = timestamptz(new Date(now.getTime() - WINDOW_MINUTES * 60_000));
  const [row] = await queryRows<{ pair: number; address: number; account: number }>(sql`
    SELECT
      (SELECT count(*)::int FROM login_attempts a
        WHERE a.email = ${email} AND a.address = ${address} AND NOT a.succeeded AND a.attempted_at > ${since}
          AND a.attempted_at > coalesce((SELECT max(s.attempted_at) FROM login_attempts s
            WHERE s.email = ${email} AND s.address = ${address} AND s.succeeded), '-infinity'::timestamptz)) AS pair,
      (SELECT count(*)::int FROM login_attempts a
        WHERE a.address = ${address} AND NOT a.succeeded AND a.attempted_at > ${since}) AS address,
      (SELECT count(*)::int FROM login_attempts a
        WHERE a.email = ${email} AND NOT a.succeeded AND a.attempted_at > ${since}) AS account`);
  return {
    refused: (row?.pair ?? 0) >= MAX_FAILURES || (row?.address ?? 0) >= MAX_ADDRESS_FAILURES,
    slowDown: (row?.account ?? 0) >= SLOW_DOWN_AFTER,
  };
}

/**
 * Counts the attempt for throttling and writes it in the firm's Journal (without the password), in
 * one transaction. An address that is nobody's has no firm: its failures are logged with none.
 */
export async function recordLoginAttempt(
  email: string,
  address: string,
  succeeded: boolean,
  now = new Date(),
  user?: { id: string; firmId: string },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.insert(loginAttempts).values({ email, address, succeeded, attemptedAt: now });
    await recordActivity(tx, {
      firmId: user?.firmId ?? null,
      actor: user ? { kind: 'user', id: user.id } : { kind: 'system' },
      action: succeeded ? 'login_succeeded' : 'login_failed',
      details: { email, address },
    });
  });
}
