import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { db, queryRows, timestamptz } from '@/db';
import DigestEmail, { digestSubject, digestText, hasOpenTasks, type DigestClient } from '@/emails/digest';
import { appUrl } from '@/lib/env';
import type { Locale } from '@/lib/i18n/locales';
import { renderEmail } from '@/lib/mail/render';
import { MAX_BATCH, sendEmailBatch } from '@/lib/mail/send';
import type { OutgoingEmail, Transport } from '@/lib/mail/transport';
import { dueFrequencies, parisDay } from './schedule';
import { unsubscribeToken } from './tokens';

export type DigestRunSummary = {
  day: string;
  due: number;
  sent: number;
  skipped: number;
  failed: number;
  retryLater: number;
  stoppedBy: 'done' | 'budget' | 'quota';
};

export type DigestRunOptions = {
  now: Date;
  transport?: Transport;
  /** Milliseconds this run may spend before it leaves the rest to the next run. */
  budgetMs?: number;
  elapsed?: () => number;
  sleep?: (ms: number) => Promise<void>;
  chunkSize?: number;
  /** Test hook: called after the provider accepted a batch, before it is recorded. */
  afterSend?: (batchKey: string) => Promise<void> | void;
};

const LEASE_MS = 5 * 60_000;

/**
 * One run of the digest cron: records what is due today, then renders and sends it in batches.
 * Every step is guarded by unique keys and row locks, so that runs that overlap, repeat or crash
 * never send a slot twice; a batch is always resent with the same payload and idempotency key.
 */
