import { createHash, timingSafeEqual } from 'node:crypto';

/** `Authorization: Bearer <secret>`, compared in constant time; no secret configured → refused. */
export function isCronAuthorized(authorization: string | null, secret: string | undefined): boolean {
  if (!secret || !authorization) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(authorization), digest(`Bearer ${secret}`));
}
