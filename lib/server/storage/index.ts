import { sql } from 'drizzle-orm';
import { db, queryRows, type Tx, timestamptz } from '@/db';
import { env } from '@/lib/server/env';
import type { StorageDriver } from './driver';
import { postgresDriver } from './postgres';
import { s3Driver } from './s3';

// The files the app keeps (receipts). Which driver: S3-compatible storage when S3_BUCKET is set,
// PostgreSQL otherwise. A file is recorded (stored_files) before its bytes, and only counts once
// `complete`: the caller completes it in the transaction that uses it, so that a failed upload
// leaves no file and no state change.

export class FileTooLarge extends Error {
  constructor(readonly limit: number) {
    super('file_too_large');
  }
}

let cached: StorageDriver | undefined;

function storageDriver(): StorageDriver {
  cached ??= env.S3_BUCKET
    ? s3Driver({
        endpoint: env.S3_ENDPOINT,
        bucket: env.S3_BUCKET,
        region: env.S3_REGION,
        accessKeyId: env.S3_ACCESS_KEY_ID,
        secretAccessKey: env.S3_SECRET_ACCESS_KEY,
      })
    : postgresDriver;
  return cached;
}

/** Tests only: the driver this process uses. */
export function setStorageDriver(driver: StorageDriver | undefined): void {
  cached = driver;
}

async function* limited(source: AsyncIterable<Uint8Array>, limit: number, seen: { size: number }) {
  for await (const chunk of source) {
    seen.size += chunk.byteLength;
    // Refused while reading: the bytes past the limit are never stored.
    if (seen.size > limit) throw new FileTooLarge(limit);
    yield chunk;
  }
}

/**
 * Streams `source` into storage, at most `maxBytes`. The file is not complete until
 * `completeFile` (in the caller's transaction); on any failure nothing is left behind.
 */
export async function storeFile(
  source: AsyncIterable<Uint8Array>,
  options: { contentType: string; maxBytes: number },
): Promise<{ id: string; size: number }> {
  const driver = storageDriver();
  const [row] = await queryRows<{ id: string }>(
    sql`INSERT INTO stored_files (driver, content_type) VALUES (${driver.name}, ${options.contentType}) RETURNING id`,
  );
  const id = row!.id;
  const seen = { size: 0 };
  try {
    await driver.write(id, limited(source, options.maxBytes, seen), options.contentType);
  } catch (error) {
    await discardFile(id).catch(() => undefined);
    throw error;
  }
  return { id, size: seen.size };
}

export async function completeFile(tx: Tx, id: string, size: number): Promise<void> {
  await tx.execute(sql`UPDATE stored_files SET complete = true, size = ${size} WHERE id = ${id}`);
}

/** Removes the bytes and the record (an upload that could not be used). */
export async function discardFile(id: string): Promise<void> {
  const [file] = await queryRows<{ driver: string }>(sql`SELECT driver FROM stored_files WHERE id = ${id}`);
  if (file?.driver === postgresDriver.name) await postgresDriver.remove(id);
  else if (file?.driver === storageDriver().name) await storageDriver().remove(id);
  await db.execute(sql`DELETE FROM stored_files WHERE id = ${id}`);
}

export async function fileInfo(id: string): Promise<{ contentType: string; size: number } | undefined> {
  const [file] = await queryRows<{ content_type: string; size: string | number }>(
    sql`SELECT content_type, size FROM stored_files WHERE id = ${id} AND complete`,
  );
  return file ? { contentType: file.content_type, size: Number(file.size) } : undefined;
}

/** The bytes of a file, from the driver that stored it (files kept in PostgreSQL stay readable after moving to S3). */
export function readFile(id: string, driver: string): AsyncIterable<Uint8Array> {
  return (driver === postgresDriver.name ? postgresDriver : storageDriver()).read(id);
}

/** The cron's sweep: uploads a crash cut short (never completed) for more than an hour. */
export async function sweepIncompleteFiles(now: Date): Promise<number> {
  const stale = await queryRows<{ id: string }>(
    sql`SELECT id FROM stored_files WHERE NOT complete AND created_at < ${timestamptz(new Date(now.getTime() - 3_600_000))} LIMIT 100`,
  );
  for (const { id } of stale) await discardFile(id);
  return stale.length;
}
