// npm run bench:close — the close board of a 10,000-client firm against a 100-client one, every
// status × filter × sort, in one run; then the counters' cost on the platform's batches.
import { eq, sql } from 'drizzle-orm';
import { closeDatabase, db, queryRows } from '@/db';
import { users } from '@/db/schema';
import { seedScale } from '@/db/seed';
import { listBoard, type BoardParams } from '@/lib/close/board';
import { freshBenchDatabase, timeAlternating } from './lib';

const URL_ = (process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres').replace(
  /\/[^/]*$/,
  '/portail_bench_close',
);
const SIZES = [100, 10_000] as const;
// 17 November 2026 in Paris: October is the month to close, some clients are late, some due this week.
const NOW = new Date('2026-11-17T10:00:00Z');
const MONTH = '2026-10';
const STATUSES = [undefined, 'todo', 'in_progress', 'ready', 'closed'] as const;
const SORTS = ['due', 'vat', 'missing', 'to_code'] as const;

async function seed(size: number) {
  const started = Date.now();
  const firmId = await seedScale(db, {
    firmName: `Cabinet Clôture ${size}`,
    adminEmail: `admin@cloture-${size}.fr`,
    clients: size,
    expensesPerClient: 30,
  });
  // A tenth of the months closed already, as a firm mid-month would have.
  await db.execute(sql`
    UPDATE client_months SET closed_at = now()
    WHERE firm_id = ${firmId} AND month = ${`${MONTH}-01`}::date AND abs(hashtext(client_id::text)) % 10 = 0`);
  console.log(`seeded ${size} clients in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const people = await db.select().from(users).where(eq(users.firmId, firmId));
  return {
    firmId,
    admin: people.find((u) => u.role === 'admin')!,
    accountant: people.filter((u) => u.role === 'accountant').sort((a, b) => a.email.localeCompare(b.email))[0]!,
  };
}

async function main() {
  await freshBenchDatabase(URL_);
  const firmsBySize = new Map<number, Awaited<ReturnType<typeof seed>>>();
  for (const size of SIZES) firmsBySize.set(size, await seed(size));
  await db.execute(sql`VACUUM ANALYZE`);
  const [counts] = await queryRows<{ clients: number; expenses: number; months: number }>(sql`
    SELECT (SELECT count(*)::int FROM clients) AS clients, (SELECT count(*)::int FROM expenses) AS expenses,
      (SELECT count(*)::int FROM client_months) AS months`);
  console.log(`database: ${counts!.clients} clients, ${counts!.expenses} expenses, ${counts!.months} client-months`);
  // Open the month once on each (its rows and dates), as the first visit of the month does.
  for (const size of SIZES) {
    const { admin } = firmsBySize.get(size)!;
    const started = Date.now();
    await listBoard(admin, { month: MONTH, late: false, week: false, sort: 'due', page: 1, size: 25 }, NOW);
    console.log(`first opening of ${MONTH} at ${size} clients: ${Date.now() - started} ms`);
  }
  await db.execute(sql`VACUUM ANALYZE client_months`);

  const lines = [
    '| viewer | status | filter | sort | 100 clients (ms) | 10,000 clients (ms) | ratio |',
    '|---|---|---|---|---|---|---|',
  ];
  let worst = 0;
  let worstCase = '';
  const filters = ['none', 'preparer', 'reviewer', 'late', 'week'] as const;
  for (const who of ['admin', 'accountant'] as const) {
    for (const status of STATUSES) {
      for (const filter of filters) {
        for (const sort of SORTS) {
          const calls = SIZES.map((size) => {
            const f = firmsBySize.get(size)!;
            const viewer = f[who];
            const params: BoardParams = {
              month: MONTH,
              status,
              late: filter === 'late',
              week: filter === 'week',
              preparer: filter === 'preparer' ? f.accountant.id : undefined,
              reviewer: filter === 'reviewer' ? f.admin.id : undefined,
              sort,
              page: 1,
              size: 25,
            };
            return () => listBoard(viewer, params, NOW);
          });
          const times = await timeAlternating(calls, 9, 2);
          const ratio = times[1]! / times[0]!;
          if (ratio > worst) {
            worst = ratio;
            worstCase = `${who} ${status ?? 'all'} ${filter} ${sort}`;
          }
          lines.push(
            `| ${who} | ${status ?? 'all'} | ${filter} | ${sort} | ${times[0]!.toFixed(2)} | ${times[1]!.toFixed(2)} | ${ratio.toFixed(2)} |`,
          );
        }
      }
    }
  }
  console.log(lines.join('\n'));
  console.log(`worst ratio 10,000 / 100: ${worst.toFixed(2)} (${worstCase}); target ≤ 1.5`);

  // The counters' cost on a platform batch: 500 new expenses across 500 clients, with and without
  // the month trigger (disabled for the comparison only).
  const big = firmsBySize.get(10_000)!;
  const batch = async () => {
    await db
      .transaction(async (tx) => {
        await tx.execute(sql`
        INSERT INTO expenses (client_id, amount_cents, merchant, spent_on, receipt_state, export_state)
        SELECT id, 1234, 'Bench', DATE '2026-10-15', 'missing', 'not_ready'
        FROM clients WHERE firm_id = ${big.firmId} ORDER BY id LIMIT 500`);
        tx.rollback();
      })
      .catch(() => undefined);
  };
  const withTrigger = (await timeAlternating([batch], 15, 2))[0]!;
  await db.execute(sql`ALTER TABLE expenses DISABLE TRIGGER expenses_months_insert`);
  const without = (await timeAlternating([batch], 15, 2))[0]!;
  await db.execute(sql`ALTER TABLE expenses ENABLE TRIGGER expenses_months_insert`);
  console.log(
    `a batch of 500 expenses: ${withTrigger.toFixed(1)} ms with the month counters, ${without.toFixed(1)} ms without (×${(withTrigger / without).toFixed(2)})`,
  );
  await closeDatabase();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
