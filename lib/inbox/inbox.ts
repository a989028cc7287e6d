import { sql, type SQL } from 'drizzle-orm';
import { afterCursor, cursorAt, queryRows, sqlArray, timestamptz, type PageCursor, type Tx } from '@/db';
import type { ExpenseQuestion, InboxKind } from '@/db/schema';
import type { Viewer } from '@/lib/access/visibility';

// « Boîte de réception »: what came back through the links of « Demander les reçus » (a receipt,
// « pas de reçu » and its reason, the answer to a question), for the clients each person may see.
// A row is written in the same transaction as the answer (lib/receipts/links.ts), once.

/** The most rows one page shows, and the most one action marks handled. */
export const INBOX_PAGE = 50;
/** The header's count stops here (« 99+ »): counting further reads rows nobody needs counted. */
export const INBOX_COUNT_CAP = 100;

export async function recordInboxItem(
  tx: Tx,
  item: { firmId: string; clientId: string; expenseId: string; requestId: string; kind: InboxKind; sender: string },
): Promise<void> {
  await tx.execute(sql`
    INSERT INTO inbox_items (firm_id, client_id, expense_id, request_id, kind, sender)
    VALUES (${item.firmId}, ${item.clientId}, ${item.expenseId}, ${item.requestId}, ${item.kind}, ${item.sender})
    ON CONFLICT (request_id, expense_id, kind) DO NOTHING`);
}

/** The viewer's clients, on an `inbox_items i` row: the firm's, and an accountant's assignments. */
function visibleItem(viewer: Viewer): SQL {
  return viewer.role === 'admin'
    ? sql`i.firm_id = ${viewer.firmId}`
    : sql`i.firm_id = ${viewer.firmId} AND EXISTS (SELECT 1 FROM assignments a WHERE a.client_id = i.client_id AND a.user_id = ${viewer.id})`;
}

/** The header's count: open items of the clients the viewer may see, up to INBOX_COUNT_CAP. */
export async function countOpenInbox(viewer: Viewer): Promise<number> {
  const [row] = await queryRows<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM (
      SELECT 1 FROM inbox_items i JOIN clients c ON c.id = i.client_id AND c.status = 'active'
      WHERE ${visibleItem(viewer)} AND i.handled_at IS NULL
      LIMIT ${INBOX_COUNT_CAP}) open`);
  return row?.n ?? 0;
}

export type InboxRow = {
  id: string;
  kind: InboxKind;
  sender: string;
  arrivedAt: Date;
  clientId: string;
  clientName: string;
  expenseId: string;
  spentOn: string;
  merchant: string;
  amountCents: number;
  currency: string;
  /** The expense's receipt now (it may have changed since: replaced, or marked not required). */
  receiptState: 'missing' | 'attached' | 'not_required';
  receiptReason: string | null;
  question: ExpenseQuestion | null;
  questionText: string | null;
  answer: string | null;
  /** The Factur-X invoice the receipt turned out to be, and whether its VAT is the suggested coding. */
  invoice: { number: string; seller: string; applied: boolean } | null;
  handledAt: Date | null;
  handledBy: string | null;
};

export type InboxState = 'open' | 'handled';

/**
 * One page of the inbox, newest first: `open` what nobody has handled yet, `handled` the rest.
 * Pages go by the last row's (arrival, id), so that items arriving meanwhile shift nothing.
 */
export async function listInbox(
  viewer: Viewer,
  state: InboxState,
  after?: PageCursor,
): Promise<{ rows: InboxRow[]; next?: PageCursor }> {
  const rows = await queryRows<{
    id: string;
    kind: InboxKind;
    sender: string;
    created_at: string | Date;
    cursor_at: string;
    client_id: string;
    client_name: string;
    expense_id: string;
    spent_on: string;
    merchant: string;
    amount_cents: number;
    currency: string;
    receipt_state: InboxRow['receiptState'];
    receipt_reason: string | null;
    question: ExpenseQuestion | null;
    question_text: string | null;
    answer: string | null;
    invoice_number: string | null;
    invoice_seller: string | null;
    invoice_coding: string | null;
    handled_at: string | Date | null;
    handled_by: string | null;
  }>(sql`
    SELECT i.id, i.kind, i.sender, i.created_at, ${cursorAt(sql`i.created_at`)} AS cursor_at, i.client_id, c.name AS client_name, i.expense_id,
           e.spent_on::text AS spent_on, e.merchant, e.amount_cents::float8 AS amount_cents, e.currency,
           e.receipt_state, e.receipt_reason, q.question, q.question_text, q.answer,
           x.number AS invoice_number, x.seller_name AS invoice_seller, x.coding AS invoice_coding,
           i.handled_at, u.name AS handled_by
    FROM inbox_items i
    JOIN clients c ON c.id = i.client_id AND c.status = 'active'
    JOIN expenses e ON e.id = i.expense_id
    LEFT JOIN receipt_request_items q ON i.kind = 'answer' AND q.request_id = i.request_id AND q.expense_id = i.expense_id
    LEFT JOIN expense_invoices x ON i.kind = 'receipt' AND x.expense_id = i.expense_id
    LEFT JOIN users u ON u.id = i.handled_by
    WHERE ${visibleItem(viewer)} AND i.handled_at IS ${state === 'open' ? sql`NULL` : sql`NOT NULL`}
      ${after ? sql`AND ${afterCursor(sql`i.created_at`, sql`i.id`, after)}` : sql``}
    ORDER BY i.created_at DESC, i.id DESC
    LIMIT ${INBOX_PAGE + 1}`);
  const cut = rows[INBOX_PAGE - 1];
  const page = rows.slice(0, INBOX_PAGE).map((r): InboxRow => ({
    id: r.id,
    kind: r.kind,
    sender: r.sender,
    arrivedAt: new Date(r.created_at),
    clientId: r.client_id,
    clientName: r.client_name,
    expenseId: r.expense_id,
    spentOn: r.spent_on,
    merchant: r.merchant,
    amountCents: Number(r.amount_cents),
    currency: r.currency,
    receiptState: r.receipt_state,
    receiptReason: r.receipt_reason,
    question: r.question,
    questionText: r.question_text,
    answer: r.answer,
    invoice:
      r.invoice_number !== null
        ? { number: r.invoice_number, seller: r.invoice_seller ?? '', applied: r.invoice_coding === 'applied' }
        : null,
    handledAt: r.handled_at ? new Date(r.handled_at) : null,
    handledBy: r.handled_by,
  }));
  return { rows: page, next: rows.length > INBOX_PAGE && cut ? { at: cut.cursor_at, id: cut.id } : undefined };
}

/**
 * « Traité »: marks items handled (or, `handled: false`, back to handle), only those of clients the
 * viewer may see; safe to send twice (an item already in that state is left as it is). Returns how
 * many changed.
 */
export async function setInboxHandled(
  viewer: Viewer,
  ids: readonly string[],
  handled: boolean,
  now = new Date(),
): Promise<number> {
  if (ids.length === 0) return 0;
  const changed = await queryRows<{ id: string }>(sql`
    UPDATE inbox_items i SET
      handled_at = ${handled ? timestamptz(now) : sql`NULL`},
      handled_by = ${handled ? sql`${viewer.id}::uuid` : sql`NULL`}
    WHERE i.id = ANY(${sqlArray(ids, 'uuid')}) AND ${visibleItem(viewer)}
      AND i.handled_at IS ${handled ? sql`NULL` : sql`NOT NULL`}
    RETURNING i.id`);
  return changed.length;
}
