import { sql } from 'drizzle-orm';
import { queryRows, sqlArray, type Tx } from '@/db';
import DigestEmail, {
  byUrgency,
  digestSubject,
  digestText,
  type DigestClient,
  type DigestEmailProps,
} from '@/emails/digest';
import { visibleToUserRow } from '@/lib/access/visibility';
import { appUrl } from '@/lib/server/env';
import type { Locale } from '@/lib/server/i18n/locales';
import { renderEmail } from '@/lib/server/mail/render';
import type { OutgoingEmail } from '@/lib/server/mail/transport';
import { unsubscribeToken } from './tokens';
import { DateTime } from 'luxon';
import { monthDeadline, type VatRegime } from '@/lib/close/calendar';
import { closeNotice } from '@/lib/close/deadlines';

// What a digest contains and how it is written: the queue (digest-queue.ts) decides when.

export type ContentRow = {
  delivery_id: string;
  firm_id: string;
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
  paris_day: string;
  // The same client in the user's previous digest, if there was one.
  prev_missing: number | null;
  prev_ready: number | null;
  prev_balance: number | string | null;
  prev_day: string | Date | null;
  // Receipts, « pas de reçu » and answers that came back for this client since the user's
  // previous digest (or 7 days): its rows of the Boîte de réception.
  came_back: number;
  arrived_since: string | Date | null;
  // « La clôture du mois »: the month to close on the run's day, for this client.
  vat_regime: VatRegime;
  vat_due_day: number;
  close_working_days: number;
  franchise_close_day: number;
  close_status: string;
};

/**
 * Each claimed e-mail's clients, as the user may still see them now: active user, connected
 * client of the firm, still subscribed, and the visibility rule. An e-mail with nothing left is
 * absent from the map.
 */
export async function loadDigestContent(tx: Tx, deliveryIds: string[]): Promise<Map<string, ContentRow[]>> {
  const content = await queryRows<ContentRow>(
    sql`WITH arrived AS (
          SELECT d.id AS delivery_id, last.since, coalesce(last.since, d.created_at - interval '7 days') AS from_at
          FROM digest_deliveries d
          LEFT JOIN LATERAL (
            SELECT max(pd.sent_at) AS since FROM digest_deliveries pd
            WHERE pd.user_id = d.user_id AND pd.state = 'sent' AND pd.paris_day < d.paris_day) last ON true
          WHERE d.id = ANY(${sqlArray(deliveryIds, 'uuid')}))
        SELECT d.id AS delivery_id, d.firm_id, u.name AS user_name, u.locale AS user_locale, u.email AS user_email, f.name AS firm_name,
               s.id AS subscription_id, c.id AS client_id, c.name AS client_name, c.balance_cents, c.currency,
               c.missing_receipts, c.ready_to_export, d.paris_day::text AS paris_day,
               prev.missing_receipts AS prev_missing, prev.ready_to_export AS prev_ready,
               prev.balance_cents AS prev_balance, prev.paris_day::text AS prev_day,
               -- What came back for this client (the Boîte de réception) since the previous digest.
               -- and the documents forwarded to its receipt address or sent through a link without
               -- naming their expense (not those a user dropped, nor a link's once attached: that
               -- one is an inbox item already).
               (SELECT count(*)::int FROM inbox_items ib
                WHERE ib.client_id = c.id AND ib.created_at > arrived.from_at)
               + (SELECT count(*)::int FROM inbound_documents dc
                  WHERE dc.client_id = c.id AND dc.created_at > arrived.from_at AND dc.state <> 'dismissed'
                    AND dc.email_id NOT LIKE 'depot-%' AND NOT (dc.email_id LIKE 'lien-%' AND dc.state = 'attached'))
                 AS came_back,
               arrived.since AS arrived_since,
               c.vat_regime, c.vat_due_day, f.close_working_days, f.franchise_close_day,
               -- A month without a row had no expense: nothing blocks its close.
               coalesce((SELECT cm.status FROM client_months cm WHERE cm.client_id = c.id
                           AND cm.month = (date_trunc('month', d.paris_day::timestamp) - interval '1 month')::date),
                        'ready') AS close_status
        FROM digest_deliveries d
        JOIN arrived ON arrived.delivery_id = d.id
        JOIN users u ON u.id = d.user_id AND u.active
          -- An address that bounced for good or complained gets nothing until an admin clears it.
          AND NOT EXISTS (SELECT 1 FROM email_suppressions x WHERE x.address = lower(u.email) AND x.cleared_at IS NULL)
        JOIN firms f ON f.id = d.firm_id
        JOIN digest_delivery_items i ON i.delivery_id = d.id
        JOIN notification_subscriptions s ON s.id = i.subscription_id AND s.enabled
        JOIN clients c ON c.id = i.client_id AND c.firm_id = d.firm_id AND c.status = 'active'
        LEFT JOIN LATERAL (
          SELECT pi.missing_receipts, pi.ready_to_export, pi.balance_cents, pd.paris_day
          FROM digest_deliveries pd
          JOIN digest_delivery_items pi ON pi.delivery_id = pd.id AND pi.subscription_id = s.id
          WHERE pd.user_id = d.user_id AND pd.state = 'sent' AND pd.paris_day < d.paris_day AND pi.missing_receipts IS NOT NULL
          ORDER BY pd.paris_day DESC LIMIT 1) prev ON true
        WHERE d.id = ANY(${sqlArray(deliveryIds, 'uuid')}) AND ${visibleToUserRow(sql`u`, sql`c`)}`,
    tx,
  );
  const byDelivery = new Map<string, ContentRow[]>();
  for (const row of content) byDelivery.set(row.delivery_id, [...(byDelivery.get(row.delivery_id) ?? []), row]);
  return byDelivery;
}

