import { createHmac, timingSafeEqual } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { db, queryRows } from '@/db';
import { webhookEvents } from '@/db/schema';
import { PLATFORM_EVENT } from './schemas';
import { readBodyUpTo } from '@/lib/http/read-body';
import { applyVerification } from './client-invitations';

const MAX_SKEW_SECONDS = 5 * 60;

export function signPlatformPayload(secret: string, timestamp: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

export type WebhookAnswer = { status: number; body: Record<string, unknown> };

/** A single event is a few hundred bytes: 64 KiB is generous, and bounds what an unsigned caller costs. */
const MAX_BODY_BYTES = 64 * 1024;

function timestampInWindow(timestamp: string, now: Date): boolean {
  const seconds = Number(timestamp);
  return Number.isInteger(seconds) && Math.abs(now.getTime() / 1000 - seconds) <= MAX_SKEW_SECONDS;
}

/**
 * The HTTP side, cheapest checks first: a secret configured and both signature headers present,
 * a fresh timestamp, then the body read up to MAX_BODY_BYTES (413 past it), then the signature.
 * An unsigned 100 MB body costs nothing but its first 64 KiB.
 */
export async function receivePlatformWebhook(
  request: Request,
  secret: string | undefined,
  now = new Date(),
): Promise<WebhookAnswer> {
  const timestamp = request.headers.get('x-platform-timestamp');
  const signature = request.headers.get('x-platform-signature');
  if (!secret || !timestamp || !signature) return { status: 401, body: { error: 'signature_missing' } };
  if (!timestampInWindow(timestamp, now)) return { status: 401, body: { error: 'timestamp_out_of_window' } };
  const rawBody = await readBodyUpTo(request, MAX_BODY_BYTES);
  if (rawBody === undefined) return { status: 413, body: { error: 'body_too_large', limit: MAX_BODY_BYTES } };
  return handlePlatformWebhook({ rawBody, timestamp, signature }, secret, now);
}

/**
 * A platform event: the raw body signed with HMAC-SHA256 and the shared secret, a timestamp within
 * 5 minutes, each event id processed once. Anything else changes nothing.
 */
async function handlePlatformWebhook(
  input: { rawBody: string; timestamp: string | null; signature: string | null },
  secret: string | undefined,
  now = new Date(),
): Promise<WebhookAnswer> {
  if (!secret || !input.timestamp || !input.signature) return { status: 401, body: { error: 'signature_missing' } };
  const expected = Buffer.from(signPlatformPayload(secret, input.timestamp, input.rawBody));
  const given = Buffer.from(input.signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { status: 401, body: { error: 'signature_invalid' } };
  if (!timestampInWindow(input.timestamp, now)) return { status: 401, body: { error: 'timestamp_out_of_window' } };
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
