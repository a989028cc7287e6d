import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { db } from '@/db';
import { expenses, type ExportState } from '@/db/schema';
import type { VisibleClient } from '@/lib/access/visibility';

// « À coder » first: the client's account opens on what is left to do.
export const EXPENSE_VIEWS = ['coding', 'missing', 'ready', 'exported'] as const;
export type ExpenseView = (typeof EXPENSE_VIEWS)[number];
const EXPENSES_SHOWN = 100;

const VIEW_CONDITION = {
  coding: sql`${expenses.codingState} <> 'reviewed' AND ${expenses.exportState} <> 'exported'`,
  missing: eq(expenses.receiptState, 'missing'),
  ready: eq(expenses.exportState, 'ready'),
  exported: eq(expenses.exportState, 'exported' satisfies ExportState),
} as const;

/** One client's expenses in a view. */
export async function listClientExpenses(client: VisibleClient, view: ExpenseView) {
  return (
    db
      .select({
        id: expenses.id,
        spentOn: expenses.spentOn,
        merchant: expenses.merchant,
        category: expenses.category,
        amountCents: expenses.amountCents,
        currency: expenses.currency,
        receiptState: expenses.receiptState,
        exportState: expenses.exportState,
        hasReceiptFile: sql<boolean>`${expenses.receiptFileId} IS NOT NULL`,
        receiptReason: expenses.receiptReason,
        ageDays: sql<number>`(current_date - ${expenses.spentOn})::int`,
      })
      .from(expenses)
      .where(and(eq(expenses.clientId, client.id), VIEW_CONDITION[view]))
      // Missing receipts oldest first (the ones to chase); the others newest first.
      .orderBy(view === 'missing' ? asc(expenses.spentOn) : desc(expenses.spentOn), asc(expenses.id))
      .limit(EXPENSES_SHOWN)
  );
}

export async function countExportedExpenses(client: VisibleClient): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(expenses)
    .where(and(eq(expenses.clientId, client.id), eq(expenses.exportState, 'exported')));
  return row?.n ?? 0;
}
