import { createHash, randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

// RFC 6238: SHA-1, 6 digits, 30-second steps, one step of drift either way. A step once accepted
// is never accepted again for the same user (the caller stores it).
const PERIOD = 30;
const ISSUER = 'Portail Partenaires';

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(secret: string, label = ''): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD,
    secret: Secret.fromBase32(secret),
  });
}

/** The otpauth:// URI an authenticator app reads from the QR code. */
export function totpUri(secret: string, email: string): string {
  return totp(secret, email).toString();
}

/** "JBSW Y3DP EHPK 3PXP …": the key for manual entry, in groups of four. */
export function groupedSecret(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

/**
 * The step a code belongs to, if it is right within ±1 step of `now` and later than `lastStep`;
 * undefined otherwise (wrong, too old, too early, or already used).
 */
export function acceptedStep(secret: string, code: string, now: Date, lastStep: number | null): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const delta = totp(secret).validate({ token: code, timestamp: now.getTime(), window: 1 });
  if (delta === null) return undefined;
  const step = Math.floor(now.getTime() / 1000 / PERIOD) + delta;
  return lastStep !== null && step <= lastStep ? undefined : step;
}

/** The code of a moment (tests, and the seed's documentation). */
export function codeAt(secret: string, at: Date): string {
  return totp(secret).generate({ timestamp: at.getTime() });
}

/** Ten recovery codes, "abcde-fghij" (lowercase base32, 50 bits each). */
export function newRecoveryCodes(count = 10): string[] {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  return Array.from({ length: count }, () => {
    const bytes = randomBytes(10);
    const chars = [...bytes].map((b) => alphabet[b % 32]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5, 10)}`;
  });
}

/** Codes are random and long: a plain hash is enough (no dictionary to guard against). */
export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(code.trim().toLowerCase().replace(/\s+/g, '')).digest('hex');
}
