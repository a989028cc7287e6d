import { hasControlCharacters } from '@/lib/text';
import { decoyHash, verifyPassword } from './password';
import { recordLoginAttempt, SLOW_DOWN_MS, throttleVerdict } from './throttle';
import { findUserForLogin, normalizeEmail } from './users';

export type LoginResult =
  { ok: true; user: { id: string; firmId: string; role: 'admin' | 'accountant' } } | { ok: false; error: LoginError };

type LoginError = 'CredentialsSignin' | 'TooManyAttempts' | 'AccountDisabled' | 'ServiceUnavailable';

/** The whole credentials check, kept out of next-auth so that it can be tested directly. */
export async function checkCredentials(
  rawEmail: unknown,
  password: unknown,
  now = new Date(),
  address = 'unknown',
  wait: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
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
  const verdict = await throttleVerdict(email, address, now);
  if (verdict.refused) return { ok: false, error: 'TooManyAttempts' };
  if (verdict.slowDown) await wait(SLOW_DOWN_MS);
  const user = await findUserForLogin(email);
  // An unknown e-mail costs the same scrypt as a known one.
  const matches = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
  if (!user || !user.passwordHash || !matches) {
    await recordLoginAttempt(email, address, false, now, user ?? undefined);
    return { ok: false, error: 'CredentialsSignin' };
  }
  if (!user.active) return { ok: false, error: 'AccountDisabled' };
  await recordLoginAttempt(email, address, true, now, user);
  return { ok: true, user: { id: user.id, firmId: user.firmId, role: user.role } };
}
