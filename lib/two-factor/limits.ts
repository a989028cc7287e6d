import { and, eq, gt, sql } from 'drizzle-orm';
import { db, queryRows, timestamptz } from '@/db';
import { firms, loginChallenges, secondFactorFailures, users } from '@/db/schema';
import SecondFactorAlertEmail, { secondFactorAlertSubject, secondFactorAlertText } from '@/emails/second-factor-alert';
import { recordActivity } from '@/lib/activity/record';
import { appUrl } from '@/lib/env';
import { logger } from '@/lib/log';
import { renderEmail } from '@/lib/mail/render';
import { sendEmailBatch } from '@/lib/mail/send';
import type { Transport } from '@/lib/mail/transport';

// A 6-digit code has a million values: without a limit, 400 tries at 32 a second were enough to
// be worth trying. So:
// - a login challenge dies after MAX_CHALLENGE_FAILURES wrong codes (the password again, then);
// - an account takes at most MAX_HOURLY_FAILURES wrong codes in any hour, across challenges,
//   « Régénérer les codes » and « Désactiver »; past that every code is refused until the oldest
//   of them is an hour old, and the user gets one e-mail saying someone tried.
// Each wrong code and each refusal is in the Journal (bounded: each needs the password, or a session).
const MAX_CHALLENGE_FAILURES = 5;
const MAX_HOURLY_FAILURES = 10;
const HOUR_MS = 60 * 60_000;

export type SecondFactorContext = 'login' | 'regenerate' | 'disable';

/** Whether this account's second factor is refusing every code now (too many wrong ones this hour). */
export async function secondFactorLocked(userId: string, now = new Date()): Promise<boolean> {
  const [row] = await queryRows<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM second_factor_failures
        WHERE user_id = ${userId} AND failed_at > ${timestamptz(new Date(now.getTime() - HOUR_MS))}
          AND failed_at <= ${timestamptz(now)}`,
  );
  return (row?.n ?? 0) >= MAX_HOURLY_FAILURES;
}

/** A code refused because the account is locked: journaled, and the challenge (if any) closed. */
export async function refuseLockedSecondFactor(
  user: { id: string; firmId: string },
  context: SecondFactorContext,
  now = new Date(),
  challengeId?: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    if (challengeId) await tx.update(loginChallenges).set({ usedAt: now }).where(eq(loginChallenges.id, challengeId));
    await recordActivity(tx, {
      firmId: user.firmId,
      actor: { kind: 'user', id: user.id },
      action: 'second_factor_refused',
      details: { via: context },
    });
  });
}

/**
 * Counts one wrong code, in one transaction that holds the user's row (two wrong codes at the same
 * moment cannot both be the tenth): the challenge's count (closed at the fifth), the account's hour,
 * the Journal. At the tenth of the hour, the e-mail to the user goes out after the commit.
 */
export async function recordWrongCode(
  user: { id: string; firmId: string },
  context: SecondFactorContext,
  address: string,
  now = new Date(),
  options: { challengeId?: string; transport?: Transport } = {},
): Promise<{ locked: boolean; challengeClosed: boolean }> {
  const { failures, challengeDead } = await db.transaction(async (tx) => {
    await tx.select({ id: users.id }).from(users).where(eq(users.id, user.id)).for('update');
    await tx.insert(secondFactorFailures).values({ userId: user.id, context, address, failedAt: now });
    let dead = false;
    if (options.challengeId) {
      const [challenge] = await tx
        .update(loginChallenges)
        .set({
          failedCodes: sql`${loginChallenges.failedCodes} + 1`,
          usedAt: sql`CASE WHEN ${loginChallenges.failedCodes} + 1 >= ${MAX_CHALLENGE_FAILURES} THEN ${timestamptz(now)} ELSE ${loginChallenges.usedAt} END`,
        })
        .where(eq(loginChallenges.id, options.challengeId))
        .returning({ failedCodes: loginChallenges.failedCodes });
      dead = (challenge?.failedCodes ?? 0) >= MAX_CHALLENGE_FAILURES;
    }
    const [row] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(secondFactorFailures)
      .where(
        and(
          eq(secondFactorFailures.userId, user.id),
          gt(secondFactorFailures.failedAt, new Date(now.getTime() - HOUR_MS)),
        ),
      );
    const count = row?.n ?? 1;
    await recordActivity(tx, {
      firmId: user.firmId,
      actor: { kind: 'user', id: user.id },
      action: count >= MAX_HOURLY_FAILURES ? 'second_factor_locked' : 'second_factor_failed',
      details: { via: context, address, failures: count },
    });
    return { failures: count, challengeDead: dead };
  });
  if (failures === MAX_HOURLY_FAILURES) await alertUser(user.id, now, options.transport);
  return { locked: failures >= MAX_HOURLY_FAILURES, challengeClosed: challengeDead };
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
