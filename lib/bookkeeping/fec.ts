// The Fichier des Écritures Comptables (article A47 A-1 of the Livre des procédures fiscales, and
// the BOI-CF-IOR-60-40-20 that details it): a flat file, one line per accounting line, the 18
// fields below in this order with their names as the first line.
//
// Our choices, written down as the article asks (II, 3°):
// - character set ISO 8859-15 (Latin-9): see latin9.ts;
// - field separator « | » (the pipe), records separated by CR LF;
// - dates AAAAMMJJ; amounts with a decimal comma, no thousands separator, the sign first (never
//   used: a line is a debit or a credit, both columns written, « 0,00 » on the other side);
// - free text (labels) never holds the separator, a tab, a line break or any control character:
//   each becomes a space (several in a row, one);
// - EcritureNum: the entry's number in the export, 1, 2, 3… in the order of EcritureDate;
// - the auxiliary account (CompAuxNum, CompAuxLib) only on the supplier's line, never elsewhere;
// - Montantdevise and Idevise empty: the portal's expenses are in euros;
// - the file is named <SIREN>FEC<AAAAMMJJ>.txt, AAAAMMJJ the closing date of the fiscal year the
//   entries belong to (31 December of the year of the last entry: the firm's fiscal years end then
//   unless told otherwise).
import { entryLines, type FrozenBooks, type FrozenEntry } from './entries';

export const FEC_FIELDS = [
  'JournalCode',
  'JournalLib',
  'EcritureNum',
  'EcritureDate',
  'CompteNum',
  'CompteLib',
  'CompAuxNum',
  'CompAuxLib',
  'PieceRef',
  'PieceDate',
  'EcritureLib',
  'Debit',
  'Credit',
  'EcritureLet',
  'DateLet',
  'ValidDate',
  'Montantdevise',
  'Idevise',
] as const;

const FEC_SEPARATOR = '|';
const FEC_LINE_END = '\r\n';

/** Free text made safe for one field: no separator, tab, line break or control character. */
export function fecText(value: string): string {
  return value
    .replace(/[|\p{Cc}\p{Zl}\p{Zp}]/gu, ' ')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

function fecDate(isoDate: string): string {
  return isoDate.replaceAll('-', '');
}

export function fecAmount(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
}

export function fecHeader(): string {
  return FEC_FIELDS.join(FEC_SEPARATOR) + FEC_LINE_END;
}

/** The lines of one entry, with its EcritureNum and the export's day as ValidDate. */
export function fecEntry(entry: FrozenEntry, books: FrozenBooks, validDate: string): string {
  return entryLines(entry, books)
    .map((line) =>
      [
        fecText(books.journalCode),
        // A label that held nothing but separators and control characters: the code stands in.
        fecText(books.journalLabel) || fecText(books.journalCode),
        String(entry.position),
        fecDate(entry.entryDate),
        line.account,
        fecText(line.accountLabel) || line.account,
        line.auxiliary ? fecText(line.auxiliary.code) : '',
        line.auxiliary ? fecText(line.auxiliary.label) || line.auxiliary.code : '',
        fecText(entry.pieceRef),
        fecDate(entry.spentOn),
        fecText(line.label) || entry.pieceRef,
        fecAmount(line.debitCents),
        fecAmount(line.creditCents),
        '',
        '',
        fecDate(validDate),
        '',
        '',
      ].join(FEC_SEPARATOR),
    )
    .join(FEC_LINE_END)
    .concat(FEC_LINE_END);
}

/** <SIREN>FEC<AAAAMMJJ>.txt; the SIREN's nine digits, or the file is not a FEC. */
export function fecFileName(siren: string, closingDate: string): string {
  return `${siren}FEC${fecDate(closingDate)}.txt`;
}
