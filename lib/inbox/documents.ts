import { sql, type SQL } from 'drizzle-orm';
import { afterCursor, cursorAt, db, queryRows, timestamptz, type PageCursor } from '@/db';
import type { Viewer } from '@/lib/access/visibility';
import { recordActivity, actorOf } from '@/lib/activity/record';
import { readFile } from '@/lib/server/storage';
import { isUuid } from '@/lib/server/ids';
import { logger } from '@/lib/server/log';
import { applyFacturX } from '@/lib/receipts/invoices';
import { attachInboundFile } from '@/lib/receipts/inbound';

// The documents that arrived at a client's receipt address and were not attached by themselves
// (lib/receipts/inbound.ts): a suggestion to confirm, a document the portal could not place, or one
// held because the client does not know its sender. In « Boîte de réception », for the clients one
// may see: « Rattacher » (the suggested expense or another one), or « Écarter ».

/** The most documents one page shows. */
const DOCUMENTS_PAGE = 50;
/** The most expenses offered to pick from for one document (the nearest to its date first). */
const CHOICES = 100;

function visibleDocument(viewer: Viewer): SQL {
  return viewer.role === 'admin'
    ? sql`d.firm_id = ${viewer.firmId}`
    : sql`d.firm_id = ${viewer.firmId} AND EXISTS (SELECT 1 FROM assignments a WHERE a.client_id = d.client_id AND a.user_id = ${viewer.id})`;
}

export type ExpenseChoice = { id: string; spentOn: string; merchant: string; amountCents: number; currency: string };

export type InboundDocumentRow = {
  id: string;
  state: 'suggested' | 'unmatched' | 'held';
  clientId: string;
  clientName: string;
  sender: string;
  senderName: string | null;
  subject: string;
  filename: string;
  receivedAt: Date;
  /** What was read: the amounts stated, the date, and the invoice when it is a Factur-X one. */
  evidence: {
    amounts: { cents: number; currency?: string }[];
    date: string | null;
    invoice: { number: string; seller: string } | null;
  };
  suggestion: ExpenseChoice | null;
  /** The client's expenses still missing a receipt, nearest to the document's date first. */
  choices: ExpenseChoice[];
};

/**
 * The open documents of the clients the viewer may see, newest first, one page from `after` (the
 * last one of the previous page); `next` is where the following page starts, if any.
 */
export async function listOpenDocuments(
  viewer: Viewer,
  after?: PageCursor,
): Promise<{ rows: InboundDocumentRow[]; next?: PageCursor }> {
  const rows = await queryRows<{
    id: string;
    state: InboundDocumentRow['state'];
    client_id: string;
    client_name: string;
    sender: string;
    sender_name: string | null;
    subject: string;
    filename: string;
    received_at: Date | string;
    cursor_at: string;
    evidence: InboundDocumentRow['evidence'];
    expense_id: string | null;
    choices: ExpenseChoice[] | null;
  }>(sql`
    SELECT d.id, d.state, d.client_id, c.name AS client_name, d.sender, d.sender_name, d.subject, d.filename,
           d.received_at, ${cursorAt(sql`d.received_at`)} AS cursor_at, d.evidence, d.expense_id,
           (SELECT json_agg(json_build_object('id', e.id, 'spentOn', e.spent_on::text, 'merchant', e.merchant,
                    'amountCents', e.amount_cents, 'currency', e.currency))
            FROM (SELECT e.* FROM expenses e
                  WHERE e.client_id = d.client_id AND (e.receipt_state = 'missing' OR e.id = d.expense_id)
                  ORDER BY abs(e.spent_on - coalesce((d.evidence->>'date')::date, (d.received_at AT TIME ZONE 'Europe/Paris')::date)), e.id
                  LIMIT ${CHOICES}) e) AS choices
    FROM inbound_documents d JOIN clients c ON c.id = d.client_id AND c.status = 'active'
    WHERE ${visibleDocument(viewer)} AND d.state IN ('suggested', 'unmatched', 'held')
      ${after ? sql`AND ${afterCursor(sql`d.received_at`, sql`d.id`, after)}` : sql``}
    ORDER BY d.received_at DESC, d.id DESC
    LIMIT ${DOCUMENTS_PAGE + 1}`);
  const page = rows.slice(0, DOCUMENTS_PAGE).map((row) => {
    const choices = (row.choices ?? []).map((c) => ({ ...c, amountCents: Number(c.amountCents) }));
    return {
      id: row.id,
      state: row.state,
      clientId: row.client_id,
      clientName: row.client_name,
      sender: row.sender,
      senderName: row.sender_name,
      subject: row.subject,
      filename: row.filename,
      receivedAt: new Date(row.received_at),
      evidence: row.evidence,
      suggestion: choices.find((c) => c.id === row.expense_id) ?? null,
      choices,
    };
  });
  const cut = rows[DOCUMENTS_PAGE - 1];
  return { rows: page, ...(rows.length > DOCUMENTS_PAGE && cut ? { next: { at: cut.cursor_at, id: cut.id } } : {}) };
}

