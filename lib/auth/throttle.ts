import { and, eq, gt, sql } from 'drizzle-orm';
import { db } from '@/db';
import { loginAttempts } from '@/db/schema';

// Kept in PostgreSQL, not in memory: every instance of the app sees the same count.
export const MAX_FAILURES = 5;
const LOCK_MINUTES = 15;

export async function isLockedOut(email: string, now = new Date()): Promise<boolean> {
  const since = new Date(now.getTime() - LOCK_MINUTES * 60_000);
  // Failures since the last success within the window.
  const [row] = await db
    .select({ failures: sql<number>`count(*)::int` })
    .from(loginAttempts)
    .where(
      and(
        eq(loginAttempts.email, email),
        eq(loginAttempts.succeeded, false),
        gt(loginAttempts.attemptedAt, since),
        sql`${loginAttempts.attemptedAt} > coalesce((
          SELECT max(s.attempted_at) FROM login_attempts s WHERE s.email = ${email} AND s.succeeded
        ), '-infinity'::timestamptz)`,
      ),
    );
  return (row?.failures ?? 0) >= MAX_FAILURES;
}

export async function recordLoginAttempt(email: string, succeeded: boolean, now = new Date()): Promise<void> {
  await db.insert(loginAttempts).values({ email, succeeded, attemptedAt: now });
}
