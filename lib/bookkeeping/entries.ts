import { lineAmounts } from './vat';

/** A coding line as an export froze it (export_entries.lines). */
export type FrozenLine = {
  account: string;
  accountLabel: string;
  vatRateBp: number;
  grossCents: number;
  deductiblePct: number;
  analytic: string | null;
};

/** The client's books as an export froze them (expense_exports.books). */
export type FrozenBooks = {
  journalCode: string;
  journalLabel: string;
  vatAccount: string;
  vatAccountLabel: string;
  counterpartAccount: string;
  counterpartLabel: string;
  supplierAuxiliary: boolean;
};

/** One expense (or its reversal) as an export froze it. */
export type FrozenEntry = {
  position: number;
  reversal: boolean;
  entryDate: string; // yyyy-mm-dd
  spentOn: string;
  merchant: string;
  amountCents: number;
  currency: string;
  pieceRef: string;
  lines: FrozenLine[];
};

/** One line of an accounting entry, in cents, debit or credit (never both). */
export type EntryLine = {
  account: string;
  accountLabel: string;
  auxiliary: { code: string; label: string } | null;
  label: string;
  debitCents: number;
  creditCents: number;
  analytic: string | null;
};

/**
 * The supplier's auxiliary account when the counterpart is 401 with one per supplier: « F » and
 * the merchant's letters and digits, upper-case, without accents (« SNCF Connect » → FSNCFCONNE),
 * ten characters at most: what Quadra, Sage and EBP all accept as an auxiliary code.
 */
export function supplierCode(merchant: string): string {
  const letters = merchant
    .normalize('NFD')
    .replace(/[^A-Za-z0-9]/g, '')
    .toUpperCase();
  return `F${letters || 'DIVERS'}`.slice(0, 10);
}

function side(cents: number, reversed: boolean): { debitCents: number; creditCents: number } {
  // A debit of a negative amount is a credit (a refund), and a reversal swaps the sides.
  const debit = reversed ? -cents : cents;
  return debit >= 0 ? { debitCents: debit, creditCents: 0 } : { debitCents: 0, creditCents: -debit };
}

/**
 * The entry a coded card expense makes: each line's expense account gets the gross less the VAT
 * recovered (lib/bookkeeping/vat.ts), the VAT account the VAT recovered (one line per rate), and
 * the counterpart (the card's bank account, or 401 with the supplier's auxiliary account) the
 * whole gross. A reversal (contre-passation) is the same entry with the sides swapped. Balanced
 * by construction: the lines' gross always adds up to the expense's amount (checked when coding).
 */
export function entryLines(entry: FrozenEntry, books: FrozenBooks): EntryLine[] {
  const label = `${entry.reversal ? 'Annulation ' : ''}${entry.merchant}`;
  const out: EntryLine[] = [];
  const vatByRate = new Map<number, number>();
  for (const line of entry.lines) {
    const amounts = lineAmounts(line.grossCents, line.vatRateBp, line.deductiblePct);
    out.push({
      account: line.account,
      accountLabel: line.accountLabel,
      auxiliary: null,
      label,
      analytic: line.analytic,
      ...side(amounts.expenseCents, entry.reversal),
    });
    if (amounts.deductibleVatCents !== 0)
      vatByRate.set(line.vatRateBp, (vatByRate.get(line.vatRateBp) ?? 0) + amounts.deductibleVatCents);
  }
  for (const [rate, cents] of vatByRate) {
    const percent = rate % 100 === 0 ? String(rate / 100) : (rate / 100).toFixed(1).replace('.', ',');
    out.push({
      account: books.vatAccount,
      accountLabel: books.vatAccountLabel,
      auxiliary: null,
      label: `${label} TVA ${percent} %`,
      analytic: null,
      ...side(cents, entry.reversal),
    });
  }
  const supplier = books.supplierAuxiliary && books.counterpartAccount.startsWith('401');
  out.push({
    account: books.counterpartAccount,
    accountLabel: books.counterpartLabel,
    auxiliary: supplier ? { code: supplierCode(entry.merchant), label: entry.merchant } : null,
    label,
    analytic: null,
    ...side(-entry.amountCents, entry.reversal),
  });
  return out;
}
