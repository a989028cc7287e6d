import { EmbeddedDatabaseBusy } from './embedded-lock';
import { closeDatabase, db, databaseKind, migrateDatabase } from './index';
import { DEMO_ADMIN, DEMO_PASSWORD, isEmpty, seedDemo, seedScale } from './seed';

// npm run db:seed                  → the demo firms, on an empty database
// npm run db:seed -- --scale 10000 → also a firm of 10,000 clients and ~1,000,000 expenses
async function main() {
  const args = process.argv.slice(2);
  const scaleAt = args.indexOf('--scale');
  const scale = scaleAt >= 0 ? Number(args[scaleAt + 1]) : 0;
  if (scaleAt >= 0 && (!Number.isInteger(scale) || scale < 1 || scale > 100_000)) {
    throw new Error('--scale attend un nombre de clients entre 1 et 100000');
  }
  if (process.env.NODE_ENV === 'production') {
    throw new Error('db:seed crée des comptes dont le mot de passe est publié : jamais avec NODE_ENV=production.');
  }
  await migrateDatabase();
  if (await isEmpty(db)) {
    await seedDemo(db);
    console.log(`Cabinet Démo créé : ${DEMO_ADMIN} / ${DEMO_PASSWORD}`);
  } else {
    console.log('La base contient déjà des données : cabinet de démonstration inchangé.');
  }
  if (scale > 0) {
    const started = Date.now();
    const email = `admin@echelle-${scale}.fr`;
    // 47 clients in 50 have expenses (onboarding ones have none yet): 107 each gives ~1,000,000 at 10,000.
    await seedScale(db, {
      firmName: `Cabinet Échelle ${scale}`,
      adminEmail: email,
      clients: scale,
      expensesPerClient: 107,
    });
    console.log(
      `Cabinet de ${scale} clients créé en ${((Date.now() - started) / 1000).toFixed(1)} s : ${email} / ${DEMO_PASSWORD}`,
    );
  }
  console.log(`Base : ${databaseKind()}`);
  await closeDatabase();
}

main().catch((error) => {
  // A refusal that says what to do is shown alone; anything else with its stack.
  console.error(error instanceof EmbeddedDatabaseBusy ? error.message : error);
  process.exit(1);
});
