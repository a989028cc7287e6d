import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { db } from '@/db';
import { clients, expenses, type ExportState } from '@/db/schema';

export const EXPENSE_VIEWS = ['missing', 'ready', 'exported'] as const;
export type ExpenseView = (typeof EXPENSE_VIEWS)[number];
const EXPENSES_SHOWN = 100;

const VIEW_CONDITION = {
  missing: eq(expenses.receiptState, 'missing'),
  ready: eq(expenses.exportState, 'ready'),
  exported: eq(expenses.exportState, 'exported' satisfies ExportState),
} as const;

/** One client's expenses in a view; the firm is checked in the same query. */
export async function listClientExpenses(firmId: string, clientId: string, view: ExpenseView) {
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
        ageDays: sql<number>`(current_date - ${expenses.spentOn})::int`,
      })
      .from(expenses)
      .innerJoin(clients, eq(clients.id, expenses.clientId))
      .where(and(eq(expenses.clientId, clientId), eq(clients.firmId, firmId), VIEW_CONDITION[view]))
      // Missing receipts oldest first (the ones to chase); the others newest first.
      .orderBy(view === 'missing' ? asc(expenses.spentOn) : desc(expenses.spentOn), asc(expenses.id))
      .limit(EXPENSES_SHOWN)
  );
}

export async function countExportedExpenses(firmId: string, clientId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(expenses)
    .innerJoin(clients, eq(clients.id, expenses.clientId))
    .where(and(eq(expenses.clientId, clientId), eq(clients.firmId, firmId), eq(expenses.exportState, 'exported')));
  return row?.n ?? 0;
}
