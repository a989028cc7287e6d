import { createHash, randomBytes } from 'node:crypto';

/** A request link's secret: 32 random bytes; only its SHA-256 is kept. */
export function newRequestToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashRequestToken(token) };
}

export function hashRequestToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** What a link's path may hold: anything else is not a token (and is never looked up). */
export function looksLikeToken(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}
