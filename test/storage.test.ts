import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { queryRows } from '@/db';
import { postgresDriver } from '@/lib/server/storage/postgres';
import { s3Driver } from '@/lib/server/storage/s3';
import type { StorageDriver } from '@/lib/server/storage/driver';
import { completeFile, FileTooLarge, readFile, setStorageDriver, storeFile, fileInfo } from '@/lib/server/storage';
import { withTestDatabase } from './db';
import { startS3 } from './s3-server';

const db = withTestDatabase();
let currentDriver = 'postgres';
let s3: Awaited<ReturnType<typeof startS3>>;
beforeAll(async () => {
  s3 = await startS3('recus');
});
afterAll(async () => {
  setStorageDriver(undefined);
  await s3.stop();
});
beforeEach(() => db.execute(sql`TRUNCATE stored_files CASCADE`));

async function* inPieces(bytes: Buffer, piece = 64 * 1024, failAfter?: number) {
  for (let at = 0; at < bytes.length; at += piece) {
    if (failAfter !== undefined && at >= failAfter) throw new Error('connexion coupée');
    yield bytes.subarray(at, at + piece);
  }
}
async function readAll(id: string) {
  const parts: Buffer[] = [];
  for await (const chunk of readFile(id, currentDriver)) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}
const s3Settings = () => ({
  endpoint: s3.endpoint,
  bucket: 'recus',
  region: 'eu-west-3',
  accessKeyId: 'S3RVER',
  secretAccessKey: 'S3RVER',
});
const rows = async () => {
  const [r] = await queryRows<{ files: number; chunks: number }>(
    sql`SELECT (SELECT count(*)::int FROM stored_files) AS files, (SELECT count(*)::int FROM file_chunks) AS chunks`,
  );
  return r!;
};
async function objectExists(id: string) {
  const client = new S3Client({
    region: 'eu-west-3',
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  try {
    await client.send(new HeadObjectCommand({ Bucket: 'recus', Key: `receipts/${id}` }));
    return true;
  } catch {
    return false;
  }
}

describe.each([
  ['PostgreSQL', () => postgresDriver],
  ['S3 (against a local S3-compatible server)', () => s3Driver(s3Settings())],
] as [string, () => StorageDriver][])('the %s storage driver', (_name, driver) => {
  beforeEach(() => {
    const chosen = driver();
    currentDriver = chosen.name;
    setStorageDriver(chosen);
  });

  it.each([
    ['small', 300_000],
    ['larger than one S3 part', 6 * 1024 * 1024 + 17],
  ])('stores a %s file and reads back every byte', async (_label, size) => {
    const bytes = randomBytes(size);
    const stored = await storeFile(inPieces(bytes), { contentType: 'application/pdf', maxBytes: 10 * 1024 * 1024 });
    expect(stored.size).toBe(size);
    // Not usable until completed, in the caller's transaction.
    expect(await fileInfo(stored.id)).toBeUndefined();
    await db.transaction((tx) => completeFile(tx, stored.id, stored.size));
    expect(await fileInfo(stored.id)).toEqual({ contentType: 'application/pdf', size });
    expect((await readAll(stored.id)).equals(bytes)).toBe(true);
  });

  it('refuses a file over the limit while reading it, and keeps nothing', async () => {
    const limit = 1024 * 1024;
    await expect(
      storeFile(inPieces(randomBytes(limit + 1)), { contentType: 'image/png', maxBytes: limit }),
    ).rejects.toBeInstanceOf(FileTooLarge);
    expect(await rows()).toEqual({ files: 0, chunks: 0 });
  });

  it('keeps nothing of an upload cut off halfway', async () => {
    let id = '';
    const spy = driver();
    setStorageDriver({
      ...spy,
      name: spy.name,
      write: (fileId, source, type) => {
        id = fileId;
        return spy.write(fileId, source, type);
      },
    });
    await expect(
      // Past two S3 parts: the multipart upload has begun and must be aborted.
      storeFile(inPieces(randomBytes(12 * 1024 * 1024), 64 * 1024, 11 * 1024 * 1024), {
        contentType: 'image/png',
        maxBytes: 20 * 1024 * 1024,
      }),
    ).rejects.toThrow('connexion coupée');
    expect(await rows()).toEqual({ files: 0, chunks: 0 });
    if (spy.name === 's3') expect(await objectExists(id)).toBe(false);
  });
});
