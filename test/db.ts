import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { closeDatabase, db, openDatabase, setDatabase } from '@/db';

/**
 * Gives the calling test file a database of its own: a copy of the migrated template on
 * PostgreSQL (DATABASE_URL), or an in-memory PGlite loaded from the migrated dump (test/global-setup.ts).
 */
export function withTestDatabase() {
  const url = process.env.DATABASE_URL;
  const template = process.env.TEST_TEMPLATE_DATABASE;
  const name = `pp_test_${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    if (url && template) {
      const admin = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${template}`);
      } finally {
        await admin.end();
      }
      const fileUrl = new URL(url);
      fileUrl.pathname = `/${name}`;
      setDatabase(openDatabase({ url: fileUrl.toString() }));
    } else if (process.env.TEST_PGLITE_DUMP) {
      const dump = new Blob([readFileSync(process.env.TEST_PGLITE_DUMP)]);
      setDatabase(openDatabase({ pgliteDump: dump }));
    } else {
      const handle = openDatabase({});
      await handle.migrate();
      setDatabase(handle);
    }
    // A copy takes ~60 ms, and so does the drop below; twice in clean-clone CI runs on a machine
    // just used for benchmarks, one waited past jest's 30 s (each copy writes the template to the
    // WAL, and DROP DATABASE waits for a checkpoint): each gets two minutes before it counts as a
    // failure.
  }, 120_000);

  afterAll(async () => {
    await closeDatabase();
    if (url && template) {
      const admin = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    }
  }, 120_000);

  return db;
}
