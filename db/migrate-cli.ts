import { EmbeddedDatabaseBusy } from './embedded-lock';
import { closeDatabase, databaseKind, migrateDatabase } from './index';

async function main() {
  await migrateDatabase();
  console.log(`Migrations appliquées (${databaseKind()}).`);
  await closeDatabase();
}

main().catch((error) => {
  // A refusal that says what to do is shown alone; anything else with its stack.
  console.error(error instanceof EmbeddedDatabaseBusy ? error.message : error);
  process.exit(1);
});
