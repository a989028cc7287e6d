import { createHmac, timingSafeEqual } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { db, queryRows } from '@/db';
import { webhookEvents } from '@/db/schema';
import { PLATFORM_EVENT } from './schemas';
import { applyVerification } from './client-invitations';

const MAX_SKEW_SECONDS = 5 * 60;

export function signPlatformPayload(secret: string, timestamp: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

export type WebhookAnswer = { status: number; body: Record<string, unknown> };

/**
 * A platform event: the raw body signed with HMAC-SHA256 and the shared secret, a timestamp within
 * 5 minutes, each event id processed once. Anything else changes nothing.
 */
export async function handlePlatformWebhook(
  input: { rawBody: string; timestamp: string | null; signature: string | null },
  secret: string | undefined,
  now = new Date(),
): Promise<WebhookAnswer> {
  if (!secret || !input.timestamp || !input.signature) return { status: 401, body: { error: 'signature_missing' } };
  const expected = Buffer.from(signPlatformPayload(secret, input.timestamp, input.rawBody));
  const given = Buffer.from(input.signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { status: 401, body: { error: 'signature_invalid' } };
  const seconds = Number(input.timestamp);
  if (!Number.isInteger(seconds) || Math.abs(now.getTime() / 1000 - seconds) > MAX_SKEW_SECONDS) {
    return { status: 401, body: { error: 'timestamp_out_of_window' } };
  }
  let event;
  try {
    event = PLATFORM_EVENT.parse(JSON.parse(input.rawBody));
  } catch {
    return { status: 400, body: { error: 'event_unreadable' } };
  }
  return db
    .transaction(async (tx) => {
      const [fresh] = await queryRows<{ id: string }>(
        sql`INSERT INTO ${webhookEvents} (id, type) VALUES (${event.id}, ${event.type}) ON CONFLICT (id) DO NOTHING RETURNING id`,
        tx,
      );
      if (!fresh) return { status: 200, body: { ok: true, duplicate: true } };
      const applied = await applyVerification(event.data.clientId, event.data.state, tx);
      // Unknown (or not onboarding) client: the transaction is undone, the event id stays free.
      if (!applied) throw new UnknownClient();
      return { status: 200, body: { ok: true } };
    })
    .catch((error: unknown) => {
      if (error instanceof UnknownClient) return { status: 404, body: { error: 'client_unknown_or_verified' } };
      throw error;
    });
}

class UnknownClient extends Error {}
