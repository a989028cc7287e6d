import { and, desc, eq } from 'drizzle-orm';
import { db } from '@/db';
import { expenseExports, users } from '@/db/schema';
import { findWorkspaceClient } from '@/lib/clients/queries';
import type { Viewer, VisibleClient } from '@/lib/clients/visibility';
import { isUuid } from '@/lib/ids';

export async function listExports(client: VisibleClient, limit = 20) {
  return db
    .select({
      id: expenseExports.id,
      createdAt: expenseExports.createdAt,
      expenseCount: expenseExports.expenseCount,
      totalCents: expenseExports.totalCents,
      currency: expenseExports.currency,
      createdByName: users.name,
    })
    .from(expenseExports)
    .innerJoin(users, eq(users.id, expenseExports.createdBy))
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
  return row ? { ...row, clientName: client.name } : undefined;
}
