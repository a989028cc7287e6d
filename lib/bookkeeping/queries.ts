import { and, asc, eq, sql } from 'drizzle-orm';
import { db, queryRows } from '@/db';
import { expenseLines, expenses } from '@/db/schema';
import { isUuid } from '@/lib/server/ids';
import type { VisibleClient } from '@/lib/access/visibility';

const ROWS_SHOWN = 200;

export type CodingRow = {
  id: string;
  spentOn: string;
  merchant: string;
  amountCents: number;
  currency: string;
  receiptState: 'missing' | 'attached' | 'not_required';
  codingState: 'to_code' | 'coded' | 'reviewed';
  suggested: boolean;
  account: string | null;
  vatRateBp: number | null;
  deductiblePct: number | null;
  analytic: string | null;
  lines: number;
};

/**
 * What is left to code or review up to a day (the end of the month shown), oldest first: the
 * expenses not reviewed and not exported, each with its first line and its number of lines.
 */
export async function listCodingRows(client: VisibleClient, until: string): Promise<CodingRow[]> {
  const rows = await queryRows<{
    id: string;
    spent_on: string;
    merchant: string;
    amount_cents: string | number;
    currency: string;
    receipt_state: CodingRow['receiptState'];
    coding_state: CodingRow['codingState'];
    coding_suggested: boolean;
    account: string | null;
    vat_rate_bp: number | null;
    deductible_pct: number | null;
    analytic: string | null;
    lines: number;
  }>(
    sql`SELECT e.id, e.spent_on::text AS spent_on, e.merchant, e.amount_cents, e.currency, e.receipt_state,
          e.coding_state, e.coding_suggested, l.account, l.vat_rate_bp, l.deductible_pct, l.analytic,
          (SELECT count(*) FROM expense_lines x WHERE x.expense_id = e.id)::int AS lines
        FROM expenses e
        LEFT JOIN expense_lines l ON l.expense_id = e.id AND l.line_no = 1
        WHERE e.client_id = ${client.id} AND e.coding_state <> 'reviewed' AND e.export_state <> 'exported'
          AND e.spent_on <= ${until}::date
        ORDER BY e.spent_on, e.id
        LIMIT ${ROWS_SHOWN}`,
  );
  return rows.map((r) => ({
    id: r.id,
    spentOn: r.spent_on,
    merchant: r.merchant,
    amountCents: Number(r.amount_cents),
    currency: r.currency,
    receiptState: r.receipt_state,
    codingState: r.coding_state,
    suggested: r.coding_suggested,
    account: r.account,
    vatRateBp: r.vat_rate_bp,
    deductiblePct: r.deductible_pct,
    analytic: r.analytic,
    lines: r.lines,
  }));
}

/** Expenses not reviewed and not exported, whatever their date: the « À coder » tab's count. */
export async function countToCode(client: VisibleClient): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM expenses
        WHERE client_id = ${client.id} AND coding_state <> 'reviewed' AND export_state <> 'exported'`,
  );
  return row?.n ?? 0;
}

/** One expense of the client with its coding lines, for the split form; undefined if not this client's. */
export async function findExpenseCoding(client: VisibleClient, expenseId: string) {
  if (!isUuid(expenseId)) return undefined;
  const [expense] = await db
    .select({
      id: expenses.id,
      spentOn: expenses.spentOn,
      merchant: expenses.merchant,
      amountCents: expenses.amountCents,
      currency: expenses.currency,
      exportState: expenses.exportState,
      codingState: expenses.codingState,
    })
    .from(expenses)
    .where(and(eq(expenses.id, expenseId), eq(expenses.clientId, client.id)));
  if (!expense) return undefined;
  const lines = await db
    .select()
    .from(expenseLines)
    .where(eq(expenseLines.expenseId, expense.id))
    .orderBy(asc(expenseLines.lineNo));
  return { ...expense, lines };
}
