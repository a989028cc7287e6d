import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { db, queryRows, sqlArray, timestamptz, type Tx } from '@/db';
import type { OutgoingEmail } from '@/lib/server/mail/transport';
import { loadDigestContent, renderDigest, unsubscribeHeaders, type ContentRow } from './digest-content';

// The digest queue, one row per user and Paris day (digest_deliveries): planned, claimed in
// batches (rendered once, stored), sent, then marked. Unique keys and row locks make runs that
// overlap, repeat or crash send each e-mail once; a batch is always resent as stored, same key.

const LEASE_MS = 5 * 60_000;

/** What an e-mail showed of one client, kept for the next digest's « depuis lundi ». */
type ShownFigures = { subscriptionId: string; missing: number; ready: number; balance: number };

const figuresOf = (rows: ContentRow[]): ShownFigures[] =>
  rows.map((r) => ({
    subscriptionId: r.subscription_id,
    missing: r.missing_receipts,
    ready: r.ready_to_export,
    balance: Number(r.balance_cents),
  }));

export type ClaimedBatch = {
  key: string;
  emails: { deliveryId: string; email: OutgoingEmail; clientIds: string[]; figures?: ShownFigures[] }[];
  /** E-mails found with nothing left to show, marked skipped. */
  skipped?: number;
};

/**
 * The calendar days a recipient may be living at `now`, whatever their zone (UTC−12 to UTC+14):
 * the run's window. A delivery is worked on only within it and before the end of its own day.
 */
function daysAround(now: Date): string[] {
  const utcDay = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return [-1, 0, 1].map((offset) => new Date(utcDay + offset * 86_400_000).toISOString().slice(0, 10));
}

const inWindow = (now: Date) =>
  sql`paris_day = ANY(${sqlArray(daysAround(now), 'date')}) AND due_until > ${timestamptz(now)}`;

