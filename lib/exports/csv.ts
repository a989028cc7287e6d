import type { ReceiptState } from '@/db/schema';

// A CSV that French accounting tools (and Excel set to French) open cleanly: UTF-8 with a BOM,
// `;` between fields, a decimal comma, dates as jj/mm/aaaa, CRLF line ends.
export const BOM = '\uFEFF';
export const HEADER = ['Date', 'Fournisseur', 'Montant', 'Devise', 'Catégorie', 'Reçu', 'Identifiant'];

const RECEIPT_LABELS: Record<ReceiptState, string> = {
  missing: 'Manquant',
  attached: 'Joint',
  not_required: 'Non requis',
};

export type CsvExpense = {
  id: string;
  spentOn: string; // yyyy-mm-dd
  merchant: string;
  amountCents: number;
  currency: string;
  category: string | null;
  receiptState: ReceiptState;
};

/** Quotes a field when it must be, and defuses spreadsheet formulas in free text. */
export function csvText(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[;"\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** 123456 → "1234,56"; -5 → "-0,05" (no grouping: the cell stays a number). */
export function csvAmount(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
}

export function csvDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-');
  return `${d}/${m}/${y}`;
}

export function csvLine(fields: string[]): string {
  return `${fields.join(';')}\r\n`;
}

export function csvExpenseLine(expense: CsvExpense): string {
  return csvLine([
    csvDate(expense.spentOn),
    csvText(expense.merchant),
    csvAmount(expense.amountCents),
    expense.currency,
    csvText(expense.category ?? ''),
    RECEIPT_LABELS[expense.receiptState],
    expense.id,
  ]);
}

export function csvHeader(): string {
  return BOM + csvLine(HEADER);
}
