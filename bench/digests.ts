// npm run bench:digests — one digest run for 1,000 subscriptions / 100 users and for
// 10,000 subscriptions / 1,000 users, each in its own process (for its peak memory), in one run.
import { sql } from 'drizzle-orm';
import { closeDatabase, db, openDatabase, queryRows, setDatabase } from '@/db';
import { DEMO_PASSWORD } from '@/db/seed';
import { hashPassword } from '@/lib/auth/password';
import { resendTransport } from '@/lib/mail/transport';
import { runDigests } from '@/lib/notifications/digests';
import { FakeResend } from '@/test/fake-resend';
import { BENCH_DB_URL, openBenchDatabase, runChild } from './lib';

const CLIENTS_PER_USER = 10;
// Monday 7 December 2026, 10:05 Paris; subscriptions started long before.
const NOW = new Date('2026-12-07T09:05:00Z');

async function ensureFirm(users: number): Promise<string> {
  const name = `Cabinet Digest ${users}`;
  const [existing] = await queryRows<{ id: string }>(sql`SELECT id FROM firms WHERE name = ${name}`);
  if (existing) return existing.id;
  const hash = await hashPassword(DEMO_PASSWORD);
  return db.transaction(async (tx) => {
    const [firm] = await queryRows<{ id: string }>(sql`INSERT INTO firms (name) VALUES (${name}) RETURNING id`, tx);
    const firmId = firm!.id;
    await tx.execute(sql`
      INSERT INTO users (firm_id, email, name, role, password_hash)
      SELECT ${firmId}::uuid, 'digest' || ${users}::int || '-' || i || '@bench.test', 'Comptable ' || i, 'accountant', ${hash}
      FROM generate_series(1, ${users}::int) AS i`);
    await tx.execute(sql`
      INSERT INTO clients (firm_id, name, status, balance_cents, missing_receipts, ready_to_export)
      SELECT ${firmId}::uuid, 'Client ' || i, 'active', i * 1234, i % 7, i % 5
      FROM generate_series(1, ${users * CLIENTS_PER_USER}::int) AS i`);
    // User n gets clients n*10-9 … n*10, assigned and subscribed daily.
    await tx.execute(sql`
      WITH u AS (SELECT id, row_number() OVER (ORDER BY email) AS n FROM users WHERE firm_id = ${firmId}),
           c AS (SELECT id, row_number() OVER (ORDER BY name) AS n FROM clients WHERE firm_id = ${firmId})
      INSERT INTO assignments (firm_id, client_id, user_id)
      SELECT ${firmId}::uuid, c.id, u.id FROM c JOIN u ON u.n = (c.n - 1) / ${CLIENTS_PER_USER}::int + 1`);
    await tx.execute(sql`
      INSERT INTO notification_subscriptions (firm_id, user_id, client_id, enabled, frequency, first_slot_at)
      SELECT a.firm_id, a.user_id, a.client_id, true, 'daily', '2026-01-05T09:00:00Z'::timestamptz
      FROM assignments a WHERE a.firm_id = ${firmId}`);
    return firmId;
  });
}

/** Child mode: one run for one firm size; prints its figures as JSON. */
async function child(users: number) {
  let queries = 0;
  setDatabase(openDatabase({ url: BENCH_DB_URL, onQuery: () => (queries += 1) }));
  const firmId = await ensureFirm(users);
  await db.execute(sql`DELETE FROM digest_deliveries WHERE firm_id = ${firmId}`);
  // Only this firm is due in this run.
  await db.execute(sql`UPDATE notification_subscriptions SET enabled = (firm_id = ${firmId})`);
  const fake = await new FakeResend({ keepBodies: false }).start();
  const transport = resendTransport({ apiKey: 're_test_key', baseUrl: fake.baseUrl, from: 'bench@portail.test' });
  queries = 0;
  const started = process.hrtime.bigint();
  const summary = await runDigests({ now: NOW, transport, budgetMs: 600_000 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const result = {
    users,
    subscriptions: users * CLIENTS_PER_USER,
    sent: summary.sent,
    batches: fake.requests.length,
    queries,
    ms: Math.round(ms),
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  await fake.stop();
  await closeDatabase();
  console.log(JSON.stringify(result));
}

async function main() {
  const at = process.argv.indexOf('--child');
  if (at >= 0) return child(Number(process.argv[at + 1]));
  await openBenchDatabase();
  for (const users of [100, 1000]) await ensureFirm(users);
  await closeDatabase();
  const results = [100, 1000].map((users) => runChild('bench/digests.ts', users));
  console.log('| users | subscriptions | e-mails sent | batch calls | SQL statements | time (ms) | peak RSS (MB) |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of results)
    console.log(
      `| ${r.users} | ${r.subscriptions} | ${r.sent} | ${r.batches} | ${r.queries} | ${r.ms} | ${r.maxRssMb} |`,
    );
  const [small, large] = results as [Record<string, number>, Record<string, number>];
  console.log(`time 10,000 / 1,000: ${(large.ms! / small.ms!).toFixed(2)} (target ≤ 12)`);
  console.log(`peak memory 10,000 / 1,000: ${(large.maxRssMb! / small.maxRssMb!).toFixed(2)} (target ≤ 2)`);
  console.log(
    `statements per 100 e-mails: ${((small.queries! / small.sent!) * 100).toFixed(1)} → ${((large.queries! / large.sent!) * 100).toFixed(1)} (constant per batch, none per user or client)`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