export async function countDue(now: Date): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM digest_deliveries WHERE ${inWindow(now)} AND state IN ('pending', 'sending')`,
  );
  return row?.n ?? 0;
}

/**
 * Each user's slot of today: their hour on their calendar day, in their zone (theirs, or their
 * firm's: 10:00 Paris by default), with the day's weekday for the frequencies. Only users whose
 * slot has come (slot ≤ now). The same rule as schedule.ts's slotOn and isSlotDay, in SQL; a
 * property test compares them over random zones, hours and instants.
 */
function dueSlots(now: Date) {
  const at = timestamptz(now);
  return sql`due AS (
    SELECT user_id, day, slot, day_end, zone, extract(isodow FROM day)::int AS dow, extract(day FROM day)::int AS dom
    FROM (
      SELECT u.id AS user_id, z.zone, d.day,
             (d.day + make_interval(hours => z.hour)) AT TIME ZONE z.zone AS slot,
             (d.day + 1)::timestamp AT TIME ZONE z.zone AS day_end
      FROM users u
      JOIN firms f ON f.id = u.firm_id
      CROSS JOIN LATERAL (SELECT coalesce(u.digest_zone, f.digest_zone) AS zone,
                                 coalesce(u.digest_hour, f.digest_hour) AS hour) z
      CROSS JOIN LATERAL (SELECT (${at} AT TIME ZONE z.zone)::date AS day) d
      WHERE EXISTS (SELECT 1 FROM notification_subscriptions s WHERE s.user_id = u.id AND s.enabled)
    ) slots
    WHERE slot <= ${at})`;
}

/** A subscription due in its user's slot of today: its frequency's day, on or after its first slot's day. */
const dueSubscription = sql`s.enabled
  AND ((s.frequency = 'daily' AND due.dow <= 5) OR (s.frequency = 'weekly' AND due.dow = 1)
       OR (s.frequency = 'monthly' AND due.dow = 1 AND due.dom <= 7))
  AND (s.first_slot_at AT TIME ZONE due.zone)::date <= due.day`;

/**
 * Records today's e-mail of every user whose slot has come and who has a due subscription, and
 * which clients it holds. One e-mail per user and calendar day (their zone's): a change of hour
 * or zone within a day never sends a second one.
 */
export async function planDeliveries(now: Date) {
  await db.execute(sql`
    WITH ${dueSlots(now)}
    INSERT INTO digest_deliveries (firm_id, user_id, paris_day, due_until)
    SELECT DISTINCT s.firm_id, s.user_id, due.day, due.day_end
    FROM due JOIN notification_subscriptions s ON s.user_id = due.user_id
    WHERE ${dueSubscription}
    ON CONFLICT (user_id, paris_day) DO NOTHING`);
  // Only into today's e-mail while it is not rendered yet: FOR SHARE waits for a run that is
  // rendering it, and then sees it rendered.
  await db.execute(sql`
    WITH ${dueSlots(now)}
    INSERT INTO digest_delivery_items (delivery_id, subscription_id, client_id, slot_at)
    SELECT d.id, s.id, s.client_id, due.slot
    FROM due
    JOIN notification_subscriptions s ON s.user_id = due.user_id
    JOIN digest_deliveries d ON d.user_id = due.user_id AND d.paris_day = due.day
    WHERE ${dueSubscription} AND d.state = 'pending' AND d.html IS NULL
    FOR SHARE OF d
    ON CONFLICT DO NOTHING`);
}

/**
 * A batch whose run died (or gave up) after claiming it: nobody knows whether the provider took it.
 * It is sent again under the same key, always (one key per batch, for its whole life):
 * - unchanged, the provider deduplicates it if the first attempt did go through;
 * - if someone in it may no longer see what it shows (user deactivated, client unassigned or
 *   disconnected, subscription off), that e-mail is rendered again without what they lost, or
 *   dropped, and the changed batch goes under the same key. If the first attempt had gone
 *   through, the provider refuses the new payload (409 `invalid_idempotent_request`) and sends
 *   nothing: the batch is recorded as sent, and nobody gets the digest twice. If it had not, the
 *   changed batch is what goes: nobody gets what they lost access to.
 * A new key for a changed batch (as before) sent 99 of 100 e-mails a second time after a crash.
 */
export async function reclaimStaleBatch(now: Date, seen: string[]): Promise<ClaimedBatch | undefined> {
  return db.transaction(async (tx) => {
    // A whole batch is taken by one claimer: the batch's advisory lock, tried (never waited for),
    // rather than row locks taken one row at a time, which two claimers of the same batch could
    // take in opposite orders and deadlock on.
    const [stale] = await queryRows<{ batch_key: string }>(
      sql`SELECT batch_key FROM (
            SELECT DISTINCT batch_key FROM digest_deliveries
            WHERE ${inWindow(now)} AND state = 'sending' AND locked_until <= ${timestamptz(now)}
              AND NOT (batch_key = ANY(${sqlArray(seen, 'text')}))
            LIMIT 20) stale
          WHERE pg_try_advisory_xact_lock(hashtext('digest-batch:' || batch_key))
          LIMIT 1`,
      tx,
    );
    if (!stale) return undefined;
    const rows = await queryRows<{
      id: string;
      to_address: string;
      subject: string;
      html: string;
      text: string;
      client_ids: string[] | string | null;
      firm_id: string;
    }>(
      sql`UPDATE digest_deliveries SET locked_until = ${timestamptz(new Date(now.getTime() + LEASE_MS))}, attempts = attempts + 1
          WHERE batch_key = ${stale.batch_key} AND state = 'sending' AND locked_until <= ${timestamptz(now)}
          RETURNING id, to_address, subject, html, text, client_ids, firm_id`,
      tx,
    );
    rows.sort((a, b) => a.id.localeCompare(b.id));
    const current = await loadDigestContent(
      tx,
      rows.map((r) => r.id),
    );
    const emails: ClaimedBatch['emails'] = [];
    const dropped: string[] = [];
    let changed = false;
    for (const row of rows) {
      const shown = uuidList(row.client_ids);
      const still = (current.get(row.id) ?? []).filter((c) => shown.includes(c.client_id));
      if (still.length === shown.length) {
        emails.push({
          deliveryId: row.id,
          email: {
            to: row.to_address,
            subject: row.subject,
            html: row.html,
            text: row.text,
            headers: unsubscribeHeaders(row.id),
            firmId: row.firm_id,
          },
          clientIds: shown,
        });
      } else if (still.length === 0) {
        dropped.push(row.id);
        changed = true;
      } else {
        // The day the e-mail speaks of is the run's: a resend happens the same Paris day.
        emails.push({
          deliveryId: row.id,
          email: await renderDigest(row.id, still, now),
          clientIds: still.map((c) => c.client_id),
          figures: figuresOf(still),
        });
        changed = true;
      }
    }
    if (!changed) return { key: stale.batch_key, emails };
    if (dropped.length > 0) {
      await tx.execute(
        sql`UPDATE digest_deliveries SET state = 'skipped', locked_until = NULL WHERE id = ANY(${sqlArray(dropped, 'uuid')})`,
      );
    }
    await storeBatch(tx, stale.batch_key, emails, now);
    return { key: stale.batch_key, emails, skipped: dropped.length };
  });
}

function uuidList(value: string[] | string | null): string[] {
  if (!value) return [];
  // postgres.js parses uuid[]; PGlite may hand back the literal "{a,b}".
  return Array.isArray(value)
    ? value
    : value
        .replace(/^\{|\}$/g, '')
        .split(',')
        .filter(Boolean);
}

/** Records the rendered e-mails of a batch under its key, with the clients each shows. */
async function storeBatch(tx: Tx, key: string, emails: ClaimedBatch['emails'], now: Date) {
  const column = (pick: (e: ClaimedBatch['emails'][number]) => string) => sqlArray(emails.map(pick), 'text');
  await tx.execute(sql`
    UPDATE digest_deliveries d SET state = 'sending', batch_key = ${key}, attempts = d.attempts + 1,
      locked_until = ${timestamptz(new Date(now.getTime() + LEASE_MS))},
      to_address = v.to_address, subject = v.subject, html = v.html, text = v.text,
      client_ids = string_to_array(v.client_ids, ',')::uuid[]
    FROM unnest(${column((e) => e.deliveryId)}, ${column((e) => e.email.to)}, ${column((e) => e.email.subject)},
                ${column((e) => e.email.html)}, ${column((e) => e.email.text)}, ${column((e) => e.clientIds.join(','))})
         AS v(id, to_address, subject, html, text, client_ids)
    WHERE d.id = v.id::uuid`);
  const figures = emails.flatMap((e) => (e.figures ?? []).map((f) => ({ deliveryId: e.deliveryId, ...f })));
  if (figures.length > 0) {
    // By the items' primary key (delivery, subscription): one index probe per row, whatever the
    // planner believes of a table the day's planning has just filled.
    const column = (pick: (f: (typeof figures)[number]) => string | number, type: 'uuid' | 'integer' | 'bigint') =>
      sqlArray(figures.map(pick), type);
    await tx.execute(sql`
      UPDATE digest_delivery_items i SET missing_receipts = v.missing, ready_to_export = v.ready, balance_cents = v.balance
      FROM unnest(${column((f) => f.deliveryId, 'uuid')}, ${column((f) => f.subscriptionId, 'uuid')},
                  ${column((f) => f.missing, 'integer')}, ${column((f) => f.ready, 'integer')},
                  ${column((f) => f.balance, 'bigint')}) AS v(delivery_id, subscription_id, missing, ready, balance)
      WHERE i.delivery_id = v.delivery_id AND i.subscription_id = v.subscription_id`);
  }
}

/**
 * Claims up to `chunk` pending e-mails, renders them once and stores what will be sent. An
 * e-mail with nothing left to show is marked skipped (counted in `skipped`).
 */
export async function claimPendingBatch(now: Date, chunk: number): Promise<ClaimedBatch | undefined> {
  return db.transaction(async (tx) => {
    const claimed = await queryRows<{ id: string }>(
      sql`SELECT id FROM digest_deliveries WHERE ${inWindow(now)} AND state = 'pending'
          ORDER BY id LIMIT ${chunk} FOR UPDATE SKIP LOCKED`,
      tx,
    );
    if (claimed.length === 0) return undefined;
    const byDelivery = await loadDigestContent(
      tx,
      claimed.map((c) => c.id),
    );
    const key = randomUUID();
    const emails: ClaimedBatch['emails'] = [];
    for (const { id } of claimed) {
      const rows = byDelivery.get(id);
      if (rows?.length)
        emails.push({
          deliveryId: id,
          email: await renderDigest(id, rows, now),
          clientIds: rows.map((r) => r.client_id),
          figures: figuresOf(rows),
        });
    }
    const empty = claimed.filter((c) => !byDelivery.has(c.id)).map((c) => c.id);
    if (empty.length > 0) {
      await tx.execute(sql`UPDATE digest_deliveries SET state = 'skipped' WHERE id = ANY(${sqlArray(empty, 'uuid')})`);
    }
    if (emails.length > 0) await storeBatch(tx, key, emails, now);
    return { key, emails, skipped: empty.length };
  });
}

export async function markSent(batchKey: string, deliveryIds: string[], providerIds: (string | null)[], now: Date) {
  await db.execute(sql`
    UPDATE digest_deliveries d SET state = 'sent', sent_at = ${timestamptz(now)}, locked_until = NULL, last_error = NULL,
      provider_message_id = v.provider_id
    FROM unnest(${sqlArray(deliveryIds, 'uuid')}, ${sqlArray(
      deliveryIds.map((_, i) => providerIds[i] ?? null),
      'text',
    )}) AS v(id, provider_id)
    WHERE d.id = v.id AND d.batch_key = ${batchKey}`);
}

/** The provider refused these messages themselves (all of the batch, or the listed ones): not sent. */
export async function markFailed(batchKey: string, error: string, deliveryIds?: string[]) {
  await db.execute(sql`
    UPDATE digest_deliveries SET state = 'failed', locked_until = NULL, last_error = ${error}
    WHERE batch_key = ${batchKey} AND state = 'sending'
      ${deliveryIds ? sql`AND id = ANY(${sqlArray(deliveryIds, 'uuid')})` : sql``}`);
}

/** Released for the next run, which resends the same payload under the same key. */
export async function releaseForRetry(batchKey: string, error: string, now: Date) {
  await db.execute(sql`
    UPDATE digest_deliveries SET locked_until = ${timestamptz(now)}, last_error = ${error}
    WHERE batch_key = ${batchKey} AND state = 'sending'`);
}