/** How many documents wait, for the header's count (up to `cap`). */
export async function countOpenDocuments(viewer: Viewer, cap: number): Promise<number> {
  const [row] = await queryRows<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM (
      SELECT 1 FROM inbound_documents d JOIN clients c ON c.id = d.client_id AND c.status = 'active'
      WHERE ${visibleDocument(viewer)} AND d.state IN ('suggested', 'unmatched', 'held')
      LIMIT ${cap}) open`);
  return row?.n ?? 0;
}

export type DocumentOutcome = 'attached' | 'dismissed' | 'not_found' | 'expense_unavailable';

/**
 * « Rattacher »: the document becomes the receipt of an expense of its client that still misses
 * one. Only a document still open, of a client the viewer may see; sent twice, the second finds it
 * handled and changes nothing. A Factur-X invoice's VAT then fills the coding, as on an upload.
 */
export async function attachDocument(
  viewer: Viewer,
  documentId: string,
  expenseId: string,
  now = new Date(),
): Promise<DocumentOutcome> {
  if (!isUuid(documentId)) return 'not_found';
  if (!isUuid(expenseId)) return 'expense_unavailable';
  const outcome = await db.transaction(async (tx) => {
    const [document] = await queryRows<{
      id: string;
      firm_id: string;
      client_id: string;
      file_id: string;
      exact: boolean;
    }>(
      sql`SELECT d.id, d.firm_id, d.client_id, d.file_id, coalesce((d.evidence->>'exact')::boolean, false) AS exact
          FROM inbound_documents d
          WHERE d.id = ${documentId} AND ${visibleDocument(viewer)} AND d.state IN ('suggested', 'unmatched', 'held')
          FOR UPDATE`,
      tx,
    );
    if (!document) return { result: 'not_found' as const };
    if (!(await attachInboundFile(tx, expenseId, document.client_id, { id: document.file_id })))
      return { result: 'expense_unavailable' as const };
    await tx.execute(sql`
      UPDATE inbound_documents SET state = 'attached', expense_id = ${expenseId}, handled_at = ${timestamptz(now)},
        handled_by = ${viewer.id}
      WHERE id = ${document.id}`);
    await recordActivity(tx, {
      firmId: document.firm_id,
      actor: actorOf(viewer),
      action: 'inbound_confirmed',
      client: { id: document.client_id },
      details: {},
    });
    return { result: 'attached' as const, fileId: document.file_id, exact: document.exact };
  });
  if (outcome.result === 'attached' && outcome.exact) {
    const [file] = await queryRows<{ driver: string }>(
      sql`SELECT driver FROM stored_files WHERE id = ${outcome.fileId}`,
    );
    if (file) {
      const parts: Uint8Array[] = [];
      for await (const chunk of readFile(outcome.fileId, file.driver)) parts.push(chunk);
      await applyFacturX(expenseId, Buffer.concat(parts)).catch((error: unknown) =>
        logger.warn({ err: error }, 'factur-x read failed'),
      );
    }
  }
  return outcome.result;
}

/** « Écarter »: not a receipt of this client (spam, a duplicate): out of the inbox, in the Journal. */
export async function dismissDocument(viewer: Viewer, documentId: string, now = new Date()): Promise<DocumentOutcome> {
  if (!isUuid(documentId)) return 'not_found';
  return db.transaction(async (tx) => {
    const [document] = await queryRows<{ firm_id: string; client_id: string }>(
      sql`UPDATE inbound_documents d SET state = 'dismissed', handled_at = ${timestamptz(now)}, handled_by = ${viewer.id}
          WHERE d.id = ${documentId} AND ${visibleDocument(viewer)} AND d.state IN ('suggested', 'unmatched', 'held')
          RETURNING d.firm_id, d.client_id`,
      tx,
    );
    if (!document) return 'not_found';
    await recordActivity(tx, {
      firmId: document.firm_id,
      actor: actorOf(viewer),
      action: 'inbound_dismissed',
      client: { id: document.client_id },
      details: {},
    });
    return 'dismissed';
  });
}

/** A document's file, for a viewer who may see its client (the inbox's « Voir le document »). */
export async function findDocumentFile(
  viewer: Viewer,
  documentId: string,
): Promise<{ fileId: string; driver: string; contentType: string; size: number; filename: string } | undefined> {
  if (!isUuid(documentId)) return undefined;
  const [row] = await queryRows<{
    file_id: string;
    driver: string;
    content_type: string;
    size: number;
    filename: string;
  }>(
    sql`SELECT d.file_id, f.driver, f.content_type, f.size::int AS size, d.filename
        FROM inbound_documents d JOIN stored_files f ON f.id = d.file_id AND f.complete
        WHERE d.id = ${documentId} AND ${visibleDocument(viewer)}`,
  );
  return row
    ? { fileId: row.file_id, driver: row.driver, contentType: row.content_type, size: row.size, filename: row.filename }
    : undefined;
}
