import { and, eq, sql } from 'drizzle-orm';
import { db, queryRows } from '@/db';
import { expenseExports, exportEntries } from '@/db/schema';
import { findWorkspaceClient } from '@/lib/clients/queries';
import type { Viewer } from '@/lib/access/visibility';
import { actorOf, recordActivity } from '@/lib/activity/record';
import { freezeBooks } from '@/lib/bookkeeping/books';
import type { FrozenEntry, FrozenLine } from '@/lib/bookkeeping/entries';
import { SafeError } from '@/lib/server/errors';
import { DEFAULT_LOCALE, type Locale } from '@/lib/server/i18n/locales';
import { slugify } from '@/lib/server/slugify';
import { csvExpenseLine, csvHeader } from './csv';

/**
 * Moves every ready expense of the client to "exported" in the same transaction that records the
 * export and freezes what it hands over (export_entries: the expenses with their coding, and the
 * reversals of the client's cancelled exports not reversed yet). The client row is locked first,
 * so that two exports (or an export and a cancellation) started at once run one after the other:
 * no expense is ever in two exports, no reversal in two files.
 */
export async function createExport(viewer: Viewer, clientId: string) {
  const client = await findWorkspaceClient(viewer, clientId);
  if (!client) throw new SafeError('errors.clientNotFound');
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT id FROM clients WHERE id = ${client.id} AND firm_id = ${viewer.firmId} FOR UPDATE`);
    const books = await freezeBooks(client, tx);
    const [created] = await tx
      .insert(expenseExports)
      .values({
        firmId: viewer.firmId,
        clientId: client.id,
        createdBy: viewer.id,
        expenseCount: 0,
        totalCents: 0,
        currency: client.currency,
        books,
      })
      .returning();
    const exportId = created!.id;
    // Piece numbers for the ready expenses exported for the first time, from the client's counter
    // (locked with the client row above): 00000001, 00000002… in date order, kept by each expense.
    await tx.execute(sql`
      WITH numbered AS (
        SELECT id, row_number() OVER (ORDER BY spent_on, id) AS n FROM expenses
        WHERE client_id = ${client.id} AND export_state = 'ready' AND piece_ref IS NULL),
      bumped AS (
        UPDATE client_books SET last_piece = last_piece + (SELECT count(*) FROM numbered)
        WHERE client_id = ${client.id}
        RETURNING last_piece - (SELECT count(*) FROM numbered) AS base)
      UPDATE expenses e SET piece_ref = lpad((bumped.base + numbered.n)::text, 8, '0')
      FROM numbered, bumped WHERE e.id = numbered.id`);
    const [moved] = await queryRows<{ n: number; total: string | number | null; reversals: number }>(
      sql`WITH moved AS (
            UPDATE expenses SET export_state = 'exported', export_id = ${exportId}
            WHERE client_id = ${client.id} AND export_state = 'ready'
            RETURNING id, spent_on, merchant, amount_cents, currency, category, receipt_state, receipt_file_id, piece_ref),
          fresh AS (
            SELECT false AS reversal, m.id AS expense_id, m.spent_on AS entry_date, m.spent_on, m.merchant,
              m.amount_cents, m.currency, m.category, m.receipt_state, m.receipt_file_id,
              m.piece_ref,
              coalesce((SELECT jsonb_agg(jsonb_build_object('account', l.account,
                  'accountLabel', coalesce(a.label, l.account), 'vatRateBp', l.vat_rate_bp,
                  'grossCents', l.gross_cents, 'deductiblePct', l.deductible_pct, 'analytic', l.analytic)
                  ORDER BY l.line_no)
                FROM expense_lines l
                LEFT JOIN chart_accounts a ON a.client_id = ${client.id} AND a.number = l.account
                WHERE l.expense_id = m.id), '[]'::jsonb) AS lines
            FROM moved m),
          -- The entries of the cancelled exports, dated the day (in Paris) of their cancellation.
          -- Their own reversals are not reversed again: what they cancelled stays cancelled.
          reversed AS (
            SELECT true AS reversal, e.expense_id, (x.cancelled_at AT TIME ZONE 'Europe/Paris')::date AS entry_date,
              e.spent_on, e.merchant, e.amount_cents, e.currency, e.category, e.receipt_state,
              NULL::uuid AS receipt_file_id, e.piece_ref, e.lines
            FROM expense_exports x JOIN export_entries e ON e.export_id = x.id AND NOT e.reversal
            WHERE x.firm_id = ${viewer.firmId} AND x.client_id = ${client.id}
              AND x.cancelled_at IS NOT NULL AND x.reversed_in IS NULL
              -- An export made before coding existed handed over a CSV, no entries: nothing to reverse.
              AND x.books IS NOT NULL),
          every_entry AS (SELECT * FROM fresh UNION ALL SELECT * FROM reversed),
          written AS (
            INSERT INTO export_entries (export_id, position, reversal, expense_id, entry_date, spent_on, merchant,
              amount_cents, currency, category, receipt_state, receipt_file_id, piece_ref, lines)
            SELECT ${exportId}::uuid,
              row_number() OVER (ORDER BY entry_date, reversal DESC, spent_on, expense_id),
              reversal, expense_id, entry_date, spent_on, merchant, amount_cents, currency, category,
              receipt_state, receipt_file_id, piece_ref, lines
            FROM every_entry
            RETURNING reversal, amount_cents)
          SELECT count(*) FILTER (WHERE NOT reversal)::int AS n,
                 sum(amount_cents) FILTER (WHERE NOT reversal) AS total,
                 count(*) FILTER (WHERE reversal)::int AS reversals
          FROM written`,
      tx,
    );
    // Throwing rolls the transaction back: no empty export is recorded.
    if (!moved || moved.n + moved.reversals === 0) throw new SafeError('errors.nothingReady');
    if (moved.reversals > 0)
      await tx
        .update(expenseExports)
        .set({ reversedIn: exportId })
        .where(
          and(
            eq(expenseExports.firmId, viewer.firmId),
            eq(expenseExports.clientId, client.id),
            sql`${expenseExports.cancelledAt} IS NOT NULL AND ${expenseExports.reversedIn} IS NULL`,
            sql`${expenseExports.id} <> ${exportId}`,
          ),
        );
    const [done] = await tx
      .update(expenseExports)
      .set({ expenseCount: moved.n, totalCents: Number(moved.total ?? 0) })
      .where(eq(expenseExports.id, exportId))
      .returning();
    await recordActivity(tx, {
      firmId: viewer.firmId,
      actor: actorOf(viewer),
      action: 'export_created',
      client,
      details: {
        exportId: done!.id,
        expenses: done!.expenseCount,
        totalCents: done!.totalCents,
        currency: done!.currency,
        ...(moved.reversals > 0 ? { reversals: moved.reversals } : {}),
      },
    });
    return { ...done!, reversals: moved.reversals };
  });
}

/**
 * « Annuler l'export »: its expenses go back to work (ready again if nothing changed, their coding
 * editable), and the client's next export carries the reversal of each of its entries. The file
 * already downloaded is never rewritten: every download of this export gives the same bytes.
 * Safe to retry: cancelling a cancelled export changes nothing and says so.
 */
export async function cancelExport(viewer: Viewer, clientId: string, exportId: string) {
  const client = await findWorkspaceClient(viewer, clientId);
  if (!client) throw new SafeError('errors.clientNotFound');
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT id FROM clients WHERE id = ${client.id} AND firm_id = ${viewer.firmId} FOR UPDATE`);
    const [found] = await tx
      .select({ id: expenseExports.id, cancelledAt: expenseExports.cancelledAt, count: expenseExports.expenseCount })
      .from(expenseExports)
      .where(
        and(
          eq(expenseExports.id, exportId),
          eq(expenseExports.clientId, client.id),
          eq(expenseExports.firmId, viewer.firmId),
        ),
      );
    if (!found) throw new SafeError('errors.exportNotFound');
    if (found.cancelledAt) return { alreadyCancelled: true, expenses: 0 };
    const back = await queryRows<{ id: string }>(
      sql`UPDATE expenses SET export_state = 'not_ready', export_id = NULL
          WHERE export_id = ${exportId} AND client_id = ${client.id} RETURNING id`,
      tx,
    );
    await tx
      .update(expenseExports)
      .set({ cancelledAt: sql`now()`, cancelledBy: viewer.id })
      .where(eq(expenseExports.id, exportId));
    await recordActivity(tx, {
      firmId: viewer.firmId,
      actor: actorOf(viewer),
      action: 'export_cancelled',
      client,
      details: { exportId, expenses: found.count },
    });
    return { alreadyCancelled: false, expenses: back.length };
  });
}

