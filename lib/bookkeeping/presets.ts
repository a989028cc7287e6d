// The files an export is handed over in: the FEC, and presets for the accounting packages French
// firms use. Each writes the same entries (lib/bookkeeping/entries.ts), one entry at a time, so that
// an export of any size streams.
//
// - Cegid Quadra, « format ASCII » import (QuadraCOMPTA's « Cahier des charges des fichiers ASCII »,
//   record type M: écriture générale), fixed-width records of 193 characters, Windows-1252, CR LF.
//   The positions below are the specification's (1-based):
//     1 (1) « M » · 2 (8) account, general accounts padded with 0 to 8 digits, an auxiliary account
//     (supplier) as its code padded with spaces · 10 (2) journal · 12 (3) folio « 000 » · 15 (6)
//     date JJMMAA · 21 (1) code libellé, blank · 22 (20) label · 42 (1) D or C · 43 (13) amount in
//     cents, sign first (« + »), zero-padded · 56 (8) counterpart, blank · 64 (6) due date, blank ·
//     70 (2) lettering, blank · 72 (3) statistics, blank · 75 (5) piece (its last five digits) · 80
//     (10) business code: the analytic code · 90 (10) quantity, blank · 100 (8) piece · 108 (3)
//     currency « EUR » · 111 (3) journal on three characters · 114 (1) VAT flag, blank · 115 (1) VAT
//     code, blank · 116 (1) VAT method, blank · 117 (30) label on 30 characters · 147 (2) VAT code,
//     blank · 149 (10) alphanumeric piece · 159 (10) reserved · 169 (13) amount in currency, blank ·
//     182 (12) attached file « PIECE.EXT » (8.3): the receipt as the export's ZIP names it.
// - EBP Comptabilité, « Import paramétrable — format texte EBP » (ASCII, comma-separated, CP850,
//   CR LF), one line per accounting line: entry number (5, right-aligned) · date JJMMAAAA · journal ·
//   account (15, padded, no comma) · automatic label, empty · label (40, in quotes) · piece (15, in
//   quotes) · amount (13, two decimals with a point, zero-padded) · D or C · due date JJMMAAAA ·
//   currency, empty — and a comma after the last field.
// - Sage 50 (formerly Ciel Compta), « format XImport » in its 2003 version (Sage 50's « Importer
//   des écritures », technical help https://sage50c.online-help.sage.fr/aide-technique/), fixed-width
//   lines of 142 characters, CP850, CR LF. The lines of one entry share its movement number, which
//   is how Sage 50 groups them into one balanced movement. Positions (1-based):
//     1 (5) movement number, right-aligned · 6 (2) journal · 8 (8) date AAAAMMJJ · 16 (8) due
//     date AAAAMMJJ (the day of the card payment) · 24 (12) piece · 36 (11) account (on the
//     counterpart line, the supplier's auxiliary code when there is one) · 47 (25) label · 72 (13)
//     amount, two decimals with a point, zero-padded · 85 (1) C or D · 86 (12) pointage, blank ·
//     98 (6) analytic code · 104 (34) the account's label · 138 (1) « O » (amounts in euros) ·
//     139 (4) « 2003 », the format's version.
//   Nothing is cut: a journal of three characters or an analytic code of more than six makes the
//   download refuse with a message (see `sage50Misfit`) rather than write a file that would put
//   the lines in another journal or section.
//
// The specifications were read from their public transcriptions (this machine reaches no
// publisher's site); the golden files in test/bookkeeping.test.ts pin every position.
import { encodeText, type Charset } from './charsets';
import { entryLines, type FrozenBooks, type FrozenEntry } from './entries';
import { fecEntry, fecHeader, fecText } from './fec';

export const PRESETS = ['fec', 'quadra', 'ebp', 'sage50'] as const;
export type PresetId = (typeof PRESETS)[number];

export type Writer = {
  charset: Charset;
  extension: string;
  header: () => string;
  entry: (entry: FrozenEntry, books: FrozenBooks, context: { validDate: string; attachment?: string }) => string;
};

const CRLF = '\r\n';

/** Left-aligned, padded with spaces or cut to the width (free text first made one line). */
function left(value: string, width: number): string {
  // Counted in characters, not UTF-16 units: an emoji is one character, and one byte once encoded.
  const chars = [...fecText(value)].slice(0, width);
  return chars.join('') + ' '.repeat(width - chars.length);
}

function jjmmaa(isoDate: string): string {
  return `${isoDate.slice(8, 10)}${isoDate.slice(5, 7)}${isoDate.slice(2, 4)}`;
}

function jjmmaaaa(isoDate: string): string {
  return `${isoDate.slice(8, 10)}${isoDate.slice(5, 7)}${isoDate.slice(0, 4)}`;
}

