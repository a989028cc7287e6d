import { closeDatabase, databaseKind, migrateDatabase } from './index';

async function main() {
  await migrateDatabase();
  console.log(`Migrations appliquées (${databaseKind()}).`);
  await closeDatabase();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
