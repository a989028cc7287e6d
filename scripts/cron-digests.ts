// npm run cron:digests -- --now 2026-11-30T10:05:00+01:00
import { EmbeddedDatabaseBusy } from '@/db/embedded-lock';
import { closeDatabase, migrateDatabase } from '@/db';
import { assertProductionSettings } from '@/lib/server/production-settings';
import { runCron } from '@/lib/cron';
import { readEnv } from '@/lib/server/env';

async function main() {
  assertProductionSettings();
  const at = process.argv.indexOf('--now');
  const now = at >= 0 ? new Date(process.argv[at + 1] ?? '') : new Date();
  if (Number.isNaN(now.getTime()))
    throw new Error('--now attend une date ISO 8601, par exemple 2026-11-30T10:05:00+01:00');
  await migrateDatabase();
  const env = readEnv();
  const summary = await runCron(now, { budgetMs: env.CRON_TIME_BUDGET_MS, retentionDays: env.ACTIVITY_RETENTION_DAYS });
  console.log(JSON.stringify(summary, null, 2));
  await closeDatabase();
}

main().catch((error) => {
  // A refusal that says what to do is shown alone; anything else with its stack.
  console.error(error instanceof EmbeddedDatabaseBusy ? error.message : error);
  process.exit(1);
});
