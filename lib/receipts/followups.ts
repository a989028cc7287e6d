import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { db, queryRows, sqlArray, timestamptz } from '@/db';
import ReceiptRequestEmail, { receiptRequestSubject, receiptRequestText } from '@/emails/receipt-request';
import { appUrl } from '@/lib/server/env';
import { suppressedAmong } from '@/lib/server/mail/delivery-events';
import { renderEmail } from '@/lib/server/mail/render';
import { MAX_BATCH, sendEmailBatch } from '@/lib/server/mail/send';
import type { OutgoingEmail, Transport } from '@/lib/server/mail/transport';
import { dueFrequencies, parisDay } from '@/lib/notifications/schedule';
import { ITEM_PENDING, listRequestedExpenses, storeLinks } from './requests';
import { newRequestToken } from './tokens';

// The follow-ups of a receipt request: at D+3 (step 1) and D+7 (step 2), Paris days, from 10:00
// with the digests, while receipts are still missing and the request is neither cancelled nor
// expired. Exactly once each: a follow-up is a row (request, step) inserted once; the run that
// inserts it sends it, under an idempotency key kept on the row, so that a run that dies between
// the provider's answer and the record is resent under the same key (the provider sends nothing
// twice), and two runs at once never claim the same row.

const LEASE_MS = 5 * 60_000;

export type FollowupSummary = { sent: number; skipped: number; retryLater: number };

export async function runReceiptFollowups(options: {
  now: Date;
  transport?: Transport;
  deadline?: number;
}): Promise<FollowupSummary> {
  const summary: FollowupSummary = { sent: 0, skipped: 0, retryLater: 0 };
  const { now } = options;
  // Follow-ups go with the 10:00 digests: not before 10:00 Paris, and not at the weekend.
  if (dueFrequencies(now).frequencies.length === 0) return summary;
  const today = parisDay(now);
  for (;;) {
    if (options.deadline !== undefined && Date.now() >= options.deadline) break;
    const batch = await claim(today, now);
    if (batch.length === 0) break;
    const key = batch[0]!.batch_key;
    const emails: OutgoingEmail[] = [];
    const sending: { request_id: string; step: number }[] = [];
    const done: { request_id: string; step: number }[] = [];
    const links = new Map<string, string>();
    const suppressed = await suppressedAmong(batch.map((f) => f.recipient_email));
    const requested = await listRequestedExpenses(batch.map((f) => f.request_id));
    for (const followup of batch) {
      const expenses = requested.get(followup.request_id) ?? [];
      // Everything arrived (or the address bounces) since the claim: nothing to send.
      if (expenses.length === 0 || suppressed.has(followup.recipient_email.toLowerCase())) {
        done.push(followup);
        continue;
      }
      const { token, hash } = newRequestToken();
      links.set(followup.request_id, hash);
      const props = {
        recipientName: followup.recipient_name,
        firmName: followup.firm_name,
        requesterName: followup.requester_name,
        clientName: followup.client_name,
        message: '',
        expenses,
        url: `${appUrl()}/recus/${token}`,
        expiresAt: new Date(followup.expires_at),
        followUp: followup.step,
      };
      emails.push(
        await renderEmail(ReceiptRequestEmail, props, {
          to: followup.recipient_email,
          subject: receiptRequestSubject(props),
          text: receiptRequestText,
          firmId: followup.firm_id,
          replyTo: followup.requester_email,
        }),
      );
      sending.push(followup);
    }
    await storeLinks(links);
    if (done.length > 0) {
      await mark(done, now, 'nothing_to_send');
      summary.skipped += done.length;
    }
    if (emails.length === 0) continue;
    const outcome = await sendEmailBatch(emails, key, { transport: options.transport, deadline: options.deadline });
    if (outcome.status === 'sent') {
      const failed = new Map(outcome.failed.map((f) => [f.index, f.message]));
      await mark(
        sending.filter((_, i) => !failed.has(i)),
        now,
        null,
      );
      for (const [i, message] of failed) await mark([sending[i]!], now, message);
      summary.sent += sending.length - failed.size;
      summary.skipped += failed.size;
    } else if (outcome.status === 'rejected') {
      await mark(sending, now, outcome.message);
      summary.skipped += sending.length;
    } else {
      // Left for the next run, same key: released at once rather than after the lease.
      await db.execute(sql`
        UPDATE receipt_followups SET locked_until = ${timestamptz(now)}, last_error = ${outcome.message}
        WHERE batch_key = ${key} AND sent_at IS NULL`);
      summary.retryLater += sending.length;
      break;
    }
  }
  return summary;
}