export async function runDigests(options: DigestRunOptions): Promise<DigestRunSummary> {
  const started = Date.now();
  const elapsed = options.elapsed ?? (() => Date.now() - started);
  const budget = options.budgetMs ?? 250_000;
  const chunk = Math.min(options.chunkSize ?? MAX_BATCH, MAX_BATCH);
  const now = options.now;
  const day = parisDay(now);
  const summary: DigestRunSummary = { day, due: 0, sent: 0, skipped: 0, failed: 0, retryLater: 0, stoppedBy: 'done' };

  const { slot, frequencies } = dueFrequencies(now);
  if (frequencies.length > 0) await planDeliveries(day, slot.toJSDate(), frequencies);

  const [dueRow] = await queryRows<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM digest_deliveries WHERE paris_day = ${day} AND state IN ('pending', 'sending')`,
  );
  summary.due = dueRow?.n ?? 0;

  const seen: string[] = [];
  for (;;) {
    if (elapsed() >= budget) {
      summary.stoppedBy = 'budget';
      break;
    }
    const batch = (await reclaimStaleBatch(day, now, seen)) ?? (await claimPendingBatch(day, now, chunk, summary));
    if (!batch) break;
    seen.push(batch.key);
    if (batch.emails.length === 0) continue;
    const outcome = await sendEmailBatch(
      batch.emails.map((e) => e.email),
      `digest:${batch.key}`,
      { transport: options.transport, sleep: options.sleep, deadline: started + budget },
    );
    if (outcome.status === 'sent') {
      await options.afterSend?.(batch.key);
      await markSent(
        batch.key,
        batch.emails.map((e) => e.deliveryId),
        outcome.ids,
        now,
      );
      summary.sent += batch.emails.length;
    } else if (outcome.status === 'rejected') {
      await db.execute(sql`
        UPDATE digest_deliveries SET state = 'failed', locked_until = NULL, last_error = ${outcome.message}
        WHERE batch_key = ${batch.key} AND state = 'sending'`);
      summary.failed += batch.emails.length;
    } else {
      // Released for the next run, which resends the same payload under the same key.
      await db.execute(sql`
        UPDATE digest_deliveries SET locked_until = ${timestamptz(now)}, last_error = ${outcome.message}
        WHERE batch_key = ${batch.key} AND state = 'sending'`);
      summary.retryLater += batch.emails.length;
      if (outcome.status === 'quota') {
        summary.stoppedBy = 'quota';
        break;
      }
    }
  }
  return summary;
}

async function planDeliveries(day: string, slotAt: Date, frequencies: string[]) {
  const freqs = sql`ARRAY[${sql.join(
    frequencies.map((f) => sql`${f}`),
    sql`, `,
  )}]::digest_frequency[]`;
  await db.execute(sql`
    INSERT INTO digest_deliveries (firm_id, user_id, paris_day)
    SELECT DISTINCT s.firm_id, s.user_id, ${day}::date
    FROM notification_subscriptions s
    WHERE s.enabled AND s.frequency = ANY(${freqs}) AND s.first_slot_at <= ${timestamptz(slotAt)}
    ON CONFLICT (user_id, paris_day) DO NOTHING`);
  // Only into today's e-mail while it is not rendered yet: FOR SHARE waits for a run that is
  // rendering it, and then sees it rendered.
  await db.execute(sql`
    INSERT INTO digest_delivery_items (delivery_id, subscription_id, client_id, slot_at)
    SELECT d.id, s.id, s.client_id, ${timestamptz(slotAt)}
    FROM notification_subscriptions s
    JOIN digest_deliveries d ON d.user_id = s.user_id AND d.paris_day = ${day}::date
    WHERE s.enabled AND s.frequency = ANY(${freqs}) AND s.first_slot_at <= ${timestamptz(slotAt)}
      AND d.state = 'pending' AND d.html IS NULL
    FOR SHARE OF d
    ON CONFLICT DO NOTHING`);
}

type ClaimedBatch = { key: string; emails: { deliveryId: string; email: OutgoingEmail }[] };

/** A batch whose run died (or gave up) after claiming it: resent as it was, same key. */
async function reclaimStaleBatch(day: string, now: Date, seen: string[]): Promise<ClaimedBatch | undefined> {
  return db.transaction(async (tx) => {
    const [stale] = await queryRows<{ batch_key: string }>(
      sql`SELECT batch_key FROM digest_deliveries
          WHERE paris_day = ${day} AND state = 'sending' AND locked_until <= ${timestamptz(now)}
            AND NOT (batch_key = ANY(${sql`ARRAY[${sql.join([sql`''`, ...seen.map((k) => sql`${k}`)], sql`, `)}]::text[]`}))
          LIMIT 1 FOR UPDATE SKIP LOCKED`,
      tx,
    );
    if (!stale) return undefined;
    const rows = await queryRows<{ id: string; to_address: string; subject: string; html: string; text: string }>(
      sql`UPDATE digest_deliveries SET locked_until = ${timestamptz(new Date(now.getTime() + LEASE_MS))}, attempts = attempts + 1
          WHERE batch_key = ${stale.batch_key} AND state = 'sending'
          RETURNING id, to_address, subject, html, text`,
      tx,
    );
    rows.sort((a, b) => a.id.localeCompare(b.id));
    return {
      key: stale.batch_key,
      emails: rows.map((row) => ({
        deliveryId: row.id,
        email: {
          to: row.to_address,
          subject: row.subject,
          html: row.html,
          text: row.text,
          headers: unsubscribeHeaders(row.id),
        },
      })),
    };
  });
}

type ContentRow = {
  delivery_id: string;
  user_name: string;
  user_locale: Locale;
  user_email: string;
  firm_name: string;
  subscription_id: string;
  client_id: string;
  client_name: string;
  balance_cents: number | string;
  currency: string;
  missing_receipts: number;
  ready_to_export: number;
};

/** Claims up to `chunk` pending e-mails, renders them once and stores what will be sent. */
async function claimPendingBatch(
  day: string,
  now: Date,
  chunk: number,
  summary: DigestRunSummary,
): Promise<ClaimedBatch | undefined> {
  return db.transaction(async (tx) => {
    const claimed = await queryRows<{ id: string }>(
      sql`SELECT id FROM digest_deliveries WHERE paris_day = ${day} AND state = 'pending'
          ORDER BY id LIMIT ${chunk} FOR UPDATE SKIP LOCKED`,
      tx,
    );
    if (claimed.length === 0) return undefined;
    const ids = sql`ARRAY[${sql.join(
      claimed.map((c) => sql`${c.id}`),
      sql`, `,
    )}]::uuid[]`;
    // What each user may still see now: active user, connected client of the firm, still
    // subscribed, and for an accountant still assigned.
    const content = await queryRows<ContentRow>(
      sql`SELECT d.id AS delivery_id, u.name AS user_name, u.locale AS user_locale, u.email AS user_email, f.name AS firm_name,
                 s.id AS subscription_id, c.id AS client_id, c.name AS client_name, c.balance_cents, c.currency,
                 c.missing_receipts, c.ready_to_export
          FROM digest_deliveries d
          JOIN users u ON u.id = d.user_id AND u.active
          JOIN firms f ON f.id = d.firm_id
          JOIN digest_delivery_items i ON i.delivery_id = d.id
          JOIN notification_subscriptions s ON s.id = i.subscription_id AND s.enabled
          JOIN clients c ON c.id = i.client_id AND c.firm_id = d.firm_id AND c.status = 'active'
          WHERE d.id = ANY(${ids})
            AND (u.role = 'admin' OR EXISTS (SELECT 1 FROM assignments a WHERE a.client_id = c.id AND a.user_id = u.id))`,
      tx,
    );
    const byDelivery = new Map<string, ContentRow[]>();
    for (const row of content) byDelivery.set(row.delivery_id, [...(byDelivery.get(row.delivery_id) ?? []), row]);

    const key = randomUUID();
    const emails: ClaimedBatch['emails'] = [];
    for (const { id } of claimed) {
      const rows = byDelivery.get(id);
      if (rows?.length) emails.push({ deliveryId: id, email: await renderDigest(id, rows, now) });
    }
    const empty = claimed.filter((c) => !byDelivery.has(c.id)).map((c) => c.id);
    if (empty.length > 0) {
      await tx.execute(sql`UPDATE digest_deliveries SET state = 'skipped'
        WHERE id = ANY(ARRAY[${sql.join(
          empty.map((e) => sql`${e}`),
          sql`, `,
        )}]::uuid[])`);
      summary.skipped += empty.length;
    }
    if (emails.length > 0) {
      const column = (pick: (e: ClaimedBatch['emails'][number]) => string) =>
        sql`ARRAY[${sql.join(
          emails.map((e) => sql`${pick(e)}`),
          sql`, `,
        )}]::text[]`;
      await tx.execute(sql`
        UPDATE digest_deliveries d SET state = 'sending', batch_key = ${key}, attempts = d.attempts + 1,
          locked_until = ${timestamptz(new Date(now.getTime() + LEASE_MS))},
          to_address = v.to_address, subject = v.subject, html = v.html, text = v.text
        FROM unnest(${column((e) => e.deliveryId)}, ${column((e) => e.email.to)}, ${column((e) => e.email.subject)},
                    ${column((e) => e.email.html)}, ${column((e) => e.email.text)})
             AS v(id, to_address, subject, html, text)
        WHERE d.id = v.id::uuid`);
    }
    return { key, emails };
  });
}

function unsubscribeHeaders(deliveryId: string): Record<string, string> {
  return {
    'List-Unsubscribe': `<${appUrl()}/api/unsubscribe/${unsubscribeToken({ kind: 'digest', deliveryId })}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}

