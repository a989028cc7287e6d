import { sql, type SQL } from 'drizzle-orm';
import { Resend } from 'resend';
import { db, queryRows, sqlArray, timestamptz } from '@/db';

// Resend's delivery events (POST /api/webhooks/resend), and `email.received` (lib/receipts/inbound.ts), signed the Svix way and verified with the
// SDK's own verifier. Each event applies once (by its id); a status never goes back: bounced and
// complained outrank delivered, which outranks delayed, whatever order the events arrive in.

const STATUSES = {
  'email.delivery_delayed': 'delayed',
  'email.delivered': 'delivered',
  'email.bounced': 'bounced',
  'email.complained': 'complained',
} as const;
type Status = (typeof STATUSES)[keyof typeof STATUSES];

const rank = (value: SQL) =>
  sql`CASE ${value} WHEN 'complained' THEN 4 WHEN 'bounced' THEN 3 WHEN 'delivered' THEN 2 WHEN 'delayed' THEN 1 ELSE 0 END`;

type ResendEvent = {
  type: string;
  created_at?: string;
  data?: { email_id?: string; to?: string[] | string; bounce?: { type?: string } };
};

export type DeliveryAnswer = { status: number; body: Record<string, unknown> };

/** The signature first (a bad or stale one changes nothing), then the event once. */
export async function receiveDeliveryEvent(
  rawBody: string,
  headers: { id: string | null; timestamp: string | null; signature: string | null },
  secret: string | undefined,
  onReceived?: (data: unknown) => Promise<{ ok: boolean } & Record<string, unknown>>,
): Promise<DeliveryAnswer> {
  if (!secret || !headers.id || !headers.timestamp || !headers.signature)
    return { status: 401, body: { error: 'signature_missing' } };
  let event: ResendEvent;
  try {
    // The SDK's verifier also refuses a timestamp more than five minutes away.
    event = new Resend('re_verify_only').webhooks.verify({
      payload: rawBody,
      headers: { id: headers.id, timestamp: headers.timestamp, signature: headers.signature },
      webhookSecret: secret,
    }) as ResendEvent;
  } catch {
    return { status: 401, body: { error: 'signature_invalid' } };
  }
  if (event.type === 'email.received' && onReceived) {
    // An e-mail to a receiving address (the receipts' feature, passed in by the route): applied before
    // the event is recorded, and safe to apply again, so that a failure answers 5xx and Resend's retry
    // finishes it.
    const data = (event as { data?: unknown }).data;
    const outcome = await onReceived(data);
    if (!outcome.ok) return { status: 503, body: { error: 'provider_unavailable' } };
    await applyDeliveryEvent(headers.id, event);
    return { status: 200, body: outcome };
  }
  return { status: 200, body: await applyDeliveryEvent(headers.id, event) };
}

async function applyDeliveryEvent(eventId: string, event: ResendEvent): Promise<Record<string, unknown>> {
  const status: Status | undefined = Object.prototype.hasOwnProperty.call(STATUSES, event.type)
    ? STATUSES[event.type as keyof typeof STATUSES]
    : undefined;
  const messageId = event.data?.email_id ?? null;
  const at = event.created_at && !Number.isNaN(Date.parse(event.created_at)) ? new Date(event.created_at) : new Date();
  return db.transaction(async (tx) => {
    const fresh = await queryRows<{ id: string }>(
      sql`INSERT INTO email_events (id, type, message_id) VALUES (${eventId}, ${event.type}, ${messageId})
          ON CONFLICT (id) DO NOTHING RETURNING id`,
      tx,
    );
    if (fresh.length === 0) return { ok: true, duplicate: true };
    if (!status || !messageId) return { ok: true, ignored: true };
    let matched = 0;
    for (const table of ['digest_deliveries', 'reminder_recipients']) {
      const rows = await queryRows<{ n: number }>(
        sql`WITH updated AS (
              UPDATE ${sql.raw(table)} SET delivery_status = ${status}, delivery_status_at = ${timestamptz(at)}
              WHERE provider_message_id = ${messageId}
                AND (${rank(sql.raw('delivery_status'))} < ${rank(sql`${status}::text`)}
                     OR (delivery_status = ${status} AND delivery_status_at < ${timestamptz(at)}))
              RETURNING 1)
            SELECT count(*)::int AS n FROM updated`,
        tx,
      );
      matched += rows[0]?.n ?? 0;
    }
    // A hard bounce or a complaint stops every later e-mail to the address.
    const hard = status === 'complained' || (status === 'bounced' && event.data?.bounce?.type !== 'Transient');
    const to = ([] as string[])
      .concat(event.data?.to ?? [])
      .map((a) => a.trim().toLowerCase())
      .filter(Boolean);
    if (hard && to.length > 0) {
      await tx.execute(sql`
        INSERT INTO email_suppressions (address, reason)
        SELECT unnest(${sqlArray(to, 'text')}), ${status}
        ON CONFLICT (address) DO UPDATE SET reason = excluded.reason, cleared_at = NULL, cleared_by = NULL`);
    }
    return { ok: true, matched };
  });
}

/** Whether an address is suppressed now. */
export async function suppressedAmong(addresses: string[]): Promise<Set<string>> {
  if (addresses.length === 0) return new Set();
  const rows = await queryRows<{ address: string }>(
    sql`SELECT address FROM email_suppressions WHERE cleared_at IS NULL AND address = ANY(${sqlArray(
      addresses.map((a) => a.toLowerCase()),
      'text',
    )})`,
  );
  return new Set(rows.map((r) => r.address));
}