const quadra: Writer = {
  charset: 'windows-1252',
  extension: 'txt',
  header: () => '',
  entry(entry, books, { attachment }) {
    return entryLines(entry, books)
      .map((line) => {
        const account = line.auxiliary ? left(line.auxiliary.code, 8) : line.account.padEnd(8, '0').slice(0, 8);
        const debit = line.debitCents > 0;
        const cents = debit ? line.debitCents : line.creditCents;
        const record =
          'M' +
          account +
          left(books.journalCode, 2) +
          '000' +
          jjmmaa(entry.entryDate) +
          ' ' +
          left(line.label, 20) +
          (debit ? 'D' : 'C') +
          '+' +
          String(cents).padStart(12, '0') +
          ' '.repeat(8) +
          ' '.repeat(6) +
          ' '.repeat(2) +
          ' '.repeat(3) +
          left(entry.pieceRef.slice(-5), 5) +
          left(line.analytic ?? '', 10) +
          ' '.repeat(10) +
          left(entry.pieceRef, 8) +
          'EUR' +
          left(books.journalCode, 3) +
          ' '.repeat(3) +
          left(line.label, 30) +
          ' '.repeat(2) +
          left(entry.pieceRef, 10) +
          ' '.repeat(10) +
          ' '.repeat(13) +
          left(attachment ?? '', 12);
        return record + CRLF;
      })
      .join('');
  },
};

/** An amount on 13 characters, two decimals with a point, zero-padded (EBP, Sage 50). */
function pointAmount(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`.padStart(13, '0');
}

/**
 * A quoted field: the label cut to its width, its own double quotes (typographic ones too, which
 * CP850 would turn into « " ») made apostrophes, so that no quote closes the field early.
 */
function quoted(value: string, width: number): string {
  return `"${left(value.replace(/["\u201C\u201D\u201E\u2033]/g, "'"), width)}"`;
}

const ebp: Writer = {
  charset: 'cp850',
  extension: 'txt',
  header: () => '',
  entry(entry, books) {
    return entryLines(entry, books)
      .map((line) => {
        const debit = line.debitCents > 0;
        const account = (line.auxiliary ? line.auxiliary.code : line.account).replaceAll(',', '');
        return (
          [
            String(entry.position).padStart(5, ' '),
            jjmmaaaa(entry.entryDate),
            fecText(books.journalCode).replaceAll(',', ''),
            left(account, 15),
            '',
            quoted(line.label, 40),
            quoted(entry.pieceRef, 15),
            pointAmount(debit ? line.debitCents : line.creditCents),
            debit ? 'D' : 'C',
            jjmmaaaa(entry.entryDate),
            '',
          ].join(',') + CRLF
        );
      })
      .join('');
  },
};

/** The XImport's movement number: five digits, so an export of more entries starts again at 1. */
function movement(position: number): string {
  return String(((position - 1) % 99999) + 1).padStart(5, ' ');
}

const sage50: Writer = {
  charset: 'cp850',
  extension: 'txt',
  header: () => '',
  entry(entry, books) {
    const date = entry.entryDate.replaceAll('-', '');
    return entryLines(entry, books)
      .map((line) => {
        const debit = line.debitCents > 0;
        return (
          movement(entry.position) +
          left(books.journalCode, 2) +
          date +
          date +
          left(entry.pieceRef, 12) +
          left(line.auxiliary ? line.auxiliary.code : line.account, 11) +
          left(line.label, 25) +
          pointAmount(debit ? line.debitCents : line.creditCents) +
          (debit ? 'D' : 'C') +
          ' '.repeat(12) +
          left(line.analytic ?? '', 6) +
          left(line.auxiliary ? line.auxiliary.label : line.accountLabel, 34) +
          'O' +
          '2003' +
          CRLF
        );
      })
      .join('');
  },
};

/**
 * Why an export cannot be written as an XImport without changing what it says, or null: its
 * journal code is longer than the format's two characters, or one of its analytic codes longer
 * than six. (The other fields hold what the portal accepts: accounts of ten digits at most,
 * auxiliary codes of ten, pieces of eight.)
 */
export function sage50Misfit(books: FrozenBooks, longestAnalytic: number): 'journal' | 'analytic' | null {
  if (books.journalCode.length > 2) return 'journal';
  if (longestAnalytic > 6) return 'analytic';
  return null;
}

const fec: Writer = {
  charset: 'iso-8859-15',
  extension: 'txt',
  header: fecHeader,
  entry: (entry, books, { validDate }) => fecEntry(entry, books, validDate),
};

export const WRITERS: Record<PresetId, Writer> = { fec, quadra, ebp, sage50 };

/** Bytes of a chunk of a preset's file. */
export function encodeFor(preset: PresetId, text: string): Buffer {
  return encodeText(text, WRITERS[preset].charset);
}
