// npm run bench:digests — two comparisons, each run in its own process (for its peak memory):
// 1. scaling: one digest run for 1,000 subscriptions / 100 users and for 10,000 / 1,000 users,
//    against a fake provider that answers at once;
// 2. at a network's scale: 1,000 users × 25 clients, then 20,000 users × 25 clients (500,000
//    subscriptions in 20 firms), against a fake provider enforcing Resend's limits (2 requests a
//    second, 100 e-mails a batch, 429 beyond), with the production time budget; the members
//    spread over send hours and zones (each person's send time), all due at the run's instant.
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { sql } from 'drizzle-orm';
import { closeDatabase, db, openDatabase, queryRows, setDatabase, sqlArray } from '@/db';
import { DEMO_PASSWORD } from '@/db/seed';
import { hashPassword } from '@/lib/auth/password';
import { MAX_BATCH } from '@/lib/server/mail/send';
import { resendTransport } from '@/lib/server/mail/transport';
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

const NETWORK_CLIENTS_PER_USER = 25;
const USERS_PER_NETWORK_FIRM = 1_000;
const CLIENTS_PER_NETWORK_FIRM = 5_000;

/**
 * Firm n of the network: 1,000 accountants and 5,000 clients; accountant i is assigned to, and
 * subscribed daily to, 25 consecutive clients from 5·i (each client followed by 5 accountants).
 */
async function ensureNetworkFirm(n: number): Promise<string> {
  const name = `Réseau ${n}`;
  const [existing] = await queryRows<{ id: string }>(sql`SELECT id FROM firms WHERE name = ${name}`);
  if (existing) return existing.id;
  const hash = await hashPassword(DEMO_PASSWORD);
  return db.transaction(async (tx) => {
    const [firm] = await queryRows<{ id: string }>(sql`INSERT INTO firms (name) VALUES (${name}) RETURNING id`, tx);
    const firmId = firm!.id;
    await tx.execute(sql`
      INSERT INTO users (firm_id, email, name, role, password_hash)
      SELECT ${firmId}::uuid, 'reseau' || ${n}::int || '-' || i || '@bench.test', 'Comptable ' || i, 'accountant', ${hash}
      FROM generate_series(0, ${USERS_PER_NETWORK_FIRM - 1}::int) AS i`);
    await tx.execute(sql`
      INSERT INTO clients (firm_id, name, status, balance_cents, missing_receipts, ready_to_export)
      SELECT ${firmId}::uuid, 'Société ' || lpad(i::text, 5, '0'), 'active', (i % 13 - 4) * 12345, i % 7, i % 5
      FROM generate_series(0, ${CLIENTS_PER_NETWORK_FIRM - 1}::int) AS i`);
    await tx.execute(sql`
      WITH u AS (SELECT id, (row_number() OVER (ORDER BY email) - 1)::int AS n FROM users WHERE firm_id = ${firmId}),
           c AS (SELECT id, (row_number() OVER (ORDER BY name) - 1)::int AS n FROM clients WHERE firm_id = ${firmId})
      INSERT INTO assignments (firm_id, client_id, user_id)
      SELECT ${firmId}::uuid, c.id, u.id
      FROM u CROSS JOIN generate_series(0, ${NETWORK_CLIENTS_PER_USER - 1}::int) AS k
      JOIN c ON c.n = (u.n * 5 + k) % ${CLIENTS_PER_NETWORK_FIRM}::int`);
    await tx.execute(sql`
      INSERT INTO notification_subscriptions (firm_id, user_id, client_id, enabled, frequency, first_slot_at)
      SELECT a.firm_id, a.user_id, a.client_id, false, 'daily', '2026-01-05T09:00:00Z'::timestamptz
      FROM assignments a WHERE a.firm_id = ${firmId}`);
    return firmId;
  });
}

const SEND_TIMES: [number | null, string | null][] = [
  [null, null],
  [8, 'Europe/Paris'],
  [null, null],
  [9, 'Europe/Paris'],
  [9, 'Europe/London'],
  [null, null],
  [8, 'Indian/Reunion'],
  [13, 'Indian/Reunion'],
  [8, 'Pacific/Noumea'],
  [18, 'Pacific/Noumea'],
  [8, 'Europe/Brussels'],
  [10, 'Europe/Zurich'],
];

const networkFirmNames = (users: number) =>
  Array.from({ length: users / USERS_PER_NETWORK_FIRM }, (_, i) => `Réseau ${i + 1}`);

