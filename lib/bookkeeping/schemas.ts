import { z } from 'zod';
import { invalid } from '@/lib/server/i18n/validation';
import { isAccountNumber, isCounterpartAccount, isVatAccount } from './pcg';
import { PRESETS } from './presets';
import { VAT_RATES_BP } from './vat';

const clientId = z.string().uuid(invalid('clientNotFound'));
const many = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (value) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value]),
    z.array(item),
  );

const expenseIds = many(z.string().uuid(invalid('expenseUnknown'))).pipe(
  z.array(z.string()).min(1, invalid('noExpenseSelected')).max(500, invalid('tooManyExpenses')),
);

const account = z
  .string()
  .trim()
  .refine((v) => isAccountNumber(v), invalid('accountNumber'));
const vatRate = z.coerce
  .number(invalid('vatRate'))
  .int(invalid('vatRate'))
  .refine((v) => (VAT_RATES_BP as readonly number[]).includes(v), invalid('vatRate'));
const deductible = z.coerce
  .number(invalid('deductible'))
  .int(invalid('deductible'))
  .min(0, invalid('deductible'))
  .max(100, invalid('deductible'));
const analytic = z
  .string()
  .trim()
  .max(20, invalid('analyticTooLong'))
  .regex(/^[\p{L}\p{N} ._-]*$/u, invalid('analyticChars'))
  .transform((v) => (v === '' ? null : v));

/** « 12,50 », « 12.50 », « 1 234,5 » → 1250, 1250, 123450; anything else fails. */
export function parseEuros(text: string): number | undefined {
  const compact = text.replace(/[\s\u00A0\u202F€]/g, '').replace(',', '.');
  if (!/^-?\d{1,10}(\.\d{1,2})?$/.test(compact)) return undefined;
  const [whole, fraction = ''] = compact.replace('-', '').split('.');
  const cents = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  return compact.startsWith('-') ? -cents : cents;
}

export const codeSchema = z.object({
  clientId,
  ids: expenseIds,
  account,
  vatRate,
  deductible,
  analytic: analytic.default(''),
  review: z.enum(['0', '1']).default('0'),
});

/**
 * The split form: up to ten lines as parallel fields (account, vatRate, gross, deductible,
 * analytic); a line whose amount is left empty is no line. Every problem is reported on `lines`,
 * next to the lines' table.
 */
export const splitSchema = z
  .object({
    clientId,
    expenseId: z.string().uuid(invalid('expenseUnknown')),
    account: many(z.string()),
    vatRate: many(z.string()),
    gross: many(z.string()),
    deductible: many(z.string()),
    analytic: many(z.string()),
  })
  .transform((v, ctx) => {
    const lines: {
      account: string;
      vatRateBp: number;
      grossCents: number;
      deductiblePct: number;
      analytic: string | null;
    }[] = [];
    const fail = (key: Parameters<typeof invalid>[0]) => {
      ctx.addIssue({ code: 'custom', path: ['lines'], ...invalid(key) });
      return z.NEVER;
    };
    for (let i = 0; i < v.gross.length; i++) {
      const grossText = (v.gross[i] ?? '').trim();
      if (grossText === '') continue;
      const grossCents = parseEuros(grossText);
      if (grossCents === undefined) return fail('amount');
      const account = (v.account[i] ?? '').trim();
      if (!isAccountNumber(account)) return fail('accountNumber');
      const vatRateBp = Number(v.vatRate[i]);
      if (!(VAT_RATES_BP as readonly number[]).includes(vatRateBp)) return fail('vatRate');
      const deductiblePct = Number(v.deductible[i]);
      if (!Number.isInteger(deductiblePct) || deductiblePct < 0 || deductiblePct > 100) return fail('deductible');
      const code = (v.analytic[i] ?? '').trim();
      if (code.length > 20) return fail('analyticTooLong');
      if (!/^[\p{L}\p{N} ._-]*$/u.test(code)) return fail('analyticChars');
      lines.push({ account, vatRateBp, grossCents, deductiblePct, analytic: code === '' ? null : code });
    }
    if (lines.length === 0 || lines.length > 10) return fail('linesCount');
    return { clientId: v.clientId, expenseId: v.expenseId, lines };
  });

export const reviewSchema = z.object({
  clientId,
  ids: expenseIds,
  reviewed: z.enum(['0', '1']).default('1'),
});

export const ruleSchema = z.object({
  clientId,
  merchant: z.string().trim().min(1, invalid('required')).max(200, invalid('nameTooLong')),
  account,
  vatRate,
  deductible,
  scope: z.enum(['client', 'firm'], invalid('invalidChoice')).default('client'),
});

export const deleteRuleSchema = z.object({ clientId, ruleId: z.string().uuid(invalid('invalidId')) });

const label = z.string().trim().min(1, invalid('required')).max(100, invalid('labelTooLong'));

export const booksSchema = z
  .object({
    clientId,
    journalCode: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z0-9]{1,3}$/, invalid('journalCode')),
    journalLabel: label,
    vatAccount: z.string().trim().refine(isVatAccount, invalid('vatAccount')),
    counterpartAccount: z.string().trim().refine(isCounterpartAccount, invalid('counterpartAccount')),
    supplierAuxiliary: z.enum(['0', '1']).default('0'),
    preset: z.enum(PRESETS, invalid('invalidChoice')),
  })
  .refine((v) => v.preset !== 'sage50' || v.journalCode.length <= 2, {
    ...invalid('journalCodeSage50'),
    path: ['journalCode'],
  });

const accountFields = {
  number: account,
  label,
  vatRate,
  deductible,
  active: z.enum(['0', '1']).default('1'),
};

export const accountSchema = z.object({ clientId, ...accountFields });

export const firmAccountSchema = z.object(accountFields);

export const cancelExportSchema = z.object({ clientId, exportId: z.string().uuid(invalid('invalidId')) });
