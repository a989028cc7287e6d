/** A SIREN: 9 digits whose Luhn checksum is valid (spaces allowed when typed). */
export function normalizeSiren(value: string): string {
  return value.replace(/[\s.]/g, '');
}

export function isValidSiren(value: string): boolean {
  const digits = normalizeSiren(value);
  if (!/^\d{9}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i += 1) {
    let digit = Number(digits[8 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}
