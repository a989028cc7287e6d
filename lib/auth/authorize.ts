import { and, eq, isNull, sql } from 'drizzle-orm';
import { db } from '@/db';
import { recoveryCodes, users } from '@/db/schema';
import { recordActivity } from '@/lib/activity/record';
import { hasControlCharacters } from '@/lib/server/text';
import { closeChallenge, createChallenge, openChallenge, passwordFingerprint } from '@/lib/two-factor/challenge';
import { decryptSecret } from '@/lib/two-factor/crypto';
import { acceptedStep, hashRecoveryCode } from '@/lib/two-factor/totp';
import { decoyHash, verifyPassword } from './password';
import { codeAttemptFailed, codeAttemptSucceeded, reserveCodeAttempt } from '@/lib/two-factor/limits';
import { reserveLoginAttempt, settleLoginAttempt } from './throttle';
import { findUserForLogin, normalizeEmail } from '@/lib/access/users';

type SessionUser = { id: string; firmId: string; role: 'admin' | 'accountant' };

export type LoginResult =
  | { ok: true; user: SessionUser }
  // The password is right and the account has two-factor login: no session yet, a challenge.
  | { ok: false; error: 'SecondFactorRequired'; challenge: string }
  | { ok: false; error: LoginError };

type LoginError =
  | 'CredentialsSignin'
  | 'TooManyAttempts'
  | 'AccountDisabled'
  | 'ServiceUnavailable'
  | 'InvalidCode'
  | 'TooManyCodes'
  | 'ChallengeExpired';

const defaultWait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The password step, kept out of next-auth so that it can be tested directly. */
export async function checkCredentials(
  rawEmail: unknown,
  password: unknown,
  now = new Date(),
  address = 'unknown',
  wait: (ms: number) => Promise<void> = defaultWait,
): Promise<LoginResult> {
  if (
    typeof rawEmail !== 'string' ||
    typeof password !== 'string' ||
    rawEmail.length > 320 ||
    password.length > 1024 ||
    hasControlCharacters(rawEmail) ||
    password.includes('\u0000')
  ) {
    return { ok: false, error: 'CredentialsSignin' };
  }
  const email = normalizeEmail(rawEmail);
  // Reserved before the password is checked: parallel guesses are counted like serial ones.
  const reservation = await reserveLoginAttempt(email, address, now);
  if (reservation.refused) return { ok: false, error: 'TooManyAttempts' };
  const attemptId = reservation.attemptId;
  if (reservation.delayMs > 0) await wait(reservation.delayMs);
  const user = await findUserForLogin(email);
  // An unknown e-mail costs the same scrypt as a known one.
  const matches = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
  if (!user || !user.passwordHash || !matches) {
    await settleLoginAttempt(attemptId, 'failed', { email, address, now, user: user ?? undefined });
    return { ok: false, error: 'CredentialsSignin' };
  }
  if (!user.active) {
    await settleLoginAttempt(attemptId, 'void', { email, address, now });
    return { ok: false, error: 'AccountDisabled' };
  }
  // The password step alone is not a success: it resets no counter, and opens no session.
  if (user.totpEnabledAt) {
    await settleLoginAttempt(attemptId, 'void', { email, address, now });
    return { ok: false, error: 'SecondFactorRequired', challenge: await createChallenge(user, address, now) };
  }
  await settleLoginAttempt(attemptId, 'succeeded', { email, address, now, user });
  return { ok: true, user: { id: user.id, firmId: user.firmId, role: user.role } };
}

/**
 * The second step: a 6-digit code (±1 step, never one already used) or a recovery code (once),
 * for the challenge the cookie names. Wrong codes count as failed logins (same throttling) and
 * against the second factor's own limits (lib/two-factor/limits.ts: 5 a challenge, 10 an hour);
 * the challenge closes on success, once, or at its fifth wrong code.
 */
export async function checkSecondFactor(
  challengeCookie: string | undefined,
  input: { code?: unknown; recovery?: unknown },
  now = new Date(),
  address = 'unknown',
): Promise<LoginResult> {
  const challenge = await openChallenge(challengeCookie, now);
  if (!challenge) return { ok: false, error: 'ChallengeExpired' };
  const [user] = await db
    .select({
      id: users.id,
      firmId: users.firmId,
      role: users.role,
      email: users.email,
      active: users.active,
      passwordHash: users.passwordHash,
      totpSecret: users.totpSecret,
      totpLastStep: users.totpLastStep,
    })
    .from(users)
    .where(eq(users.id, challenge.userId));
  // Bound to the password step: a password changed, an account deactivated or 2FA turned off since
  // makes the challenge worthless.
  if (
    !user ||
    !user.active ||
    !user.totpSecret ||
    passwordFingerprint(user.passwordHash) !== challenge.passwordFingerprint
  ) {
    return { ok: false, error: 'ChallengeExpired' };
  }
  const email = normalizeEmail(user.email);
  const reservation = await reserveLoginAttempt(email, address, now);
  if (reservation.refused) return { ok: false, error: 'TooManyAttempts' };
  const login = { attemptId: reservation.attemptId, email, address, now, user };
  const attempt = await reserveCodeAttempt(user, 'login', address, now, challenge.id);
  if (attempt.status !== 'reserved') {
    await settleLoginAttempt(login.attemptId, 'void', login);
    return { ok: false, error: attempt.status === 'locked' ? 'TooManyCodes' : 'ChallengeExpired' };
  }

  const code = typeof input.code === 'string' ? input.code.replace(/\s+/g, '') : '';
  const recovery = typeof input.recovery === 'string' ? input.recovery : '';
  let accepted = false;
  if (code) {
    const step = acceptedStep(decryptSecret(user.totpSecret), code, now, user.totpLastStep);
    if (step !== undefined) {
      // Never the same step twice, even for two requests at the same moment.
      const claimed = await db
        .update(users)
        .set({ totpLastStep: step })
        .where(and(eq(users.id, user.id), sql`(${users.totpLastStep} IS NULL OR ${users.totpLastStep} < ${step})`))
        .returning({ id: users.id });
      accepted = claimed.length === 1;
    }
  } else if (recovery && recovery.length <= 64) {
    accepted = await db.transaction(async (tx) => {
      const used = await tx
        .update(recoveryCodes)
        .set({ usedAt: now })
        .where(
          and(
            eq(recoveryCodes.userId, user.id),
            eq(recoveryCodes.codeHash, hashRecoveryCode(recovery)),
            isNull(recoveryCodes.usedAt),
          ),
        )
        .returning({ id: recoveryCodes.id });
      if (used.length === 0) return false;
      await recordActivity(tx, {
        firmId: user.firmId,
        actor: { kind: 'user', id: user.id },
        action: 'recovery_code_used',
      });
      return true;
    });
  }
  if (!accepted) {
    await settleLoginAttempt(login.attemptId, 'failed', login);
    const limits = await codeAttemptFailed(user, 'login', address, now, { challengeId: challenge.id });
    // The fifth wrong code closes the challenge (the password again), the tenth of the hour locks the account.
    if (limits.locked) return { ok: false, error: 'TooManyCodes' };
    return { ok: false, error: limits.challengeClosed ? 'ChallengeExpired' : 'InvalidCode' };
  }
  await codeAttemptSucceeded(attempt.attemptId);
  if (!(await closeChallenge(challenge.id, now))) {
    await settleLoginAttempt(login.attemptId, 'void', login);
    return { ok: false, error: 'ChallengeExpired' };
  }
  await settleLoginAttempt(login.attemptId, 'succeeded', login);
  return { ok: true, user: { id: user.id, firmId: user.firmId, role: user.role } };
}
