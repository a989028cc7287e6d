export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  if (process.env.NEXT_PHASE === 'phase-production-build') return;
  const { assertProductionSettings } = await import('./lib/production-settings');
  assertProductionSettings();
  const { prepareEmbeddedDatabase } = await import('./db/prepare');
  await prepareEmbeddedDatabase();
}
