import { and, asc, eq, sql } from 'drizzle-orm';
import { db, queryRows } from '@/db';
import { clients, expenseExports, expenses } from '@/db/schema';
import { findWorkspaceClient } from '@/lib/clients/queries';
import type { Viewer } from '@/lib/access/visibility';
import { actorOf, recordActivity } from '@/lib/activity/record';
import { SafeError } from '@/lib/server/errors';
import { DEFAULT_LOCALE, type Locale } from '@/lib/server/i18n/locales';
import { slugify } from '@/lib/server/slugify';
import { csvExpenseLine, csvHeader } from './csv';

/**
 * Moves every ready expense of the client to "exported" in the same transaction that records the
 * export. The client row is locked first, so that two exports started at once run one after the
 * other and the second finds nothing left: no expense is ever in two exports.
 */
export async function createExport(viewer: Viewer, clientId: string) {
  const client = await findWorkspaceClient(viewer, clientId);
  if (!client) throw new SafeError('errors.clientNotFound');
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT id FROM clients WHERE id = ${client.id} AND firm_id = ${viewer.firmId} FOR UPDATE`);
    const [created] = await tx
      .insert(expenseExports)
      .values({
        firmId: viewer.firmId,
        clientId: client.id,
        createdBy: viewer.id,
        expenseCount: 0,
        totalCents: 0,
        currency: client.currency,
      })
      .returning();
    const [moved] = await queryRows<{ n: number; total: string | number | null }>(
      sql`WITH moved AS (
            UPDATE expenses SET export_state = 'exported', export_id = ${created!.id}
            WHERE client_id = ${client.id} AND export_state = 'ready'
            RETURNING amount_cents)
          SELECT count(*)::int AS n, sum(amount_cents) AS total FROM moved`,
      tx,
    );
    // Throwing rolls the transaction back: no empty export is recorded.
    if (!moved || moved.n === 0) throw new SafeError('errors.nothingReady');
    const [done] = await tx
      .update(expenseExports)
      .set({ expenseCount: moved!.n, totalCents: Number(moved!.total ?? 0) })
      .where(eq(expenseExports.id, created!.id))
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
      },
    });
    return done!;
  });
}

const BATCH = 1000;

/**
 * The export's CSV, produced batch by batch (keyset on date and id): memory stays flat whatever
 * the size, and the same export always gives the same bytes.
 */
export function exportCsvStream(
  firmId: string,
  exportId: string,
  locale: Locale = DEFAULT_LOCALE,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after: { spentOn: string; id: string } | undefined;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(csvHeader(locale)));
        return;
      }
      const rows = await db
        .select({
          id: expenses.id,
          spentOn: expenses.spentOn,
          merchant: expenses.merchant,
          amountCents: expenses.amountCents,
          currency: expenses.currency,
          category: expenses.category,
          receiptState: expenses.receiptState,
        })
        .from(expenses)
        .innerJoin(clients, eq(clients.id, expenses.clientId))
        .where(
          and(
            eq(expenses.exportId, exportId),
            eq(clients.firmId, firmId),
            // A row comparison, so that each batch starts where the index left off.
            after
              ? sql`(${expenses.spentOn}, ${expenses.id}) > (${after.spentOn}::date, ${after.id}::uuid)`
              : undefined,
          ),
        )
        .orderBy(asc(expenses.spentOn), asc(expenses.id))
        .limit(BATCH);
      if (rows.length === 0) {
        controller.close();
        return;
      }
      after = { spentOn: rows.at(-1)!.spentOn, id: rows.at(-1)!.id };
      controller.enqueue(encoder.encode(rows.map((row) => csvExpenseLine(row, locale)).join('')));
    },
  });
}

export function exportFileName(clientName: string, createdAt: Date, exportId: string): string {
  const slug = slugify(clientName, 40);
  const day = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris' }).format(createdAt); // yyyy-mm-dd
  return `export-${slug || 'client'}-${day}-${exportId.slice(0, 8)}.csv`;
}
