import { Readable } from 'node:stream';
import busboy from 'busboy';
import { logger } from '@/lib/server/log';
import { FileTooLarge, storeFile } from '@/lib/server/storage';
import { applyFacturX } from './invoices';
import { attachReceipt, openRequest } from './links';
import type { InboundState } from '@/db/schema';
import { receiveUnnamedUpload } from './inbound';
import { MAX_RECEIPT_BYTES, sniffReceipt } from './sniff';

/** The expense field's value of « Je ne sais pas à quelle dépense il correspond ». */
const UNNAMED = 'inconnue';

export type UploadOutcome =
  | { status: 'done'; expenseId: string }
  | { status: 'link_invalid' }
  /** Sent without naming its expense (`expenseId=inconnue`): what the matching made of it. */
  | { status: 'unnamed'; state: InboundState }
  | {
      status: 'error';
      code: 'type' | 'size' | 'empty' | 'not_requested' | 'failed' | 'unreadable';
      expenseId?: string;
    };

/** The first `size` bytes of a stream, and the rest of it to read on. */
async function peek(source: AsyncIterator<Buffer>, size: number): Promise<{ head: Buffer; ended: boolean }> {
  const parts: Buffer[] = [];
  let length = 0;
  while (length < size) {
    const next = await source.next();
    if (next.done) return { head: Buffer.concat(parts), ended: true };
    parts.push(next.value);
    length += next.value.length;
  }
  return { head: Buffer.concat(parts), ended: false };
}

/**
 * A receipt posted from the upload page (multipart/form-data, the expense's id before the file):
 * the link checked before reading a byte, the type decided from the content, the bytes streamed
 * into storage and refused past 10 MB while reading, then attached in one transaction. Any failure
 * leaves no file and changes nothing.
 */
export async function receiveReceiptUpload(token: string, request: Request, now = new Date()): Promise<UploadOutcome> {
  const open = await openRequest(token, now);
  if (!open) return { status: 'link_invalid' };
  const type = request.headers.get('content-type') ?? '';
  if (!type.startsWith('multipart/form-data') || !request.body) return { status: 'error', code: 'unreadable' };
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > MAX_RECEIPT_BYTES + 64 * 1024) return { status: 'error', code: 'size' };
  const requested = new Set(open.expenses.filter((e) => e.needsReceipt).map((e) => e.id));

  return new Promise<UploadOutcome>((resolve) => {
    let expenseId: string | undefined;
    let settled = false;
    let working: Promise<void> = Promise.resolve();
    const input = Readable.fromWeb(request.body as import('node:stream/web').ReadableStream<Uint8Array>);
    const finish = (outcome: UploadOutcome) => {
      if (settled) return;
      settled = true;
      // Whatever is left of the request is not read (a 100 MB body costs nothing past the limit).
      input.unpipe();
      input.destroy();
      resolve(outcome);
    };
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { 'content-type': type },
        limits: { files: 1, fields: 5, fieldSize: 200, fileSize: MAX_RECEIPT_BYTES + 1 },
      });
    } catch {
      return resolve({ status: 'error', code: 'unreadable' });
    }
    parser.on('field', (name, value) => {
      if (name === 'expenseId') expenseId = value;
    });
    parser.on('file', (_name, file, info) => {
      working = (async () => {
        const wanted = expenseId;
        if (wanted === UNNAMED) {
          const read = await bufferReceipt(file, info.filename || 'recu');
          if (!read.ok) return finish({ status: 'error', code: read.code === 'unreadable' ? 'failed' : read.code });
          const state = await receiveUnnamedUpload(open.id, read, now);
          return finish(state === 'link_invalid' ? { status: 'link_invalid' } : { status: 'unnamed', state });
        }
        if (!wanted || !requested.has(wanted)) {
          file.resume();
          return finish({ status: 'error', code: 'not_requested', expenseId: wanted });
        }
        const chunks = file[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
        const { head, ended } = await peek(chunks, 4100);
        if (head.length === 0) return finish({ status: 'error', code: 'empty', expenseId: wanted });
        const mime = await sniffReceipt(head);
        if (!mime) {
          file.resume();
          return finish({ status: 'error', code: 'type', expenseId: wanted });
        }
        // A PDF is kept in memory too (at most MAX_RECEIPT_BYTES), to read its Factur-X invoice once attached.
        const pdf: Buffer[] | undefined = mime === 'application/pdf' ? [] : undefined;
        async function* body() {
          pdf?.push(head);
          yield head;
          if (ended) return;
          for (;;) {
            const next = await chunks.next();
            if (next.done) return;
            pdf?.push(next.value);
            yield next.value;
          }
        }
        let stored: { id: string; size: number };
        try {
          stored = await storeFile(body(), { contentType: mime, maxBytes: MAX_RECEIPT_BYTES });
        } catch (error) {
          return finish({
            status: 'error',
            code: error instanceof FileTooLarge ? 'size' : 'failed',
            expenseId: wanted,
          });
        }
        const attached = await attachReceipt(token, wanted, stored, now);
        if (attached === 'done' && pdf) {
          // The receipt is attached whatever its invoice says; reading it is a bonus, never a failure.
          await applyFacturX(wanted, Buffer.concat(pdf)).catch((error: unknown) =>
            logger.warn({ err: error }, 'factur-x read failed'),
          );
        }
        finish(
          attached === 'done'
            ? { status: 'done', expenseId: wanted }
            : attached === 'link_invalid'
              ? { status: 'link_invalid' }
              : { status: 'error', code: 'not_requested', expenseId: wanted },
        );
      })().catch((error: unknown) => {
        logger.error({ err: error }, 'receipt upload failed');
        finish({ status: 'error', code: 'failed', expenseId });
      });
    });
    parser.on('close', () => {
      void working.then(() => finish({ status: 'error', code: 'empty', expenseId }));
    });
    parser.on('error', () => finish({ status: 'error', code: 'unreadable', expenseId }));
    input.on('error', () => finish({ status: 'error', code: 'failed', expenseId }));
    input.pipe(parser);
  });
}

