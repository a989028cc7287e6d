import { and, desc, eq, sql } from 'drizzle-orm';
import { db, queryRows } from '@/db';
import { clientBooks, expenseExports, users } from '@/db/schema';
import { findWorkspaceClient } from '@/lib/clients/queries';
import type { Viewer, VisibleClient } from '@/lib/access/visibility';
import type { PresetId } from '@/lib/bookkeeping/presets';
import { isUuid } from '@/lib/server/ids';

export async function listExports(client: VisibleClient, limit = 20) {
  return db
    .select({
      id: expenseExports.id,
      createdAt: expenseExports.createdAt,
      expenseCount: expenseExports.expenseCount,
      totalCents: expenseExports.totalCents,
      currency: expenseExports.currency,
      createdByName: users.name,
      cancelledAt: expenseExports.cancelledAt,
      // Made after coding existed: its entries can be written as a FEC or a preset's file.
      coded: sql<boolean>`${expenseExports.books} IS NOT NULL`,
      preset: sql<PresetId>`coalesce(${clientBooks.preset}, 'fec')`,
    })
    .from(expenseExports)
    .innerJoin(users, eq(users.id, expenseExports.createdBy))
    .leftJoin(clientBooks, eq(clientBooks.clientId, expenseExports.clientId))
    .where(and(eq(expenseExports.firmId, client.firmId), eq(expenseExports.clientId, client.id)))
    .orderBy(desc(expenseExports.createdAt), desc(expenseExports.id))
    .limit(limit);
}

/** An export of a client this user may open; anything else is undefined. */
export async function findExport(viewer: Viewer, clientId: string, exportId: string) {
  if (!isUuid(exportId)) return undefined;
  const client = await findWorkspaceClient(viewer, clientId);
  if (!client) return undefined;
  const [row] = await db
    .select()
    .from(expenseExports)
    .where(
      and(
        eq(expenseExports.id, exportId),
        eq(expenseExports.clientId, client.id),
        eq(expenseExports.firmId, viewer.firmId),
      ),
    );
  return row ? { ...row, clientName: client.name, siren: client.siren } : undefined;
}

/** What « Exporter » would take now: how many, for how much, and how many still without a receipt. */
export async function exportPreview(client: VisibleClient) {
  const [row] = await queryRows<{ n: number; total: string | number | null; without: number }>(
    sql`SELECT count(*)::int AS n, sum(amount_cents) AS total,
               count(*) FILTER (WHERE receipt_state = 'missing')::int AS without
        FROM expenses WHERE client_id = ${client.id} AND export_state = 'ready'`,
  );
  return { count: row?.n ?? 0, totalCents: Number(row?.total ?? 0), withoutReceipt: row?.without ?? 0 };
}
