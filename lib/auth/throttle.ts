import { eq, sql } from 'drizzle-orm';
import { db, queryRows, timestamptz, type Db, type Tx } from '@/db';
import { loginAttempts } from '@/db/schema';
import { recordActivity } from '@/lib/activity/record';

// Kept in PostgreSQL, not in memory: every instance of the app counts the same attempts.
//
// The three rules, and why none of them lets a stranger lock someone out:
// - one e-mail from one address (MAX_FAILURES): that pair waits out the window;
// - one address, whatever the e-mails (MAX_ADDRESS_FAILURES): a firm's office is one address, so
//   past the limit each attempt waits longer (ADDRESS_DELAY_STEP_MS more per failure, up to
//   ADDRESS_DELAY_MAX_MS), and only accounts that have failures of their own in the window are
//   refused: a colleague's right password still opens, a password sprayed across accounts crawls;
// - one e-mail from anywhere (SLOW_DOWN_AFTER): slowed, never refused.
const WINDOW_MINUTES = 15;
export const MAX_FAILURES = 5;
export const MAX_ADDRESS_FAILURES = 20;
export const SLOW_DOWN_AFTER = 10;
const SLOW_DOWN_MS = 1000;
export const ADDRESS_DELAY_STEP_MS = 250;
export const ADDRESS_DELAY_MAX_MS = 5000;
/** Failures of one address journaled one by one in a window; past them, one row at 10, 100, 1000… */
const JOURNALED_FAILURES = 5;

type ThrottleVerdict = { refused: boolean; delayMs: number };

/**
 * One query, three counts over the window: this e-mail from this address (failures since its
 * last success), this address for any e-mail, and this e-mail from anywhere.
 */
async function countVerdict(executor: Db | Tx, email: string, address: string, now: Date): Promise<ThrottleVerdict> {
  const since = timestamptz(new Date(now.getTime() - WINDOW_MINUTES * 60_000));
  const [row] = await queryRows<{ pair: number; address: number; account: number }>(
    sql`
    SELECT
      (SELECT count(*)::int FROM login_attempts a
        WHERE a.email = ${email} AND a.address = ${address} AND NOT a.succeeded AND a.attempted_at > ${since}
          AND a.attempted_at > coalesce((SELECT max(s.attempted_at) FROM login_attempts s
            WHERE s.email = ${email} AND s.address = ${address} AND s.succeeded), '-infinity'::timestamptz)) AS pair,
      (SELECT count(*)::int FROM login_attempts a
        WHERE a.address = ${address} AND NOT a.succeeded AND a.attempted_at > ${since}) AS address,
      (SELECT count(*)::int FROM login_attempts a
        WHERE a.email = ${email} AND NOT a.succeeded AND a.attempted_at > ${since}) AS account`,
    executor,
  );
  const pair = row?.pair ?? 0;
  const fromAddress = row?.address ?? 0;
  const account = row?.account ?? 0;
  const addressOver = fromAddress >= MAX_ADDRESS_FAILURES;
  const addressDelay = addressOver
    ? Math.min(ADDRESS_DELAY_STEP_MS * (fromAddress - MAX_ADDRESS_FAILURES + 1), ADDRESS_DELAY_MAX_MS)
    : 0;
  return {
    refused: pair >= MAX_FAILURES || (addressOver && account > 0),
    delayMs: Math.max(addressDelay, account >= SLOW_DOWN_AFTER ? SLOW_DOWN_MS : 0),
  };
}

export type LoginReservation = { refused: true } | { refused: false; delayMs: number; attemptId: string };

/**
 * Reserves an attempt before its password (or code) is checked: under a lock on the (e-mail,
 * address) pair, the counts are read and, unless refused, a row is written at once as a failure.
 * So N passwords sent in parallel are counted like N sent one after the other: the sixth waits for
 * the lock, sees five failures (reserved, not yet checked) and is refused. The caller settles the
 * reservation with settleLoginAttempt: a right password turns it into a success, a step that is
 * neither (a second factor still due, a deactivated account) removes it. A process that dies
 * between the two leaves a failure, the safe side.
 */
export async function reserveLoginAttempt(email: string, address: string, now = new Date()): Promise<LoginReservation> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`login\n${email}\n${address}`}, 0))`);
    const verdict = await countVerdict(tx, email, address, now);
    if (verdict.refused) return { refused: true } as const;
    const [row] = await tx
      .insert(loginAttempts)
      .values({ email, address, succeeded: false, attemptedAt: now })
      .returning({ id: loginAttempts.id });
    return { refused: false, delayMs: verdict.delayMs, attemptId: row!.id } as const;
  });
}

/** The start of the 15-minute bucket an instant falls in (the Journal groups failures by it). */
function bucketStart(now: Date): Date {
  const size = WINDOW_MINUTES * 60_000;
  return new Date(Math.floor(now.getTime() / size) * size);
}

/** 1…5 one by one, then 10, 100, 1000…: a flood of failures writes a handful of Journal rows. */
function journaledAs(failuresInBucket: number): 'one' | 'grouped' | 'none' {
  if (failuresInBucket <= JOURNALED_FAILURES) return 'one';
  return /^10+$/.test(String(failuresInBucket)) ? 'grouped' : 'none';
}

/**
 * Settles a reserved attempt and writes it in the firm's Journal (without the password), in one
 * transaction: 'failed' keeps the row, 'succeeded' turns it into a success (which resets the pair's
 * count), 'void' removes it (the password was right but opened nothing yet). An address that is
 * nobody's has no firm: its failures are logged with none. Failures are journaled one by one up to
 * JOURNALED_FAILURES per (address, 15 minutes), then as one « échecs regroupés » row each time their
 * count reaches 10, 100, 1000…: 20 failures sent from an office's address, or 40,000, cannot fill a
 * firm's Journal (kept 400 days, and append-only).
 */
export async function settleLoginAttempt(
  attemptId: string,
  outcome: 'failed' | 'succeeded' | 'void',
  attempt: { email: string; address: string; now: Date; user?: { id: string; firmId: string } },
): Promise<void> {
  const { email, address, now, user } = attempt;
  await db.transaction(async (tx) => {
    if (outcome === 'void') {
      await tx.delete(loginAttempts).where(eq(loginAttempts.id, attemptId));
      return;
    }
    const actor = user ? ({ kind: 'user', id: user.id } as const) : ({ kind: 'system' } as const);
    if (outcome === 'succeeded') {
      await tx.update(loginAttempts).set({ succeeded: true }).where(eq(loginAttempts.id, attemptId));
      await recordActivity(tx, {
        firmId: user?.firmId ?? null,
        actor,
        action: 'login_succeeded',
        details: { email, address },
      });
      return;
    }
    const from = bucketStart(now);
    const [row] = await queryRows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM login_attempts
          WHERE address = ${address} AND NOT succeeded
            AND attempted_at >= ${timestamptz(from)} AND attempted_at <= ${timestamptz(now)}`,
      tx,
    );
    const failures = row?.n ?? 1;
    const kind = journaledAs(failures);
    if (kind === 'one') {
      await recordActivity(tx, {
        firmId: user?.firmId ?? null,
        actor,
        action: 'login_failed',
        details: { email, address },
      });
    } else if (kind === 'grouped') {
      await recordActivity(tx, {
        firmId: user?.firmId ?? null,
        actor: { kind: 'system' },
        action: 'login_failures_grouped',
        details: { address, failures, since: from.toISOString() },
      });
    }
  });
}
