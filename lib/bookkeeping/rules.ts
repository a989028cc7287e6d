import { and, eq, sql } from 'drizzle-orm';
import { db, queryRows, sqlArray, type Db, type Tx } from '@/db';
import { codingRules } from '@/db/schema';
import type { Viewer, VisibleClient } from '@/lib/access/visibility';
import { SafeError } from '@/lib/server/errors';
import { loadBooks } from './books';
import { isExpenseAccount } from './pcg';
import { isVatRate } from './vat';

/** How many times the same coding for one merchant before the portal offers to make it a rule. */
const RULE_OFFER_AFTER = 3;

/**
 * Codes the given expenses with the rule for their merchant (the client's, else the firm's), as
 * *suggestions*: lines written, « à coder » kept, `coding_suggested` set; a person confirms or
 * changes them in the grid. Only expenses still to code and without lines are touched: a rule
 * never overwrites what someone coded. One statement, whatever the number of expenses.
 */
export async function suggestCodings(on: Db | Tx, expenseIds: string[]): Promise<number> {
  if (expenseIds.length === 0) return 0;
  const rows = await queryRows<{ id: string }>(
    sql`WITH target AS (
          SELECT e.id, e.amount_cents, r.account, r.vat_rate_bp, r.deductible_pct
          FROM expenses e
          JOIN clients c ON c.id = e.client_id
          CROSS JOIN LATERAL (
            SELECT account, vat_rate_bp, deductible_pct FROM coding_rules r
            WHERE r.firm_id = c.firm_id AND (r.client_id = e.client_id OR r.client_id IS NULL)
              AND r.merchant_key = pp_fold(e.merchant)
            ORDER BY r.client_id NULLS LAST LIMIT 1) r
          WHERE e.id = ANY(${sqlArray(expenseIds, 'uuid')}) AND e.coding_state = 'to_code'
            AND e.export_state <> 'exported'
            AND NOT EXISTS (SELECT 1 FROM expense_lines l WHERE l.expense_id = e.id)),
        written AS (
          INSERT INTO expense_lines (expense_id, line_no, account, vat_rate_bp, gross_cents, deductible_pct)
          SELECT id, 1, account, vat_rate_bp, amount_cents, deductible_pct FROM target)
        UPDATE expenses SET coding_suggested = true FROM target WHERE expenses.id = target.id
        RETURNING expenses.id`,
    on,
  );
  return rows.length;
}

export type RuleOffer = { merchant: string; account: string; vatRateBp: number; deductiblePct: number; times: number };

/**
 * Merchants this client's people coded the same way (one line, same account, rate and share) at
 * least three times, with no rule yet for the client or the firm: « en faire une règle ? ».
 */
export async function ruleOffers(client: VisibleClient): Promise<RuleOffer[]> {
  const rows = await queryRows<{
    merchant: string;
    account: string;
    vat_rate_bp: number;
    deductible_pct: number;
    times: number;
  }>(
    sql`SELECT min(e.merchant) AS merchant, l.account, l.vat_rate_bp, l.deductible_pct, count(*)::int AS times
        FROM expenses e JOIN expense_lines l ON l.expense_id = e.id AND l.line_no = 1
        WHERE e.client_id = ${client.id} AND e.coding_state IN ('coded', 'reviewed') AND NOT e.coding_suggested
          AND NOT EXISTS (SELECT 1 FROM expense_lines l2 WHERE l2.expense_id = e.id AND l2.line_no = 2)
          AND NOT EXISTS (SELECT 1 FROM coding_rules r WHERE r.firm_id = ${client.firmId}
                            AND (r.client_id = ${client.id} OR r.client_id IS NULL)
                            AND r.merchant_key = pp_fold(e.merchant))
        GROUP BY pp_fold(e.merchant), l.account, l.vat_rate_bp, l.deductible_pct
        HAVING count(*) >= ${RULE_OFFER_AFTER}
        ORDER BY count(*) DESC, min(e.merchant) LIMIT 5`,
  );
  return rows.map((r) => ({
    merchant: r.merchant,
    account: r.account,
    vatRateBp: r.vat_rate_bp,
    deductiblePct: r.deductible_pct,
    times: r.times,
  }));
}

export async function listRules(client: VisibleClient) {
  return db
    .select({
      id: codingRules.id,
      clientId: codingRules.clientId,
      merchant: codingRules.merchant,
      account: codingRules.account,
      vatRateBp: codingRules.vatRateBp,
      deductiblePct: codingRules.deductiblePct,
    })
    .from(codingRules)
    .where(
      and(
        eq(codingRules.firmId, client.firmId),
        sql`(${codingRules.clientId} = ${client.id} OR ${codingRules.clientId} IS NULL)`,
      ),
    )
    .orderBy(codingRules.merchantKey);
}

/**
 * Makes (or replaces) the rule for a merchant, for this client or for the whole firm (admins
 * only), then suggests it for the client's expenses of that merchant still to code. Safe to retry.
 */
export async function saveRule(
  viewer: Viewer & { role: string },
  client: VisibleClient,
  input: { merchant: string; account: string; vatRateBp: number; deductiblePct: number; firmWide: boolean },
) {
  if (input.firmWide && viewer.role !== 'admin') throw new SafeError('errors.adminOnly');
  if (!isVatRate(input.vatRateBp)) throw new SafeError('errors.vatRate');
  if (!isExpenseAccount(input.account)) throw new SafeError('errors.accountNotExpense');
  const { chart } = await loadBooks(client);
  if (!chart.some((a) => a.number === input.account && a.active)) throw new SafeError('errors.accountUnknown');
  return db.transaction(async (tx) => {
    await tx.execute(sql`
      INSERT INTO coding_rules (firm_id, client_id, merchant_key, merchant, account, vat_rate_bp, deductible_pct, created_by)
      VALUES (${viewer.firmId}, ${input.firmWide ? null : client.id}, pp_fold(${input.merchant}), ${input.merchant},
        ${input.account}, ${input.vatRateBp}, ${input.deductiblePct}, ${viewer.id})
      ON CONFLICT (firm_id, coalesce(client_id, '00000000-0000-0000-0000-000000000000'::uuid), merchant_key)
      DO UPDATE SET account = EXCLUDED.account, vat_rate_bp = EXCLUDED.vat_rate_bp,
        deductible_pct = EXCLUDED.deductible_pct, merchant = EXCLUDED.merchant`);
    const pending = await queryRows<{ id: string }>(
      sql`SELECT id FROM expenses WHERE client_id = ${client.id} AND coding_state = 'to_code'
            AND pp_fold(merchant) = pp_fold(${input.merchant})`,
      tx,
    );
    return suggestCodings(
      tx,
      pending.map((p) => p.id),
    );
  });
}

export async function deleteRule(viewer: Viewer & { role: string }, client: VisibleClient, ruleId: string) {
  const [rule] = await db
    .select({ clientId: codingRules.clientId })
    .from(codingRules)
    .where(and(eq(codingRules.id, ruleId), eq(codingRules.firmId, viewer.firmId)));
  if (!rule || (rule.clientId !== null && rule.clientId !== client.id)) throw new SafeError('errors.ruleNotFound');
  if (rule.clientId === null && viewer.role !== 'admin') throw new SafeError('errors.adminOnly');
  await db.delete(codingRules).where(and(eq(codingRules.id, ruleId), eq(codingRules.firmId, viewer.firmId)));
}
