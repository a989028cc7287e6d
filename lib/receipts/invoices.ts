import { sql } from 'drizzle-orm';
import { db, queryRows, sqlArray } from '@/db';
import { isVatRate, lineAmounts } from '@/lib/bookkeeping/vat';
import { readFacturX, type FacturX, type FacturXVat } from './facturx';

/**
 * What became of a Factur-X invoice's VAT: written into the expense's coding, or why not — the
 * amount or the currency is not the expense's, a rate is not a French one, the invoice's VAT is not
 * what its gross gives to the cent, the expense is coded by someone or exported already, or no
 * account is known yet (no rule, nobody coded it): the accountant codes it with the invoice shown.
 */
type InvoiceCoding =
  'applied' | 'amount_differs' | 'currency_differs' | 'rate_unknown' | 'vat_rounding' | 'already_coded' | 'no_account';

export type ExpenseInvoice = FacturX & { coding: InvoiceCoding };

type ExpenseNow = {
  amount_cents: number | string;
  currency: string;
  coding_state: string;
  coding_suggested: boolean;
  export_state: string;
  account: string | null;
  deductible_pct: number | null;
  analytic: string | null;
};

function codingOf(invoice: FacturX, expense: ExpenseNow): InvoiceCoding {
  const sign = invoice.creditNote ? -1 : 1;
  if (invoice.currency !== expense.currency) return 'currency_differs';
  if (sign * invoice.totalCents !== Number(expense.amount_cents)) return 'amount_differs';
  if (invoice.vat.some((line) => !isVatRate(line.rateBp))) return 'rate_unknown';
  // The coding keeps a line's gross and derives its VAT (lib/bookkeeping/vat.ts): the invoice's
  // VAT per rate must be what its gross gives, to the cent, or the coding would not say it.
  const exact = (line: FacturXVat) =>
    lineAmounts(sign * (line.basisCents + line.vatCents), line.rateBp, 100).vatCents === sign * line.vatCents;
  if (!invoice.vat.every(exact)) return 'vat_rounding';
  if (expense.export_state === 'exported' || (expense.coding_state !== 'to_code' && !expense.coding_suggested)) {
    return 'already_coded';
  }
  if (!expense.account) return 'no_account';
  return 'applied';
}

/**
 * Reads a receipt that may be a Factur-X invoice and keeps what it says for its expense; where the
 * coding can take it, its VAT per rate becomes the expense's lines (a suggestion: « à coder » kept,
 * a person confirms it in the grid), on the account already suggested or chosen. Safe to run
 * again on the same file: the invoice's row is replaced, the lines written the same.
 */
export async function applyFacturX(expenseId: string, bytes: Uint8Array): Promise<ExpenseInvoice | undefined> {
  const read = await readFacturX(bytes);
  if (read.kind !== 'invoice') return undefined;
  const invoice = read.invoice;
  return db.transaction(async (tx) => {
    const [expense] = await queryRows<ExpenseNow>(
      sql`SELECT e.amount_cents, e.currency, e.coding_state, e.coding_suggested, e.export_state,
                 l.account, l.deductible_pct, l.analytic
          FROM expenses e LEFT JOIN expense_lines l ON l.expense_id = e.id AND l.line_no = 1
          WHERE e.id = ${expenseId} FOR UPDATE OF e`,
      tx,
    );
    if (!expense) return undefined;
    const coding = codingOf(invoice, expense);
    if (coding === 'applied') {
      const sign = invoice.creditNote ? -1 : 1;
      const lines = invoice.vat.filter((line) => line.basisCents + line.vatCents !== 0);
      await tx.execute(sql`DELETE FROM expense_lines WHERE expense_id = ${expenseId}`);
      await tx.execute(sql`
        INSERT INTO expense_lines (expense_id, line_no, account, vat_rate_bp, gross_cents, deductible_pct, analytic)
        SELECT ${expenseId}::uuid, n, ${expense.account}, rate, gross, ${expense.deductible_pct ?? 100}, ${expense.analytic}
        FROM unnest(${sqlArray(
          lines.map((_, i) => i + 1),
          'integer',
        )}, ${sqlArray(
          lines.map((l) => l.rateBp),
          'integer',
        )}, ${sqlArray(
          lines.map((l) => sign * (l.basisCents + l.vatCents)),
          'bigint',
        )}) AS t(n, rate, gross)`);
      await tx.execute(sql`UPDATE expenses SET coding_suggested = true WHERE id = ${expenseId}`);
    }
    await tx.execute(sql`
      INSERT INTO expense_invoices (expense_id, number, type_code, issued_on, seller_name, seller_siren, seller_vat_number,
        currency, net_cents, vat_cents, total_cents, vat_lines, coding)
      VALUES (${expenseId}, ${invoice.number}, ${invoice.typeCode}, ${invoice.issuedOn}::date, ${invoice.sellerName},
        ${invoice.sellerSiren}, ${invoice.sellerVatNumber}, ${invoice.currency}, ${invoice.netCents}, ${invoice.vatCents},
        ${invoice.totalCents}, ${JSON.stringify(invoice.vat)}::jsonb, ${coding})
      ON CONFLICT (expense_id) DO UPDATE SET number = EXCLUDED.number, type_code = EXCLUDED.type_code,
        issued_on = EXCLUDED.issued_on, seller_name = EXCLUDED.seller_name, seller_siren = EXCLUDED.seller_siren,
        seller_vat_number = EXCLUDED.seller_vat_number, currency = EXCLUDED.currency, net_cents = EXCLUDED.net_cents,
        vat_cents = EXCLUDED.vat_cents, total_cents = EXCLUDED.total_cents, vat_lines = EXCLUDED.vat_lines,
        coding = EXCLUDED.coding, created_at = now()`);
    return { ...invoice, coding };
  });
}

/** The invoice read from an expense's receipt, if it was a Factur-X one. */
export async function findExpenseInvoice(expenseId: string): Promise<ExpenseInvoice | undefined> {
  const [row] = await queryRows<{
    number: string;
    type_code: string;
    issued_on: string;
    seller_name: string;
    seller_siren: string | null;
    seller_vat_number: string | null;
    currency: string;
    net_cents: number | string;
    vat_cents: number | string;
    total_cents: number | string;
    vat_lines: FacturXVat[] | string;
    coding: InvoiceCoding;
  }>(
    sql`SELECT number, type_code, issued_on::text AS issued_on, seller_name, seller_siren, seller_vat_number, currency,
               net_cents, vat_cents, total_cents, vat_lines, coding
        FROM expense_invoices WHERE expense_id = ${expenseId}`,
  );
  if (!row) return undefined;
  return {
    number: row.number,
    typeCode: row.type_code,
    creditNote: row.type_code === '381',
    issuedOn: row.issued_on,
    sellerName: row.seller_name,
    sellerSiren: row.seller_siren,
    sellerVatNumber: row.seller_vat_number,
    currency: row.currency,
    netCents: Number(row.net_cents),
    vatCents: Number(row.vat_cents),
    totalCents: Number(row.total_cents),
    vat: typeof row.vat_lines === 'string' ? (JSON.parse(row.vat_lines) as FacturXVat[]) : row.vat_lines,
    coding: row.coding,
  };
}