/** Child mode, at a network's scale: the production budget, a provider enforcing Resend's limits. */
async function networkChild(users: number) {
  let queries = 0;
  setDatabase(openDatabase({ url: BENCH_DB_URL, onQuery: () => (queries += 1) }));
  const firms = await queryRows<{ id: string }>(
    sql`SELECT id FROM firms WHERE name = ANY(${sqlArray(networkFirmNames(users), 'text')})`,
  );
  const firmIds = sqlArray(
    firms.map((f) => f.id),
    'uuid',
  );
  await db.execute(sql`DELETE FROM digest_deliveries WHERE firm_id = ANY(${firmIds})`);
  await db.execute(sql`UPDATE notification_subscriptions SET enabled = (firm_id = ANY(${firmIds}))
                       WHERE enabled <> (firm_id = ANY(${firmIds}))`);
  // Each person's send time: the members spread over hours and zones whose slot of Monday has come
  // by 10:05 Paris (Nouméa's 18:00 was Monday 07:00Z, Réunion's 13:00 09:00Z), a third on their
  // firm's default, which half the firms moved to 9:00.
  const combos = SEND_TIMES.map(([hour, zone]) => `${hour ?? ''}|${zone ?? ''}`);
  await db.execute(sql`
    UPDATE users u SET digest_hour = nullif(split_part(c.v, '|', 1), '')::int, digest_zone = nullif(split_part(c.v, '|', 2), '')
    FROM (SELECT id, (row_number() OVER (ORDER BY id) - 1) % ${combos.length}::int AS k FROM users WHERE firm_id = ANY(${firmIds})) x
    JOIN unnest(${sqlArray(combos, 'text')}) WITH ORDINALITY AS c(v, k) ON c.k - 1 = x.k
    WHERE u.id = x.id`);
  await db.execute(sql`UPDATE firms SET digest_hour = CASE WHEN name ~ '[13579]$' THEN 9 ELSE 10 END
                       WHERE id = ANY(${firmIds})`);
  await db.execute(sql`VACUUM ANALYZE notification_subscriptions`);
  await db.execute(sql`ANALYZE users`);
  // tsx's CommonJS hook, registered in the thread before its TypeScript entry is required.
  const entry = JSON.stringify(resolve('bench/fake-resend-worker.ts'));
  const provider = new Worker(`require('tsx/cjs'); require(${entry});`, {
    eval: true,
    workerData: { requestsPerSecond: 2 },
  });
  const { baseUrl } = await new Promise<{ baseUrl: string }>((done) => provider.once('message', done));
  const transport = resendTransport({
    apiKey: 're_test_key',
    baseUrl,
    from: 'bench@portail.test',
    requestsPerSecond: 2,
  });
  queries = 0;
  const started = performance.timeOrigin + performance.now();
  const summary = await runDigests({ now: NOW, transport, budgetMs: 250_000 });
  const ms = performance.timeOrigin + performance.now() - started;
  provider.postMessage('report');
  const report = await new Promise<{ requests: { path: string; at: number }[]; rateLimited: number }>((done) =>
    provider.once('message', done),
  );
  await provider.terminate();
  const accepted = report.requests.filter((r) => r.path === '/emails/batch');
  const sending = accepted.length > 1 ? accepted.at(-1)!.at - accepted[0]!.at : NaN;
  const result = {
    users,
    subscriptions: users * NETWORK_CLIENTS_PER_USER,
    sent: summary.sent,
    stoppedBy: summary.stoppedBy,
    batches: accepted.length - report.rateLimited,
    rateLimited: report.rateLimited,
    queries,
    ms: Math.round(ms),
    planningMs: Math.round(accepted[0] ? accepted[0].at - started : NaN),
    // Steady state: the e-mails after the first call, over the time from the first call to the last.
    perSecond: Math.round(((summary.sent - (summary.sent > 0 ? MAX_BATCH : 0)) / sending) * 1000),
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  await closeDatabase();
  console.log(JSON.stringify(result));
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
  const network = process.argv.indexOf('--network-child');
  if (network >= 0) return networkChild(Number(process.argv[network + 1]));
  await openBenchDatabase();
  for (const users of [100, 1000]) await ensureFirm(users);
  for (let n = 1; n <= 20; n += 1) {
    const started = performance.now();
    await ensureNetworkFirm(n);
    const ms = performance.now() - started;
    if (ms > 1_000) console.error(`firm Réseau ${n} seeded in ${(ms / 1000).toFixed(1)} s`);
  }
  await db.execute(sql`ANALYZE`);
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

  console.log('\nAt a network’s scale, against a provider enforcing 2 requests/s and 100 e-mails a batch:\n');
  const net = [1_000, 20_000].map((users) => runChild('bench/digests.ts', users, '--network-child'));
  console.log(
    '| users | subscriptions | e-mails sent | stopped by | batch calls | 429 | SQL statements | statements / batch | planning (ms) | run (ms) | e-mails/s sending | peak RSS (MB) |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of net)
    console.log(
      `| ${r.users} | ${r.subscriptions} | ${r.sent} | ${r.stoppedBy} | ${r.batches} | ${r.rateLimited} | ${r.queries} | ${(Number(r.queries) / Number(r.batches)).toFixed(1)} | ${r.planningMs} | ${r.ms} | ${r.perSecond} | ${r.maxRssMb} |`,
    );
  const [one, twenty] = net as [Record<string, number>, Record<string, number>];
  console.log(
    `sending rate at 20,000 users: ${twenty.perSecond} e-mails/s = ${((twenty.perSecond! / 200) * 100).toFixed(0)} % of the provider's 200/s (target ≥ 90 %)`,
  );
  console.log(
    `whole run at 20,000 users: ${(twenty.ms! / 1000).toFixed(0)} s of a 250 s cron budget, stopped by « ${String(twenty.stoppedBy)} » (target: done)`,
  );
  console.log(`peak memory 20,000 / 1,000: ${(twenty.maxRssMb! / one.maxRssMb!).toFixed(2)} (target ≤ 2)`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