const BATCH = 500;

export type ExportedEntry = FrozenEntry & {
  expenseId: string;
  category: string | null;
  receiptState: string;
  /** The receipt a person sent for it (a reversal carries none). */
  receipt: { fileId: string; contentType: string; driver: string } | null;
};

/** An export's frozen entries, batch by batch (keyset on position): flat memory whatever the size. */
export async function* exportEntryBatches(
  firmId: string,
  exportId: string,
  options: { reversals: boolean } = { reversals: true },
): AsyncGenerator<ExportedEntry[]> {
  let after = 0;
  for (;;) {
    // Raw rows (one shape for both drivers), mapped once: a FEC of 100,000 entries allocates
    // per entry only what its lines need.
    const rows = await queryRows<{
      position: number;
      reversal: boolean;
      expense_id: string;
      entry_date: string;
      spent_on: string;
      merchant: string;
      amount_cents: string | number;
      currency: string;
      category: string | null;
      receipt_state: string;
      piece_ref: string;
      lines: FrozenLine[] | string;
      receipt_file_id: string | null;
      receipt_type: string | null;
      receipt_driver: string | null;
    }>(
      sql`SELECT e.position, e.reversal, e.expense_id, e.entry_date::text AS entry_date, e.spent_on::text AS spent_on,
            e.merchant, e.amount_cents, e.currency, e.category, e.receipt_state, e.piece_ref, e.lines,
            e.receipt_file_id, f.content_type AS receipt_type, f.driver AS receipt_driver
          FROM export_entries e
          JOIN expense_exports x ON x.id = e.export_id AND x.firm_id = ${firmId}
          LEFT JOIN stored_files f ON f.id = e.receipt_file_id AND NOT e.reversal
          WHERE e.export_id = ${exportId} AND e.position > ${after}
            ${options.reversals ? sql`` : sql`AND NOT e.reversal`}
          ORDER BY e.position LIMIT ${BATCH}`,
    );
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!.position;
    yield rows.map((r) => ({
      position: r.position,
      reversal: r.reversal,
      expenseId: r.expense_id,
      entryDate: r.entry_date,
      spentOn: r.spent_on,
      merchant: r.merchant,
      amountCents: Number(r.amount_cents),
      currency: r.currency,
      category: r.category,
      receiptState: r.receipt_state,
      pieceRef: r.piece_ref,
      lines: typeof r.lines === 'string' ? (JSON.parse(r.lines) as FrozenLine[]) : r.lines,
      receipt:
        r.receipt_file_id && r.receipt_type && r.receipt_driver
          ? { fileId: r.receipt_file_id, contentType: r.receipt_type, driver: r.receipt_driver }
          : null,
    }));
  }
}

