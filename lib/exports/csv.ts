import type { ReceiptState } from '@/db/schema';
import { DEFAULT_LOCALE, type Locale } from '@/lib/server/i18n/locales';
import { messagesFor } from '@/lib/server/i18n/messages';

// A CSV that French accounting tools (and Excel set to French) open cleanly: UTF-8 with a BOM,
// `;` between fields, a decimal comma, dates as jj/mm/aaaa, CRLF line ends. Only the header and the
// receipt labels follow the language (French unless asked): the cells stay in French conventions.
export const BOM = '\uFEFF';
const COLUMNS = ['date', 'merchant', 'amount', 'currency', 'category', 'receipt', 'id'] as const;

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

function csvDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-');
  return `${d}/${m}/${y}`;
}

export function csvLine(fields: string[]): string {
  return `${fields.join(';')}\r\n`;
}

export function csvExpenseLine(expense: CsvExpense, locale: Locale = DEFAULT_LOCALE): string {
  return csvLine([
    csvDate(expense.spentOn),
    csvText(expense.merchant),
    csvAmount(expense.amountCents),
    expense.currency,
    csvText(expense.category ?? ''),
    messagesFor(locale).csv.receipt[expense.receiptState],
    expense.id,
  ]);
}

export function csvHeader(locale: Locale = DEFAULT_LOCALE): string {
  const header = messagesFor(locale).csv.header;
  return BOM + csvLine(COLUMNS.map((column) => header[column]));
}
