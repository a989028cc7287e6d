import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import { db, timestamptz, type Tx } from '@/db';
import { firms, loginChallenges, secondFactorFailures, users } from '@/db/schema';
import SecondFactorAlertEmail, { secondFactorAlertSubject, secondFactorAlertText } from '@/emails/second-factor-alert';
import { recordActivity } from '@/lib/activity/record';
import { appUrl } from '@/lib/server/env';
import { logger } from '@/lib/server/log';
import { renderEmail } from '@/lib/server/mail/render';
import { sendEmailBatch } from '@/lib/server/mail/send';
import type { Transport } from '@/lib/server/mail/transport';

// A 6-digit code has a million values: without a limit, 400 tries at 32 a second were enough to
// be worth trying. So:
// - a login challenge dies after MAX_CHALLENGE_FAILURES wrong codes (the password again, then);
// - an account takes at most MAX_HOURLY_FAILURES wrong codes in any hour, across challenges,
//   « Régénérer les codes » and « Désactiver »; past that every code is refused until the oldest
//   of them is an hour old, and the user gets one e-mail saying someone tried.
// Each wrong code and each refusal is in the Journal (bounded: each needs the password, or a session).
// Every try is reserved before its code is checked (reserveCodeAttempt), so parallel requests count too.
const MAX_CHALLENGE_FAILURES = 5;
const MAX_HOURLY_FAILURES = 10;
const HOUR_MS = 60 * 60_000;

export type SecondFactorContext = 'login' | 'regenerate' | 'disable';

type Member = { id: string; firmId: string };

const journal = (
  tx: Tx,
  user: Member,
  action: 'second_factor_failed' | 'second_factor_locked' | 'second_factor_refused',
  details: Record<string, string | number>,
) => recordActivity(tx, { firmId: user.firmId, actor: { kind: 'user', id: user.id }, action, details });

export type CodeAttempt =
  | { status: 'reserved'; attemptId: string }
  // Ten wrong codes this hour: nothing is checked (the challenge, if any, is closed).
  | { status: 'locked' }
  // The challenge is used up (five codes tried, or closed): the password again.
  | { status: 'challenge_closed' };

/** The user's failed codes in the hour before `now`, across challenges and forms. */
async function hourlyFailures(tx: Tx, userId: string, now: Date): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(secondFactorFailures)
    .where(
      and(
        eq(secondFactorFailures.userId, userId),
        gt(secondFactorFailures.failedAt, new Date(now.getTime() - HOUR_MS)),
      ),
    );
  return row?.n ?? 0;
}

/**
 * Takes one try of the second factor BEFORE any code is checked, under the user's row lock: the
 * hour's failures are counted and a failure row is written at once (removed if the code proves
 * right), and the challenge's count goes up while it is under five. So a hundred codes sent at the
 * same moment are a hundred tries in line: at most 10 an hour and 5 a challenge are ever checked.
 * (Counting after the check let parallel requests all pass the check first.)
 */
export async function reserveCodeAttempt(
  user: Member,
  context: SecondFactorContext,
  address: string,
  now = new Date(),
  challengeId?: string,
): Promise<CodeAttempt> {
  return db.transaction(async (tx) => {
    await tx.select({ id: users.id }).from(users).where(eq(users.id, user.id)).for('update');
    if ((await hourlyFailures(tx, user.id, now)) >= MAX_HOURLY_FAILURES) {
      if (challengeId) await tx.update(loginChallenges).set({ usedAt: now }).where(eq(loginChallenges.id, challengeId));
      await journal(tx, user, 'second_factor_refused', { via: context });
      return { status: 'locked' as const };
    }
    if (challengeId) {
      const taken = await tx
        .update(loginChallenges)
        .set({ failedCodes: sql`${loginChallenges.failedCodes} + 1` })
        .where(
          and(
            eq(loginChallenges.id, challengeId),
            isNull(loginChallenges.usedAt),
            lt(loginChallenges.failedCodes, MAX_CHALLENGE_FAILURES),
          ),
        )
        .returning({ id: loginChallenges.id });
      if (taken.length === 0) return { status: 'challenge_closed' as const };
    }
    const [attempt] = await tx
      .insert(secondFactorFailures)
      .values({ userId: user.id, context, address, failedAt: now })
      .returning({ id: secondFactorFailures.id });
    return { status: 'reserved' as const, attemptId: attempt!.id };
  });
}

/** A right code: its reserved try is not a failure. */
export async function codeAttemptSucceeded(attemptId: string): Promise<void> {
  await db.delete(secondFactorFailures).where(eq(secondFactorFailures.id, attemptId));
}

/**
 * A wrong code (or password): the reserved try stays a failure. Journaled; the challenge closes at
 * its fifth; at the tenth of the hour the account locks and its owner gets one e-mail, after the commit.
 */
export async function codeAttemptFailed(
  user: Member,
  context: SecondFactorContext,
  address: string,
  now = new Date(),
  options: { challengeId?: string; transport?: Transport } = {},
): Promise<{ locked: boolean; challengeClosed: boolean }> {
  const { failures, challengeClosed } = await db.transaction(async (tx) => {
    await tx.select({ id: users.id }).from(users).where(eq(users.id, user.id)).for('update');
    let closed = false;
    if (options.challengeId) {
      const [challenge] = await tx
        .update(loginChallenges)
        .set({
          usedAt: sql`CASE WHEN ${loginChallenges.failedCodes} >= ${MAX_CHALLENGE_FAILURES} THEN ${timestamptz(now)} ELSE ${loginChallenges.usedAt} END`,
        })
        .where(eq(loginChallenges.id, options.challengeId))
        .returning({ failedCodes: loginChallenges.failedCodes });
      closed = (challenge?.failedCodes ?? 0) >= MAX_CHALLENGE_FAILURES;
    }
    const count = await hourlyFailures(tx, user.id, now);
    await journal(tx, user, count >= MAX_HOURLY_FAILURES ? 'second_factor_locked' : 'second_factor_failed', {
      via: context,
      address,
      failures: count,
    });
    return { failures: count, challengeClosed: closed };
  });
  if (failures === MAX_HOURLY_FAILURES) await alertUser(user.id, now, options.transport);
  return { locked: failures >= MAX_HOURLY_FAILURES, challengeClosed };
}

/**
 * « Quelqu’un a essayé » : one e-mail per lock, keyed by the user and the hour it started, so that a
 * retry (or two instances) sends it once. A failure to send is logged, never shown to the attacker.
 */
async function alertUser(userId: string, now: Date, transport?: Transport): Promise<void> {
  const [user] = await db
    .select({ email: users.email, name: users.name, locale: users.locale, firmId: users.firmId, firmName: firms.name })
    .from(users)
    .innerJoin(firms, eq(firms.id, users.firmId))
    .where(eq(users.id, userId));
  if (!user) return;
  const props = {
    locale: user.locale,
    name: user.name,
    firmName: user.firmName,
    attempts: MAX_HOURLY_FAILURES,
    at: now.toISOString(),
    securityUrl: `${appUrl()}/compte/securite`,
  };
  const email = await renderEmail(SecondFactorAlertEmail, props, {
    to: user.email,
    subject: secondFactorAlertSubject(props),
    text: secondFactorAlertText,
    firmId: user.firmId,
  });
  const key = `second-factor-locked:${userId}:${Math.floor(now.getTime() / HOUR_MS)}`;
  const outcome = await sendEmailBatch([email], key, { transport });
  if (outcome.status !== 'sent' || outcome.failed.length > 0)
    logger.error({ userId, status: outcome.status }, 'second-factor alert e-mail not sent');
}
