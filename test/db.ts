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
  // Named after this run's template, so that its teardown drops its own copies only.
  const name = `${template ?? 'pp_test'}_c_${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    if (url && template) {
      await createCopy(url, template, name);
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
  }, 150_000);

  // The copies are dropped together at the end of the run (test/global-teardown.ts): a DROP
  // DATABASE during the run waits for a checkpoint while the other worker writes.
  afterAll(async () => {
    await closeDatabase();
  });

  return db;
}

/**
 * CREATE DATABASE … TEMPLATE, a copy of ~60 ms. Three clean-clone CI runs saw one stall past two
 * minutes (each copy writes the template to the WAL; a checkpoint can hold it): a copy that takes
 * more than 40 s is cancelled, its leftover dropped, and tried again, three times at most.
 */
async function createCopy(url: string, template: string, name: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`SET statement_timeout = '40s'`);
      await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${template}`);
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    } finally {
      await admin.end();
    }
  }
}