/** A ReadableStream of the chunks an async generator of strings or bytes yields. */
export function streamOf(chunks: AsyncGenerator<string | Uint8Array>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(typeof next.value === 'string' ? encoder.encode(next.value) : next.value);
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

/**
 * The export's CSV (the expenses it took, not the reversals it carries), produced batch by batch:
 * memory stays flat whatever the size, and the same export always gives the same bytes.
 */
// The CSV's rows are small (no lines): a thousand at a time, as before entries were frozen.
const CSV_BATCH = 1000;

export function exportCsvStream(
  firmId: string,
  exportId: string,
  locale: Locale = DEFAULT_LOCALE,
): ReadableStream<Uint8Array> {
  async function* chunks() {
    yield csvHeader(locale);
    // Only the columns the CSV writes (not the entries' lines), a batch at a time by position.
    let after = 0;
    for (;;) {
      const rows = await db
        .select({
          position: exportEntries.position,
          id: exportEntries.expenseId,
          spentOn: exportEntries.spentOn,
          merchant: exportEntries.merchant,
          amountCents: exportEntries.amountCents,
          currency: exportEntries.currency,
          category: exportEntries.category,
          receiptState: exportEntries.receiptState,
        })
        .from(exportEntries)
        .innerJoin(expenseExports, eq(expenseExports.id, exportEntries.exportId))
        .where(
          and(
            eq(exportEntries.exportId, exportId),
            eq(expenseExports.firmId, firmId),
            eq(exportEntries.reversal, false),
            sql`${exportEntries.position} > ${after}`,
          ),
        )
        .orderBy(exportEntries.position)
        .limit(CSV_BATCH);
      if (rows.length === 0) return;
      after = rows[rows.length - 1]!.position;
      yield rows.map((row) => csvExpenseLine(row, locale)).join('');
    }
  }
  return streamOf(chunks());
}

export function exportFileName(clientName: string, createdAt: Date, exportId: string): string {
  const slug = slugify(clientName, 40);
  const day = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris' }).format(createdAt); // yyyy-mm-dd
  return `export-${slug || 'client'}-${day}-${exportId.slice(0, 8)}.csv`;
}