/** RFC 8058 one-click unsubscribe: turns off every subscription this e-mail carried. */
export function unsubscribeHeaders(deliveryId: string): Record<string, string> {
  return {
    'List-Unsubscribe': `<${appUrl()}/api/unsubscribe/${unsubscribeToken({ kind: 'digest', deliveryId })}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}

/**
 * The client's month to close on the run's day, when it matters this week: late (its close date is
 * past and it is not closed) or due by the run's Sunday. Dates from its VAT regime and the firm's
 * rule (lib/close/calendar.ts), as the board computes them.
 */
function closeOf(row: ContentRow): DigestClient['close'] {
  // A run renders thousands of clients sharing a few regimes, days and rules: each distinct
  // (day, rules, closed) is computed once (luxon and the holiday calendar cost more than the rest
  // of a client's lines).
  const key = `${row.paris_day}|${row.vat_regime}|${row.vat_due_day}|${row.close_working_days}|${row.franchise_close_day}|${row.close_status === 'closed'}`;
  if (closeMemo.has(key)) return closeMemo.get(key);
  const month = DateTime.fromISO(row.paris_day, { zone: 'UTC' }).minus({ months: 1 }).toFormat('yyyy-LL');
  const deadline = monthDeadline(month, {
    regime: row.vat_regime,
    dueDay: row.vat_due_day,
    closeWorkingDays: row.close_working_days,
    franchiseDay: row.franchise_close_day,
  });
  const notice = closeNotice(month, deadline.close, row.paris_day, row.close_status === 'closed');
  if (closeMemo.size >= 5_000) closeMemo.clear();
  closeMemo.set(key, notice);
  return notice;
}

const closeMemo = new Map<string, DigestClient['close']>();

/** The clients something came back for, most first, and since when (none: the last 7 days). */
function cameBack(rows: ContentRow[]): DigestEmailProps['cameBack'] {
  const clients = rows
    .filter((row) => row.came_back > 0)
    .map((row) => ({ name: row.client_name, count: row.came_back }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  if (clients.length === 0) return undefined;
  const since = rows[0]!.arrived_since;
  return { clients, since: since === null ? undefined : new Date(since), url: `${appUrl()}/boite` };
}

/** One user's digest, in their language: clients with open tasks first, then by name. */
export async function renderDigest(deliveryId: string, rows: ContentRow[], now: Date): Promise<OutgoingEmail> {
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
      previous:
        row.prev_missing === null
          ? undefined
          : {
              missingReceipts: row.prev_missing,
              readyToExport: row.prev_ready ?? 0,
              balanceCents: Number(row.prev_balance ?? 0),
              day: new Date(`${String(row.prev_day).slice(0, 10)}T12:00:00Z`),
            },
      unsubscribeUrl: `${base}/desabonnement/${unsubscribeToken({ kind: 'client', subscriptionId: row.subscription_id })}`,
      close: closeOf(row),
    }))
    .sort((a, b) => byUrgency(a, b) || a.name.localeCompare(b.name, first.user_locale));
  const props = {
    locale: first.user_locale,
    userName: first.user_name,
    firmName: first.firm_name,
    day: now,
    clients,
    portalUrl: `${base}/clients`,
    cameBack: cameBack(rows),
    settingsUrl: `${base}/compte/notifications`,
    unsubscribeAllUrl: `${base}/desabonnement/${unsubscribeToken({ kind: 'digest', deliveryId })}`,
  };
  return renderEmail(DigestEmail, props, {
    to: first.user_email,
    subject: digestSubject(props),
    text: digestText,
    headers: unsubscribeHeaders(deliveryId),
    firmId: first.firm_id,
  });
}
