import { createHmac, timingSafeEqual } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { db, queryRows, retryOnConflict, type Tx } from '@/db';
import { webhookEvents } from '@/db/schema';
import { readBodyUpTo } from '@/lib/server/http/read-body';
import { applyVerification } from '@/lib/onboarding/client-invitations';
import { MAX_EVENTS, PLATFORM_EVENT, type EventResult, type PlatformEvent } from './events';
import { applyPlatformEvents } from './ingest';

const MAX_SKEW_SECONDS = 5 * 60;

export function signPlatformPayload(secret: string, timestamp: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

export type WebhookAnswer = { status: number; body: Record<string, unknown> };

/** A batch of 1,000 expense events is about 500 KiB: 1 MiB bounds what any caller costs. */
const MAX_BODY_BYTES = 1024 * 1024;

function timestampInWindow(timestamp: string, now: Date): boolean {
  const seconds = Number(timestamp);
  return Number.isInteger(seconds) && Math.abs(now.getTime() / 1000 - seconds) <= MAX_SKEW_SECONDS;
}

/**
 * The HTTP side, cheapest checks first: a secret configured and both signature headers present,
 * a fresh timestamp, then the body read up to MAX_BODY_BYTES (413 past it), then the signature.
 * An unsigned 100 MB body costs nothing; a signed one, its first MiB.
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
  let body: unknown;
  try {
    body = JSON.parse(input.rawBody);
  } catch {
    return { status: 400, body: { error: 'event_unreadable' } };
  }
  if (body && typeof body === 'object' && !Array.isArray(body) && 'events' in body) return handleBatch(body.events);
  const parsed = PLATFORM_EVENT.safeParse(body);
  if (!parsed.success) return { status: 400, body: { error: 'event_unreadable' } };
  const event = parsed.data;
  if (event.type === 'client.verification_updated') return handleVerification(event);
  const results: EventResult[] = [];
  await db.transaction((tx) => applyPlatformEvents(tx, [{ index: 0, event }], results));
  const result = results[0]!;
  if (result === 'unknown_client') return { status: 404, body: { error: 'client_unknown' } };
  if (result === 'client_mismatch') return { status: 409, body: { error: 'client_mismatch' } };
  return { status: 200, body: { ok: true, result, ...(result === 'duplicate' ? { duplicate: true } : {}) } };
}

/**
 * `{ "events": [...] }`: at most MAX_EVENTS, applied in one transaction (see lib/platform/ingest.ts
 * for why), answered with one result per event, in order. An event that is not valid is reported
 * (`invalid`, with where) and the others apply.
 */
async function handleBatch(events: unknown): Promise<WebhookAnswer> {
  if (!Array.isArray(events)) return { status: 400, body: { error: 'event_unreadable' } };
  if (events.length > MAX_EVENTS)
    return { status: 413, body: { error: 'too_many_events', limit: MAX_EVENTS, received: events.length } };
  const results: EventResult[] = Array.from({ length: events.length }, () => 'invalid' as const);
  const problems = new Map<number, string>();
  const valid: { index: number; event: PlatformEvent }[] = [];
  events.forEach((raw, index) => {
    const parsed = PLATFORM_EVENT.safeParse(raw);
    if (parsed.success) valid.push({ index, event: parsed.data });
    else problems.set(index, parsed.error.issues.map((issue) => issue.path.join('.') || 'event').join(', '));
  });
  await retryOnConflict(() =>
    db.transaction(async (tx) => {
      results.fill('invalid');
      await applyPlatformEvents(
        tx,
        valid.filter(
          (e): e is { index: number; event: Exclude<PlatformEvent, { type: 'client.verification_updated' }> } =>
            e.event.type !== 'client.verification_updated',
        ),
        results,
      );
      for (const { index, event } of valid) {
        if (event.type !== 'client.verification_updated') continue;
        results[index] = await applyVerificationOnce(tx, event);
      }
    }),
  );
  const ids = events.map((raw) =>
    raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string'
      ? String((raw as { id: string }).id).slice(0, 200)
      : null,
  );
  return {
    status: 200,
    body: {
      ok: true,
      applied: results.filter((r) => r === 'applied').length,
      results: results.map((result, i) => ({
        id: ids[i],
        result,
        ...(problems.has(i) ? { invalid: problems.get(i) } : {}),
      })),
    },
  };
}

/** A verification step, once per event id; an unknown (or not onboarding) client leaves the id free. */
async function applyVerificationOnce(
  tx: Tx,
  event: Extract<PlatformEvent, { type: 'client.verification_updated' }>,
): Promise<EventResult> {
  const [fresh] = await queryRows<{ id: string }>(
    sql`INSERT INTO ${webhookEvents} (id, type) VALUES (${event.id}, ${event.type}) ON CONFLICT (id) DO NOTHING RETURNING id`,
    tx,
  );
  if (!fresh) return 'duplicate';
  if (await applyVerification(event.data.clientId, event.data.state, tx)) return 'applied';
  await tx.execute(sql`DELETE FROM ${webhookEvents} WHERE id = ${event.id}`);
  return 'unknown_client';
}

async function handleVerification(
  event: Extract<PlatformEvent, { type: 'client.verification_updated' }>,
): Promise<WebhookAnswer> {
  const result = await db.transaction((tx) => applyVerificationOnce(tx, event));
  if (result === 'duplicate') return { status: 200, body: { ok: true, duplicate: true } };
  if (result === 'unknown_client') return { status: 404, body: { error: 'client_unknown_or_verified' } };
  return { status: 200, body: { ok: true } };
}