async function renderDigest(deliveryId: string, rows: ContentRow[], now: Date): Promise<OutgoingEmail> {
  const base = appUrl();
  const first = rows[0]!;
  const clients: DigestClient[] = rows
    .map((row) => ({
      clientId: row.client_id,
      name: row.client_name,
      balanceCents: Number(row.balance_cents),
      currency: row.currency,
      missingReceipts: row.missing_receipts,
      readyToExport: row.ready_to_export,
      url: `${base}/clients/${row.client_id}`,
      unsubscribeUrl: `${base}/desabonnement/${unsubscribeToken({ kind: 'client', subscriptionId: row.subscription_id })}`,
    }))
    // Clients with open tasks first, then by name.
    .sort(
      (a, b) => Number(hasOpenTasks(b)) - Number(hasOpenTasks(a)) || a.name.localeCompare(b.name, first.user_locale),
    );
  const props = {
    userName: first.user_name,
    firmName: first.firm_name,
    locale: first.user_locale,
    day: now,
    clients,
    settingsUrl: `${base}/clients/${clients[0]!.clientId}/details#notifications`,
    unsubscribeAllUrl: `${base}/desabonnement/${unsubscribeToken({ kind: 'digest', deliveryId })}`,
  };
  return renderEmail(DigestEmail, props, {
    to: first.user_email,
    subject: digestSubject(props),
    text: digestText,
    headers: unsubscribeHeaders(deliveryId),
  });
}

async function markSent(batchKey: string, deliveryIds: string[], providerIds: string[], now: Date) {
  const ids = sql`ARRAY[${sql.join(
    deliveryIds.map((id) => sql`${id}`),
    sql`, `,
  )}]::uuid[]`;
  const provider = sql`ARRAY[${sql.join(
    deliveryIds.map((_, i) => sql`${providerIds[i] ?? null}`),
    sql`, `,
  )}]::text[]`;
  await db.execute(sql`
    UPDATE digest_deliveries d SET state = 'sent', sent_at = ${timestamptz(now)}, locked_until = NULL, last_error = NULL,
      provider_message_id = v.provider_id
    FROM unnest(${ids}, ${provider}) AS v(id, provider_id)
    WHERE d.id = v.id AND d.batch_key = ${batchKey}`);
}
