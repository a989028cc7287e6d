// The accounts a client's chart starts with (pcg.json): the Plan comptable général (règlement
// ANC 2014-03) accounts a card's spend goes to, each with the VAT rate and deductible share an
// expense coded to it starts with (the accountant changes them per expense), then the accounts an
// entry uses besides: deductible VAT, suppliers, the card's bank. Numbers as firms write them in
// their software (three to six digits); labels as the PCG's list of accounts has them: data that
// goes into the files, in French whatever the reader's language.
import pcg from './pcg.json';

type PcgAccount = { number: string; label: string; vatRateBp: number; deductiblePct: number };

export const PCG_ACCOUNTS: PcgAccount[] = [...pcg.expense, ...pcg.other];

/**
 * An account number as the PCG writes them: digits only, three to ten, the first one a class from
 * 1 to 7 (8 and 9 are special and analytic accounts, never a card's spend).
 */
export function isAccountNumber(value: string): boolean {
  return /^[1-7][0-9]{2,9}$/.test(value);
}

/** Where an expense line can go: a charge (class 6) or a fixed asset (class 2). */
export function isExpenseAccount(value: string): boolean {
  return isAccountNumber(value) && (value.startsWith('6') || value.startsWith('2'));
}

export function isVatAccount(value: string): boolean {
  return isAccountNumber(value) && value.startsWith('445');
}

/** The counterpart of a card's spend: a bank account (512…), suppliers (401…) or an associate's account (455…). */
export function isCounterpartAccount(value: string): boolean {
  return isAccountNumber(value) && /^(512|401|455|467)/.test(value);
}
