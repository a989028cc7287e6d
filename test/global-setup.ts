import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';

const migrationsFolder = path.join(process.cwd(), 'db', 'migrations');

// With DATABASE_URL: migrate one template database; each test file then copies it (~60 ms).
// Without it: migrate one in-memory PGlite and dump its data directory to a file, which each test
// file loads into its own PGlite (test/db.ts) instead of running the 22 migrations again.
export default async function globalSetup() {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const client = new PGlite();
    await migratePglite(drizzlePglite({ client }), { migrationsFolder });
    const dump = await client.dumpDataDir('none');
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'portail-test-')), 'migrated.tar');
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    await client.close();
    process.env.TEST_PGLITE_DUMP = file;
    return;
  }
  const template = `pp_template_${process.pid}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${template}`);
    await admin.unsafe(`CREATE DATABASE ${template}`);
  } finally {
    await admin.end();
  }
  const templateUrl = new URL(url);
  templateUrl.pathname = `/${template}`;
  const client = postgres(templateUrl.toString(), { max: 1, onnotice: () => {} });
  try {
    await migrate(drizzle({ client }), { migrationsFolder });
  } finally {
    await client.end();
  }
  process.env.TEST_TEMPLATE_DATABASE = template;
}