type Claimed = {
  request_id: string;
  step: number;
  batch_key: string;
  recipient_email: string;
  recipient_name: string | null;
  firm_id: string;
  firm_name: string;
  client_name: string;
  requester_name: string;
  requester_email: string;
  expires_at: string | Date;
};

/** A stale batch (its run died) first, whole, under its key; otherwise up to 100 new follow-ups. */
async function claim(today: string, now: Date): Promise<Claimed[]> {
  const lease = timestamptz(new Date(now.getTime() + LEASE_MS));
  const details = (rows: string) => sql`
    SELECT f.request_id, f.step, f.batch_key, r.recipient_email, r.recipient_name, r.firm_id, fi.name AS firm_name,
           c.name AS client_name, u.name AS requester_name, u.email AS requester_email, r.expires_at
    FROM ${sql.raw(rows)} f
    JOIN receipt_requests r ON r.id = f.request_id JOIN clients c ON c.id = r.client_id
    JOIN firms fi ON fi.id = r.firm_id JOIN users u ON u.id = r.requested_by
    ORDER BY f.request_id, f.step`;
  return db.transaction(async (tx) => {
    const [stale] = await queryRows<{ batch_key: string }>(
      sql`SELECT batch_key FROM (
            SELECT DISTINCT batch_key FROM receipt_followups
            WHERE sent_at IS NULL AND locked_until <= ${timestamptz(now)} LIMIT 20) stale
          WHERE pg_try_advisory_xact_lock(hashtext(batch_key))
          LIMIT 1`,
      tx,
    );
    if (stale) {
      return queryRows<Claimed>(
        sql`WITH taken AS (
              UPDATE receipt_followups SET locked_until = ${lease}, attempts = attempts + 1
              WHERE batch_key = ${stale.batch_key} AND sent_at IS NULL AND locked_until <= ${timestamptz(now)}
              RETURNING request_id, step, batch_key)
            ${details('taken')}`,
        tx,
      );
    }
    const key = `receipt-followups:${randomUUID()}`;
    // Each request's own cadence (its client's when it was sent, 1 to 4 days). Only the latest step
    // due goes: a run that missed D+3 to D+6 sends the D+7 one alone.
    return queryRows<Claimed>(
      sql`WITH due AS (
            SELECT r.id AS request_id, s.step
            FROM receipt_requests r
            CROSS JOIN LATERAL (
              SELECT u.step::int AS step, u.days, lead(u.days) OVER (ORDER BY u.step) AS next_days
              FROM unnest(r.followup_days) WITH ORDINALITY AS u(days, step)) s
            WHERE r.cancelled_at IS NULL AND r.provider_message_id IS NOT NULL
              AND r.expires_at > ${timestamptz(now)}
              AND r.paris_day + s.days <= ${today}::date
              AND (s.next_days IS NULL OR r.paris_day + s.next_days > ${today}::date)
              AND EXISTS (SELECT 1 FROM receipt_request_items i JOIN expenses e ON e.id = i.expense_id
                          WHERE i.request_id = r.id AND ${ITEM_PENDING})
              AND NOT EXISTS (SELECT 1 FROM receipt_followups x WHERE x.request_id = r.id AND x.step >= s.step)
            ORDER BY r.id, s.step
            LIMIT ${MAX_BATCH}),
          taken AS (
            INSERT INTO receipt_followups (request_id, step, batch_key, locked_until, attempts)
            SELECT request_id, step, ${key}, ${lease}, 1 FROM due
            ON CONFLICT DO NOTHING
            RETURNING request_id, step, batch_key)
          ${details('taken')}`,
      tx,
    );
  });
}

async function mark(rows: { request_id: string; step: number }[], now: Date, error: string | null) {
  if (rows.length === 0) return;
  await db.execute(sql`
    UPDATE receipt_followups f SET sent_at = ${timestamptz(now)}, locked_until = NULL, last_error = ${error}
    FROM unnest(${sqlArray(
      rows.map((r) => r.request_id),
      'uuid',
    )}, ${sqlArray(
      rows.map((r) => r.step),
      'integer',
    )}) AS v(request_id, step)
    WHERE f.request_id = v.request_id AND f.step = v.step`);
}
