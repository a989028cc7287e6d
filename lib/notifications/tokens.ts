import { createHmac, timingSafeEqual } from 'node:crypto';
import { authSecret } from '@/lib/server/env';
import { isUuid } from '@/lib/server/ids';

// Unsubscribe links carry an id and its HMAC under the server secret: unguessable, nothing to
// store, and a forged or altered token fails the check.
export type UnsubscribeTarget = { kind: 'digest'; deliveryId: string } | { kind: 'client'; subscriptionId: string };

const PREFIX = { digest: 'd', client: 's' } as const;

function secret(): string {
  const value = authSecret();
  if (!value) throw new Error('NEXTAUTH_SECRET is required to sign unsubscribe links');
  return value;
}

function mac(payload: string): Buffer {
  return createHmac('sha256', secret()).update(`unsubscribe:${payload}`).digest();
}

export function unsubscribeToken(target: UnsubscribeTarget): string {
  const payload =
    target.kind === 'digest' ? `${PREFIX.digest}.${target.deliveryId}` : `${PREFIX.client}.${target.subscriptionId}`;
  return `${payload}.${mac(payload).toString('base64url')}`;
}

export function readUnsubscribeToken(token: string): UnsubscribeTarget | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [kind, id, signature] = parts as [string, string, string];
  if ((kind !== PREFIX.digest && kind !== PREFIX.client) || !isUuid(id)) return undefined;
  const expected = mac(`${kind}.${id}`);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  return kind === PREFIX.digest ? { kind: 'digest', deliveryId: id } : { kind: 'client', subscriptionId: id };
}
