import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { authSecret, readEnv } from '@/lib/server/env';

// Two-factor secrets at rest: AES-256-GCM under TOTP_ENCRYPTION_KEY (required in production, see
// lib/server/production-settings.ts). In development, a key derived from the development secret.

function key(): Buffer {
  const configured = readEnv().TOTP_ENCRYPTION_KEY;
  if (configured) {
    const decoded = Buffer.from(configured, 'base64');
    if (decoded.length === 32) return decoded;
  }
  const fallback = authSecret();
  if (!fallback) throw new Error('TOTP_ENCRYPTION_KEY is required in production');
  return createHash('sha256').update(`totp-key:${fallback}`).digest();
}

/** "v1.<iv>.<tag>.<ciphertext>", base64url. */
export function encryptSecret(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(), iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), data]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

export function decryptSecret(sealed: string): string {
  const [version, iv, tag, data] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || !data) throw new Error('unreadable sealed secret');
  const decipher = createDecipheriv('aes-256-gcm', key(), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
}