export type OneFile =
  | { ok: true; bytes: Buffer; contentType: string; filename: string }
  | { ok: false; code: 'type' | 'size' | 'empty' | 'unreadable' };

/** A multipart file part in memory, refused past 10 MB while reading, its type from its first bytes. */
async function bufferReceipt(file: AsyncIterable<Buffer>, filename: string): Promise<OneFile> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of file) {
    size += chunk.length;
    if (size > MAX_RECEIPT_BYTES) return { ok: false, code: 'size' };
    parts.push(chunk);
  }
  const bytes = Buffer.concat(parts);
  if (bytes.length === 0) return { ok: false, code: 'empty' };
  const contentType = await sniffReceipt(bytes.subarray(0, 4100));
  if (!contentType) return { ok: false, code: 'type' };
  return { ok: true, bytes, contentType, filename: filename.slice(0, 200) };
}

/**
 * The one file of a multipart request (a document dropped on a client's account), read into
 * memory up to 10 MB and refused past it while reading; its type decided from its first bytes.
 */
export async function readOneFile(request: Request): Promise<OneFile> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.startsWith('multipart/form-data') || !request.body) return { ok: false, code: 'unreadable' };
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > MAX_RECEIPT_BYTES + 64 * 1024) return { ok: false, code: 'size' };
  return new Promise<OneFile>((resolve) => {
    let settled = false;
    const input = Readable.fromWeb(request.body as import('node:stream/web').ReadableStream<Uint8Array>);
    const finish = (outcome: OneFile) => {
      if (settled) return;
      settled = true;
      input.unpipe();
      input.destroy();
      resolve(outcome);
    };
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { 'content-type': type },
        limits: { files: 1, fields: 5, fieldSize: 200, fileSize: MAX_RECEIPT_BYTES + 1 },
      });
    } catch {
      return resolve({ ok: false, code: 'unreadable' });
    }
    let working: Promise<void> = Promise.resolve();
    parser.on('file', (_name, file, info) => {
      working = (async () => {
        finish(await bufferReceipt(file, info.filename || 'document'));
      })().catch(() => finish({ ok: false, code: 'unreadable' }));
    });
    parser.on('close', () => void working.then(() => finish({ ok: false, code: 'empty' })));
    parser.on('error', () => finish({ ok: false, code: 'unreadable' }));
    input.on('error', () => finish({ ok: false, code: 'unreadable' }));
    input.pipe(parser);
  });
}
