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
//
// The specifications were read from their public transcriptions (this machine reaches no
// publisher's site); the golden files in test/presets.test.ts pin every position.
import { encodeText, type Charset } from './charsets';
import { entryLines, type FrozenBooks, type FrozenEntry } from './entries';
import { fecEntry, fecHeader, fecText } from './fec';

export type PresetId = 'fec' | 'quadra' | 'ebp';
export const PRESETS: PresetId[] = ['fec', 'quadra', 'ebp'];

export type Writer = {
  charset: Charset;
  extension: string;
  header: () => string;
  entry: (entry: FrozenEntry, books: FrozenBooks, context: { validDate: string; attachment?: string }) => string;
};

const CRLF = '\r\n';

/** Left-aligned, padded with spaces or cut to the width (free text first made one line). */
function left(value: string, width: number): string {
  const text = fecText(value);
  return [...text].slice(0, width).join('').padEnd(width, ' ');
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

function ebpAmount(cents: number): string {
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
            ebpAmount(debit ? line.debitCents : line.creditCents),
            debit ? 'D' : 'C',
            jjmmaaaa(entry.entryDate),
            '',
          ].join(',') + CRLF
        );
      })
      .join('');
  },
};

const fec: Writer = {
  charset: 'iso-8859-15',
  extension: 'txt',
  header: fecHeader,
  entry: (entry, books, { validDate }) => fecEntry(entry, books, validDate),
};

export const WRITERS: Record<PresetId, Writer> = { fec, quadra, ebp };

/** Bytes of a chunk of a preset's file. */
export function encodeFor(preset: PresetId, text: string): Buffer {
  return encodeText(text, WRITERS[preset].charset);
}
