import { databaseKind, db, migrateDatabase } from './index';
import { DEMO_ADMIN, DEMO_PASSWORD, isEmpty, seedDemo } from './seed';

/**
 * On the embedded database (no DATABASE_URL): migrate, and seed the demo firm when empty, so that
 * `npm run dev` needs nothing else. A PostgreSQL server is migrated by `npm run db:migrate`.
 */
export async function prepareEmbeddedDatabase(): Promise<void> {
  if (databaseKind() !== 'pglite') return;
  await migrateDatabase();
  // The demo's password is published in the README: its firm exists in development and tests only
  // (production refuses to start without DATABASE_URL, in lib/server/production-settings.ts).
  if (process.env.NODE_ENV === 'production') return;
  if (await isEmpty(db)) {
    await seedDemo(db);
    console.log(`\n  Base embarquée créée avec le Cabinet Démo.\n  Connexion : ${DEMO_ADMIN} / ${DEMO_PASSWORD}\n`);
  } else {
    console.log(`\n  Base embarquée prête. Connexion de démonstration : ${DEMO_ADMIN} / ${DEMO_PASSWORD}\n`);
  }
}
