import { PassThrough, Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import yazl from 'yazl';
import { queryRows } from '@/db';
import type { FrozenBooks } from '@/lib/bookkeeping/entries';
import { fecFileName } from '@/lib/bookkeeping/fec';
import { encodeFor, sage50Misfit, WRITERS, type PresetId } from '@/lib/bookkeeping/presets';
import { extensionOf } from '@/lib/receipts/sniff';
import { readFile } from '@/lib/server/storage';
import { slugify } from '@/lib/server/slugify';
import { exportEntryBatches, streamOf, type ExportedEntry } from './create-export';

export type ExportFile = { name: string; contentType: string; body: ReadableStream<Uint8Array> };
type FoundExport = { id: string; createdAt: Date; books: unknown; clientName: string; siren: string | null };

/** « 2026-12-03 » in Paris: the day an export was made (its entries' ValidDate). */
function parisDay(instant: Date): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris' }).format(instant);
}

/** The receipt's name in the ZIP, and in Quadra's « pièce jointe »: its piece number. */
function receiptName(entry: Pick<ExportedEntry, 'pieceRef' | 'receipt'>): string | undefined {
  return entry.receipt ? `${entry.pieceRef}.${extensionOf(entry.receipt.contentType)}` : undefined;
}

/**
 * Why an export cannot be handed over in a preset without changing what it says (the message's
 * key), or null. Only Sage 50's XImport has fields narrower than what the portal accepts; its
 * analytic codes are measured in the database, one aggregate over the frozen lines.
 */
export async function presetRefusal(
  found: FoundExport,
  preset: PresetId,
): Promise<'errors.sage50Journal' | 'errors.sage50Analytic' | null> {
  if (preset !== 'sage50') return null;
  const [row] = await queryRows<{ longest: number }>(
    sql`SELECT coalesce(max(length(l.value->>'analytic')), 0)::int AS longest
          FROM export_entries e, jsonb_array_elements(e.lines) l WHERE e.export_id = ${found.id}`,
  );
  const misfit = sage50Misfit(found.books as FrozenBooks, row?.longest ?? 0);
  return misfit === 'journal' ? 'errors.sage50Journal' : misfit === 'analytic' ? 'errors.sage50Analytic' : null;
}

/**
 * An export's entries in a preset's file (the FEC or an accounting package's import), streamed
 * entry by entry from the frozen rows: the same export always gives the same bytes.
 */
export async function exportEntriesFile(firmId: string, found: FoundExport, preset: PresetId): Promise<ExportFile> {
  const books = found.books as FrozenBooks;
  const writer = WRITERS[preset];
  const validDate = parisDay(found.createdAt);
  let name: string;
  if (preset === 'fec') {
    // The fiscal year's closing day: 31 December of the year of the export's last entry.
    const [last] = await queryRows<{ day: string | null }>(
      sql`SELECT max(entry_date)::text AS day FROM export_entries WHERE export_id = ${found.id}`,
    );
    name = fecFileName(found.siren!, `${(last?.day ?? validDate).slice(0, 4)}-12-31`);
  } else {
    name = `${preset}-${slugify(found.clientName, 40) || 'client'}-${validDate}-${found.id.slice(0, 8)}.${writer.extension}`;
  }
  async function* chunks() {
    const header = writer.header();
    if (header) yield encodeFor(preset, header);
    for await (const batch of exportEntryBatches(firmId, found.id))
      yield encodeFor(
        preset,
        batch.map((entry) => writer.entry(entry, books, { validDate, attachment: receiptName(entry) })).join(''),
      );
  }
  const charset = writer.charset === 'cp850' ? 'ibm850' : writer.charset;
  return { name, contentType: `text/plain; charset=${charset}`, body: streamOf(chunks()) };
}

/**
 * The receipts of an export's expenses in one ZIP, each named by its piece number (PieceRef) so
 * that the accounting software links it to its entry. Stored without compression (PDFs and photos
 * are compressed already), dated the export's day: the same export always gives the same bytes.
 * Read and written a file at a time: memory stays flat whatever the number of receipts.
 */
export function exportReceiptsZip(firmId: string, found: FoundExport): ExportFile {
  const zip = new yazl.ZipFile();
  const mtime = found.createdAt;
  const out = new PassThrough();
  zip.outputStream.pipe(out);
  (async () => {
    const seen = new Set<string>();
    for await (const batch of exportEntryBatches(firmId, found.id, { reversals: false }))
      for (const entry of batch) {
        const name = receiptName(entry);
        if (!name || seen.has(name)) continue;
        seen.add(name);
        zip.addReadStream(Readable.from(readFile(entry.receipt!.fileId, entry.receipt!.driver)), name, {
          compress: false,
          mtime,
        });
      }
    zip.end();
  })().catch((error: unknown) => out.destroy(error as Error));
  return {
    name: `recus-${slugify(found.clientName, 40) || 'client'}-${parisDay(found.createdAt)}-${found.id.slice(0, 8)}.zip`,
    contentType: 'application/zip',
    body: Readable.toWeb(out) as ReadableStream<Uint8Array>,
  };
}
