// VAT computed from a gross (TTC) amount, to the cent, in integers (no floating point anywhere).
//
// The rounding rule, applied line by line (a receipt that mixes rates has one line per rate):
// 1. VAT = gross × rate / (1 + rate), rounded to the nearest cent, a half cent away from zero
//    (the commercial rounding of the French invoice rules, BOI-TVA-DECLA-30-20-20);
// 2. net (HT) = gross − VAT, so that net + VAT is always exactly the gross;
// 3. deductible VAT = VAT × deductible share, rounded the same way; the rest of the VAT is a cost
//    and goes to the expense account with the net: expense = gross − deductible VAT.
// A negative gross (a refund) gives the exact opposite of the positive one.

/** The French rates, in basis points (20 % = 2000): normal, intermediate, reduced, special, none. */
export const VAT_RATES_BP = [2000, 1000, 550, 210, 0] as const;
export type VatRateBp = (typeof VAT_RATES_BP)[number];
export const DEDUCTIBLE_SHARES = [100, 80, 0] as const;

export function isVatRate(value: number): value is VatRateBp {
  return (VAT_RATES_BP as readonly number[]).includes(value);
}

/** a / b rounded to the nearest integer, halves away from zero; b > 0, |a| well below 2^52. */
function divideRounded(a: number, b: number): number {
  const magnitude = Math.floor((2 * Math.abs(a) + b) / (2 * b));
  return a < 0 && magnitude !== 0 ? -magnitude : magnitude;
}

export type LineAmounts = { vatCents: number; netCents: number; deductibleVatCents: number; expenseCents: number };

export function lineAmounts(grossCents: number, vatRateBp: number, deductiblePct: number): LineAmounts {
  const vatCents = divideRounded(grossCents * vatRateBp, 10_000 + vatRateBp);
  const deductibleVatCents = divideRounded(vatCents * deductiblePct, 100);
  return {
    vatCents,
    netCents: grossCents - vatCents,
    deductibleVatCents,
    expenseCents: grossCents - deductibleVatCents,
  };
}

/** « 5,5 % », « 20 % » (a narrow no-break space before %, as French typography wants). */
export function formatRate(vatRateBp: number): string {
  const whole = Math.floor(vatRateBp / 100);
  const fraction = vatRateBp % 100;
  const text = fraction === 0 ? String(whole) : `${whole},${String(fraction).replace(/0$/, '')}`;
  return `${text}\u202F%`;
}
