import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import path from 'node:path';

// With DATABASE_URL: migrate one template database; each test file then copies it (~60 ms).
// Without it, each file migrates its own in-memory PGlite (see test/db.ts).
export default async function globalSetup() {
  const url = process.env.DATABASE_URL;
  if (!url) return;
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
    await migrate(drizzle({ client }), { migrationsFolder: path.join(process.cwd(), 'db', 'migrations') });
  } finally {
    await client.end();
  }
  process.env.TEST_TEMPLATE_DATABASE = template;
}
