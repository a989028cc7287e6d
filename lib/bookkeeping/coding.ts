import { sql } from 'drizzle-orm';
import { db, queryRows, sqlArray, type Tx } from '@/db';
import { findWorkspaceClient } from '@/lib/clients/queries';
import type { Viewer, VisibleClient } from '@/lib/access/visibility';
import { SafeError } from '@/lib/server/errors';
import { ensureBooks } from './books';
import { isExpenseAccount } from './pcg';
import { isVatRate } from './vat';

export type CodingLine = {
  account: string;
  vatRateBp: number;
  grossCents: number;
  deductiblePct: number;
  analytic: string | null;
};

/**
 * Locks the expenses (FOR UPDATE) and checks they are this client's and none is exported: an
 * exported expense's coding never changes (« Annuler l'export » first).
 */
async function lockExpenses(tx: Tx, client: VisibleClient, ids: string[]) {
  const rows = await queryRows<{ id: string; amount_cents: string | number; export_state: string }>(
    sql`SELECT id, amount_cents, export_state FROM expenses
        WHERE id = ANY(${sqlArray(ids, 'uuid')}) AND client_id = ${client.id}
        ORDER BY id FOR UPDATE`,
    tx,
  );
  if (rows.length !== new Set(ids).size) throw new SafeError('errors.expenseNotFound');
  if (rows.some((r) => r.export_state === 'exported')) throw new SafeError('errors.expenseLocked');
  return rows.map((r) => ({ id: r.id, amountCents: Number(r.amount_cents) }));
}

async function checkAccounts(tx: Tx, client: VisibleClient, accounts: string[]) {
  const wanted = [...new Set(accounts)];
  if (wanted.some((a) => !isExpenseAccount(a))) throw new SafeError('errors.accountNotExpense');
  const found = await queryRows<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM chart_accounts
        WHERE client_id = ${client.id} AND active AND number = ANY(${sqlArray(wanted, 'text')})`,
    tx,
  );
  if (found[0]?.n !== wanted.length) throw new SafeError('errors.accountUnknown');
}

async function clientOf(viewer: Viewer, clientId: string): Promise<VisibleClient> {
  const client = await findWorkspaceClient(viewer, clientId);
  if (!client) throw new SafeError('errors.clientNotFound');
  return client;
}

/**
 * Codes expenses to one account and VAT rate, each for its whole amount (one line): one row of the
 * grid, or several selected together. Then « codée », or « revue » at once when asked. A constant
 * number of statements whatever the number of expenses or the client's size (5), in one
 * transaction; the same request sent twice leaves the same rows (safe to retry).
 */
export async function codeExpenses(
  viewer: Viewer,
  clientId: string,
  input: {
    expenseIds: string[];
    account: string;
    vatRateBp: number;
    deductiblePct: number;
    analytic: string | null;
    review: boolean;
  },
) {
  if (!isVatRate(input.vatRateBp)) throw new SafeError('errors.vatRate');
  const client = await clientOf(viewer, clientId);
  await ensureBooks(client);
  return db.transaction(async (tx) => {
    await checkAccounts(tx, client, [input.account]);
    const rows = await lockExpenses(tx, client, input.expenseIds);
    const ids = sqlArray(
      rows.map((r) => r.id),
      'uuid',
    );
    await tx.execute(sql`DELETE FROM expense_lines WHERE expense_id = ANY(${ids})`);
    await tx.execute(sql`
      INSERT INTO expense_lines (expense_id, line_no, account, vat_rate_bp, gross_cents, deductible_pct, analytic)
      SELECT id, 1, ${input.account}, ${input.vatRateBp}, amount_cents, ${input.deductiblePct}, ${input.analytic}
      FROM expenses WHERE id = ANY(${ids})`);
    await tx.execute(sql`
      UPDATE expenses SET coding_state = ${input.review ? 'reviewed' : 'coded'}::coding_state,
        coding_suggested = false, coded_by = ${viewer.id}, coded_at = now()
      WHERE id = ANY(${ids})`);
    return rows.length;
  });
}

/**
 * Codes one expense on several lines (a receipt that mixes VAT rates): the lines' gross must add up
 * to the expense's amount to the cent.
 */
export async function splitExpense(viewer: Viewer, clientId: string, expenseId: string, lines: CodingLine[]) {
  if (lines.length === 0 || lines.length > 10) throw new SafeError('errors.linesCount');
  if (lines.some((l) => !isVatRate(l.vatRateBp))) throw new SafeError('errors.vatRate');
  const client = await clientOf(viewer, clientId);
  await ensureBooks(client);
  return db.transaction(async (tx) => {
    await checkAccounts(
      tx,
      client,
      lines.map((l) => l.account),
    );
    const [row] = await lockExpenses(tx, client, [expenseId]);
    const total = lines.reduce((sum, l) => sum + l.grossCents, 0);
    if (total !== row!.amountCents) throw new SafeError('errors.linesTotal');
    await tx.execute(sql`DELETE FROM expense_lines WHERE expense_id = ${expenseId}`);
    await tx.execute(sql`
      INSERT INTO expense_lines (expense_id, line_no, account, vat_rate_bp, gross_cents, deductible_pct, analytic)
      SELECT ${expenseId}::uuid, n, account, vat, gross, pct, analytic
      FROM unnest(${sqlArray(
        lines.map((_, i) => i + 1),
        'integer',
      )}, ${sqlArray(
        lines.map((l) => l.account),
        'text',
      )}, ${sqlArray(
        lines.map((l) => l.vatRateBp),
        'integer',
      )}, ${sqlArray(
        lines.map((l) => l.grossCents),
        'bigint',
      )}, ${sqlArray(
        lines.map((l) => l.deductiblePct),
        'integer',
      )}, ${sqlArray(
        lines.map((l) => l.analytic),
        'text',
      )}) AS t(n, account, vat, gross, pct, analytic)`);
    await tx.execute(sql`
      UPDATE expenses SET coding_state = 'coded', coding_suggested = false, coded_by = ${viewer.id}, coded_at = now()
      WHERE id = ${expenseId}`);
  });
}

/**
 * Marks coded expenses « revue » (a suggestion a rule wrote counts as coded once reviewed). Those
 * not coded are left as they are and counted. Safe to retry.
 */
export async function reviewExpenses(viewer: Viewer, clientId: string, expenseIds: string[], reviewed = true) {
  const client = await clientOf(viewer, clientId);
  return db.transaction(async (tx) => {
    const rows = await lockExpenses(tx, client, expenseIds);
    const ids = sqlArray(
      rows.map((r) => r.id),
      'uuid',
    );
    const changed = await queryRows<{ id: string }>(
      reviewed
        ? sql`UPDATE expenses e SET coding_state = 'reviewed', coding_suggested = false, coded_by = ${viewer.id}, coded_at = now()
              WHERE e.id = ANY(${ids}) AND EXISTS (SELECT 1 FROM expense_lines l WHERE l.expense_id = e.id)
              RETURNING e.id`
        : sql`UPDATE expenses e SET coding_state = 'coded'
              WHERE e.id = ANY(${ids}) AND e.coding_state = 'reviewed' RETURNING e.id`,
      tx,
    );
    return { changed: changed.length, skipped: rows.length - changed.length };
  });
}
