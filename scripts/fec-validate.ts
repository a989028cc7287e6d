// A FEC validator: the rules of article A47 A-1 of the LPF and of its BOI, and the checks of the
// DGFiP's « Test Compta Demat » that can be written down. Runs on every export in the tests, and
// on any file with `npm run fec:check -- <file>`.
//
// Checked: the file name; the character set (Latin-9 or ASCII bytes only, no NUL); CR LF or LF
// records, none empty; the header's 18 names in order; 18 fields on every line (so no separator
// inside a field); no tab or control character in a field; the mandatory fields filled
// (JournalCode, JournalLib, EcritureNum, EcritureDate, CompteNum, CompteLib, PieceRef, PieceDate,
// EcritureLib, Debit, Credit, ValidDate); CompAuxNum and CompAuxLib both or neither; EcritureLet
// and DateLet both or neither; Montantdevise and Idevise both or neither; dates AAAAMMJJ and real;
// amounts with a decimal comma and two decimals, no thousands separator; a line is a debit or a
// credit, not both, not nothing; CompteNum begins with three digits, a PCG class from 1 to 7;
// every entry (EcritureNum) balanced, its lines together, with one date and one journal; the
// entries numbered without a gap, in the order of their dates; ValidDate not before EcritureDate.
import { decodeText } from '@/lib/bookkeeping/charsets';
import { FEC_FIELDS } from '@/lib/bookkeeping/fec';

export type FecProblem = { line: number; message: string };

const DATE = /^(\d{4})(\d{2})(\d{2})$/;
const AMOUNT = /^-?\d+,\d{2}$/;

function realDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || mo < 1 || mo > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

function cents(value: string): number {
  const negative = value.startsWith('-');
  const [whole, fraction] = value.replace('-', '').split(',');
  const abs = Number(whole) * 100 + Number(fraction);
  return negative ? -abs : abs;
}

const MANDATORY = [
  'JournalCode',
  'JournalLib',
  'EcritureNum',
  'EcritureDate',
  'CompteNum',
  'CompteLib',
  'PieceRef',
  'PieceDate',
  'EcritureLib',
  'Debit',
  'Credit',
  'ValidDate',
] as const;

const PAIRS = [
  ['CompAuxNum', 'CompAuxLib'],
  ['EcritureLet', 'DateLet'],
  ['Montantdevise', 'Idevise'],
] as const;

export function validateFecName(name: string): FecProblem[] {
  const m = /^(\d{9})FEC(\d{8})\.txt$/.exec(name);
  if (!m) return [{ line: 0, message: `nom de fichier « ${name} » : attendu <SIREN>FEC<AAAAMMJJ>.txt` }];
  if (!realDate(m[2]!)) return [{ line: 0, message: `nom de fichier : date de clôture ${m[2]} invalide` }];
  return [];
}

export function validateFec(
  bytes: Uint8Array,
  options: { separator?: string; maxProblems?: number } = {},
): FecProblem[] {
  const separator = options.separator ?? '|';
  const max = options.maxProblems ?? 100;
  const problems: FecProblem[] = [];
  const report = (line: number, message: string) => {
    if (problems.length < max) problems.push({ line, message });
  };
  if (bytes.includes(0)) report(0, 'octet NUL dans le fichier');
  const text = decodeText(bytes, 'iso-8859-15');
  const records = text.split(/\r?\n/);
  if (records.at(-1) === '') records.pop();
  else report(records.length, 'la dernière ligne ne se termine pas par un retour à la ligne');
  if (/\r(?!\n)/.test(text)) report(0, 'retour chariot seul dans le fichier');
  if (records.length === 0) return [{ line: 0, message: 'fichier vide' }];

  const header = records[0]!.split(separator);
  if (header.join('|') !== FEC_FIELDS.join('|')) report(1, `en-tête : attendu ${FEC_FIELDS.join(separator)}`);

  type Entry = { debit: number; credit: number; date: string; journal: string; firstLine: number };
  const entries = new Map<string, Entry>();
  const order: string[] = [];
  let previous: string | undefined;
  for (let i = 1; i < records.length; i++) {
    const lineNo = i + 1;
    const record = records[i]!;
    if (record === '') {
      report(lineNo, 'ligne vide');
      continue;
    }
    const values = record.split(separator);
    if (values.length !== FEC_FIELDS.length) {
      report(lineNo, `${values.length} champs au lieu de ${FEC_FIELDS.length} (séparateur dans un champ ?)`);
      continue;
    }
    const field = Object.fromEntries(FEC_FIELDS.map((name, k) => [name, values[k]!])) as Record<
      (typeof FEC_FIELDS)[number],
      string
    >;
    for (const [name, value] of Object.entries(field))
      if (/[\p{Cc}]/u.test(value)) report(lineNo, `${name} : caractère de contrôle ou tabulation`);
    for (const name of MANDATORY) if (field[name].trim() === '') report(lineNo, `${name} obligatoire`);
    for (const [a, b] of PAIRS)
      if ((field[a] === '') !== (field[b] === '')) report(lineNo, `${a} et ${b} : l'un sans l'autre`);
    for (const name of ['EcritureDate', 'PieceDate', 'ValidDate', 'DateLet'] as const)
      if (field[name] !== '' && !realDate(field[name]))
        report(lineNo, `${name} « ${field[name]} » : date AAAAMMJJ invalide`);
    for (const name of ['Debit', 'Credit', 'Montantdevise'] as const)
      if (field[name] !== '' && !AMOUNT.test(field[name]))
        report(lineNo, `${name} « ${field[name]} » : montant invalide (virgule décimale, deux décimales)`);
    if (!/^[1-7]\d{2}/.test(field.CompteNum))
      report(lineNo, `CompteNum « ${field.CompteNum} » : classe du PCG invalide`);
    if (!AMOUNT.test(field.Debit) || !AMOUNT.test(field.Credit)) continue;
    const debit = cents(field.Debit);
    const credit = cents(field.Credit);
    if (debit !== 0 && credit !== 0) report(lineNo, 'ligne à la fois au débit et au crédit');
    if (debit === 0 && credit === 0) report(lineNo, 'ligne sans montant');
    if (realDate(field.EcritureDate) && realDate(field.ValidDate) && field.ValidDate < field.EcritureDate)
      report(lineNo, 'ValidDate antérieure à EcritureDate');
    const num = field.EcritureNum;
    let entry = entries.get(num);
    if (!entry) {
      entry = { debit: 0, credit: 0, date: field.EcritureDate, journal: field.JournalCode, firstLine: lineNo };
      entries.set(num, entry);
      order.push(num);
    } else if (previous !== num) {
      report(lineNo, `écriture ${num} : lignes non consécutives`);
    }
    if (entry.date !== field.EcritureDate) report(lineNo, `écriture ${num} : plusieurs dates`);
    if (entry.journal !== field.JournalCode) report(lineNo, `écriture ${num} : plusieurs journaux`);
    entry.debit += debit;
    entry.credit += credit;
    previous = num;
  }
  let lastDate = '';
  order.forEach((num, k) => {
    const entry = entries.get(num)!;
    if (entry.debit !== entry.credit)
      report(
        entry.firstLine,
        `écriture ${num} déséquilibrée : débit ${entry.debit / 100}, crédit ${entry.credit / 100}`,
      );
    if (num !== String(k + 1)) report(entry.firstLine, `numérotation : ${num} au lieu de ${k + 1} (trou ou désordre)`);
    if (entry.date < lastDate) report(entry.firstLine, `écriture ${num} : date antérieure à l'écriture précédente`);
    lastDate = entry.date > lastDate ? entry.date : lastDate;
  });
  return problems;
}
