import { and, eq, isNull, ne } from 'drizzle-orm';
import { db, type Tx } from '@/db';
import { firms, recoveryCodes, users } from '@/db/schema';
import { actorOf, recordActivity } from '@/lib/activity/record';
import { verifyPassword } from '@/lib/auth/password';
import { assertAdmin } from '@/lib/access/roles';
import type { CurrentUser } from '@/lib/access/users';
import { SafeError } from '@/lib/server/errors';
import { isUuid } from '@/lib/server/ids';
import { decryptSecret, encryptSecret } from './crypto';
import { codeAttemptFailed, codeAttemptSucceeded, reserveCodeAttempt } from './limits';
import { acceptedStep, hashRecoveryCode, newRecoveryCodes, newTotpSecret } from './totp';

type Member = Pick<CurrentUser, 'id' | 'firmId'>;

/** « Activer la double authentification »: a new secret, kept pending until a code confirms it. */
export async function startEnrolment(user: Member): Promise<void> {
  await db
    .update(users)
    .set({ totpPendingSecret: encryptSecret(newTotpSecret()) })
    .where(and(eq(users.id, user.id), isNull(users.totpEnabledAt)));
}

export async function cancelEnrolment(user: Member): Promise<void> {
  await db.update(users).set({ totpPendingSecret: null }).where(eq(users.id, user.id));
}

async function replaceRecoveryCodes(tx: Tx, userId: string): Promise<string[]> {
  const codes = newRecoveryCodes();
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  await tx.insert(recoveryCodes).values(codes.map((code) => ({ userId, codeHash: hashRecoveryCode(code) })));
  return codes;
}

/**
 * Only a right code turns two-factor login on: the pending secret becomes the secret, the code's
 * step is spent, and ten recovery codes are made (returned once, stored hashed).
 */
export async function confirmEnrolment(user: Member, code: string, now = new Date()): Promise<string[]> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ pending: users.totpPendingSecret, enabledAt: users.totpEnabledAt })
      .from(users)
      .where(eq(users.id, user.id))
      .for('update');
    if (!row?.pending || row.enabledAt) throw new SafeError('errors.noPendingSetup');
    const step = acceptedStep(decryptSecret(row.pending), code, now, null);
    if (step === undefined) throw new SafeError('errors.wrongCode');
    await tx
      .update(users)
      .set({
        totpSecret: row.pending,
        totpPendingSecret: null,
        totpEnabledAt: now,
        totpLastStep: step,
        totpSetupRequired: false,
      })
      .where(eq(users.id, user.id));
    await recordActivity(tx, { firmId: user.firmId, actor: actorOf(user), action: 'totp_enabled' });
    return replaceRecoveryCodes(tx, user.id);
  });
}

/**
 * The password and a current code (the phone is still there) before anything changes: a session
 * left open on a shared computer is not enough. A wrong password or code counts against the
 * second factor's limits (10 an hour, lib/two-factor/limits.ts), like a wrong code at login.
 */
async function withPasswordAndCode<T>(
  user: Member,
  context: 'regenerate' | 'disable',
  input: { password: string; code: string; now: Date; address: string },
  change: (tx: Tx) => Promise<T>,
): Promise<T> {
  // One try, reserved before anything is checked: parallel requests count as much as serial ones.
  const attempt = await reserveCodeAttempt(user, context, input.address, input.now);
  if (attempt.status !== 'reserved') throw new SafeError('errors.tooManyCodes');
  const [row] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, user.id));
  if (!row?.passwordHash || !(await verifyPassword(input.password, row.passwordHash))) {
    await codeAttemptFailed(user, context, input.address, input.now);
    throw new SafeError('errors.wrongPassword');
  }
  try {
    const result = await db.transaction(async (tx) => {
      await spendCode(tx, user.id, input.code, input.now);
      return change(tx);
    });
    await codeAttemptSucceeded(attempt.attemptId);
    return result;
  } catch (error) {
    // Counted after the rollback, in its own transaction: the refusal must stay written.
    if (error instanceof SafeError && error.key === 'errors.wrongCode') {
      const { locked } = await codeAttemptFailed(user, context, input.address, input.now);
      if (locked) throw new SafeError('errors.tooManyCodes');
    }
    throw error;
  }
}

/** « Régénérer les codes »: the old recovery codes are thrown away, ten new ones returned once. */
export async function regenerateRecoveryCodes(
  user: Member,
  password: string,
  code: string,
  now = new Date(),
  address = 'unknown',
): Promise<string[]> {
  return withPasswordAndCode(user, 'regenerate', { password, code, now, address }, (tx) =>
    replaceRecoveryCodes(tx, user.id),
  );
}

/** « Désactiver »: the secret and the recovery codes go, in the Journal. */
export async function disableTwoFactor(
  user: Member,
  password: string,
  code: string,
  now = new Date(),
  address = 'unknown',
): Promise<void> {
  await withPasswordAndCode(user, 'disable', { password, code, now, address }, async (tx) => {
    await tx
      .update(users)
      .set({ totpSecret: null, totpPendingSecret: null, totpEnabledAt: null, totpLastStep: null })
      .where(eq(users.id, user.id));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, user.id));
    await recordActivity(tx, { firmId: user.firmId, actor: actorOf(user), action: 'totp_disabled' });
  });
}

async function spendCode(tx: Tx, userId: string, code: string, now: Date) {
  const [row] = await tx
    .select({ secret: users.totpSecret, lastStep: users.totpLastStep })
    .from(users)
    .where(eq(users.id, userId))
    .for('update');
  const step = row?.secret ? acceptedStep(decryptSecret(row.secret), code, now, row.lastStep) : undefined;
  if (step === undefined) throw new SafeError('errors.wrongCode');
  await tx.update(users).set({ totpLastStep: step }).where(eq(users.id, userId));
}

/**
 * An admin resets a member who lost their phone (never themselves): the member sets it up again at
 * their next login when the firm requires it.
 */
export async function resetTwoFactor(admin: Pick<CurrentUser, 'id' | 'firmId' | 'role'>, memberId: string) {
  assertAdmin(admin);
  if (memberId === admin.id) throw new SafeError('errors.cannotResetSelf');
  if (!isUuid(memberId)) throw new SafeError('errors.memberNotFound');
  return db.transaction(async (tx) => {
    const [member] = await tx
      .update(users)
      .set({
        totpSecret: null,
        totpPendingSecret: null,
        totpEnabledAt: null,
        totpLastStep: null,
        totpSetupRequired: true,
      })
      .where(and(eq(users.id, memberId), eq(users.firmId, admin.firmId), ne(users.id, admin.id)))
      .returning({ id: users.id, name: users.name });
    if (!member) throw new SafeError('errors.memberNotFound');
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, member.id));
    await recordActivity(tx, {
      firmId: admin.firmId,
      actor: actorOf(admin),
      action: 'totp_reset',
      details: { member: member.name },
    });
    return member;
  });
}

/** « Double authentification obligatoire » for the whole firm. */
export async function setTwoFactorPolicy(admin: Pick<CurrentUser, 'id' | 'firmId' | 'role'>, required: boolean) {
  assertAdmin(admin);
  await db.update(firms).set({ requireTwoFactor: required }).where(eq(firms.id, admin.firmId));
}
