// A PostgreSQL database for a test's `next start`, migrated by the owner (the server's superuser
// here, as `npm run db:migrate` by the migrating role in production) and used by the app through a
// login role that is only a member of `portail_app`: the Journal append-only for it, as deployed.
import path from 'node:path';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import type { Db } from '../db';
import * as schema from '../db/schema';
import { seedDemo } from '../db/seed';

const SERVER = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** The restricted login role the test servers connect as (no password: the test server trusts local connections). */
const APP_LOGIN_ROLE = 'portail_test_app';

function urlFor(database: string, user?: string): string {
  const url = new URL(SERVER);
  url.pathname = `/${database}`;
  if (user) {
    url.username = user;
    url.password = '';
  }
  return url.toString();
}

export type TestDatabase = {
  /** The owner's URL: the test reads and prepares data with it. */
  ownerUrl: string;
  /** The app's URL: the restricted login role. */
  appUrl: string;
  drop: () => Promise<void>;
};

export async function createAppDatabase(name: string, options: { seed?: boolean } = {}): Promise<TestDatabase> {
  const admin = postgres(SERVER, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const ownerUrl = urlFor(name);
  const owner = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    const db = drizzle({ client: owner, schema });
    await migrate(db, { migrationsFolder: path.join(process.cwd(), 'db', 'migrations') });
    // Roles are the cluster's: created once, kept (a drop would race another test's server).
    await owner.unsafe(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_LOGIN_ROLE}') THEN
        CREATE ROLE ${APP_LOGIN_ROLE} LOGIN IN ROLE portail_app;
      END IF;
    EXCEPTION WHEN duplicate_object THEN NULL;
    END $$`);
    if (options.seed) await seedDemo(db as unknown as Db, { digests: false });
  } finally {
    await owner.end();
  }
  return {
    ownerUrl,
    appUrl: urlFor(name, APP_LOGIN_ROLE),
    drop: async () => {
      const again = postgres(SERVER, { max: 1, onnotice: () => {} });
      try {
        await again.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await again.end();
      }
    },
  };
}
