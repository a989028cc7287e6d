import { rmSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';

export default async function globalTeardown() {
  const dump = process.env.TEST_PGLITE_DUMP;
  if (dump) rmSync(path.dirname(dump), { recursive: true, force: true });
  const url = process.env.DATABASE_URL;
  const template = process.env.TEST_TEMPLATE_DATABASE;
  if (!url || !template) return;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    // Every test file's copy (test/db.ts), then the template.
    const copies = await admin<{ datname: string }[]>`
      SELECT datname FROM pg_database WHERE starts_with(datname, ${`${template}_c_`})`;
    for (const { datname } of copies) await admin.unsafe(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    await admin.unsafe(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
