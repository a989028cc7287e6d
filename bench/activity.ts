// npm run bench:activity — what the activity log costs: the Journal's queries at 10,000 and at
// 1,000,000 events for a firm, and the workspace page with and without logging its opening.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { eq, sql } from 'drizzle-orm';
import autocannon from 'autocannon';
import { closeDatabase, db, queryRows } from '@/db';
import { clients, firms, users } from '@/db/schema';
import { DEMO_PASSWORD, seedScale } from '@/db/seed';
import { listActivity } from '@/lib/activity/queries';
import type { JournalParams } from '@/lib/activity/schemas';
import { BENCH_DB_URL, login, median, openBenchDatabase, startNext, timeAlternating } from './lib';

const SIZES = [10_000, 1_000_000] as const;
const KEY = 'BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=';

/** A firm of 200 clients and 20 members whose Journal holds `events` rows over a year. */
async function journalFirm(events: number) {
  const name = `Cabinet Journal ${events}`;
  const [existing] = await db.select().from(firms).where(eq(firms.name, name));
  const firmId =
    existing?.id ??
    (await seedScale(db, {
      firmName: name,
      adminEmail: `admin@journal-${events}.fr`,
      clients: 200,
      expensesPerClient: 1,
    }));
  const [count] = await queryRows<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM activity_log WHERE firm_id = ${firmId}`,
  );
  if ((count?.n ?? 0) < events) {
    const started = Date.now();
    // Set-based: actors and clients of the firm, 24 actions, spread over the year before now.
    await db.execute(sql`
      WITH members AS (SELECT array_agg(id ORDER BY id) AS ids, array_agg(name ORDER BY id) AS names FROM users WHERE firm_id = ${firmId}),
           firm_clients AS (SELECT array_agg(id ORDER BY id) AS ids, array_agg(name ORDER BY id) AS names FROM clients WHERE firm_id = ${firmId})
      INSERT INTO activity_log (firm_id, actor_kind, actor_id, actor_name, action, client_id, client_name, at, details)
      SELECT ${firmId}, 'user', m.ids[1 + i % array_length(m.ids, 1)], m.names[1 + i % array_length(m.ids, 1)],
             (ARRAY['client_opened','client_details_viewed','export_created','reminder_sent','subscription_changed','assignment_added',
                    'login_succeeded','login_failed'])[1 + i % 8],
             c.ids[1 + (i / 7) % array_length(c.ids, 1)], c.names[1 + (i / 7) % array_length(c.ids, 1)],
             now() - make_interval(secs => (i::double precision * 31536000 / ${events}::double precision)), '{}'::jsonb
      FROM generate_series(${count?.n ?? 0}::int, ${events - 1}::int) AS i, members m, firm_clients c`);
    console.log(
      `logged ${events - (count?.n ?? 0)} events for ${name} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  const [member] = await db.select({ id: users.id }).from(users).where(eq(users.firmId, firmId)).limit(1);
  const [client] = await db.select({ id: clients.id }).from(clients).where(eq(clients.firmId, firmId)).limit(1);
  return { firmId, memberId: member!.id, clientId: client!.id };
}

async function queries() {
  const firmsBySize = new Map<number, Awaited<ReturnType<typeof journalFirm>>>();
  for (const size of SIZES) firmsBySize.set(size, await journalFirm(size));
  await db.execute(sql`VACUUM ANALYZE activity_log`);
  const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
  const filters: [string, (f: Awaited<ReturnType<typeof journalFirm>>) => JournalParams][] = [
    ['none', () => ({})],
    ['member', (f) => ({ member: f.memberId })],
    ['client', (f) => ({ client: f.clientId })],
    ['action', () => ({ action: 'export_created' })],
    ['a week, 3 months ago', () => ({ from: day(97), to: day(90) })],
    ['member + action', (f) => ({ member: f.memberId, action: 'client_opened' })],
    ['client + a month', (f) => ({ client: f.clientId, from: day(60), to: day(30) })],
  ];
  console.log('| filter | page | 10,000 events (ms) | 1,000,000 events (ms) | ratio |');
  console.log('|---|---|---|---|---|');
  let worst = 0;
  for (const [label, make] of filters) {
    for (const deep of [false, true]) {
      const calls = [];
      for (const size of SIZES) {
        const firm = firmsBySize.get(size)!;
        let params = make(firm);
        // A deeper page: the cursor after the first 50 rows, as "Plus anciennes" gives it.
        if (deep) params = { ...params, before: (await listActivity(firm.firmId, params)).next ?? undefined };
        calls.push(() => listActivity(firm.firmId, params));
      }
      const [small, large] = await timeAlternating(calls, 21);
      const ratio = large! / small!;
      worst = Math.max(worst, ratio);
      console.log(
        `| ${label} | ${deep ? 'second' : 'first'} | ${small!.toFixed(2)} | ${large!.toFixed(2)} | ${ratio.toFixed(2)} |`,
      );
    }
  }
  console.log(`worst ratio 1,000,000 / 10,000: ${worst.toFixed(2)} (target ≤ 2)`);
}

async function http() {
  if (!existsSync('.next/BUILD_ID')) execSync('npx next build', { stdio: 'inherit' });
  // The 10,000-event Journal firm's admin, opening its first client's workspace.
  const [admin] = await db
    .select({ firmId: users.firmId })
    .from(users)
    .where(eq(users.email, 'admin@journal-10000.fr'));
  const [client] = await db.select({ id: clients.id }).from(clients).where(eq(clients.firmId, admin!.firmId)).limit(1);
  const path = `/clients/${client!.id}`;
  const servers = await Promise.all(
    (['1', '0'] as const).map((views, i) =>
      startNext(3301 + i, {
        DATABASE_URL: BENCH_DB_URL,
        NEXTAUTH_SECRET: 'benchmark-secret-benchmark-secret',
        TOTP_ENCRYPTION_KEY: KEY,
        NEXTAUTH_URL: `http://127.0.0.1:${3301 + i}`,
        ACTIVITY_LOG_VIEWS: views,
        LOG_LEVEL: 'silent',
      }),
    ),
  );
  try {
    const bases = [3301, 3302].map((port) => `http://127.0.0.1:${port}`);
    const cookies = await Promise.all(bases.map((base) => login(base, 'admin@journal-10000.fr', DEMO_PASSWORD)));
    const run = async (i: number) => {
      const result = await autocannon({
        url: `${bases[i]}${path}`,
        connections: 10,
        duration: 5,
        headers: { cookie: cookies[i]! },
      });
      return { rps: result.requests.average, errors: result.errors + result.non2xx };
    };
    for (let round = 0; round < 2; round += 1) for (const i of [0, 1]) await run(i);
    const ratios: number[] = [];
    console.log('| round | workspace, logging each opening (req/s) | workspace, no logging (req/s) | with / without |');
    console.log('|---|---|---|---|');
    for (let round = 0; round < 5; round += 1) {
      // Alternate which goes first, so that neither always meets the machine's slower moment.
      const order = round % 2 ? [1, 0] : [0, 1];
      const results: Record<number, Awaited<ReturnType<typeof run>>> = {};
      for (const i of order) results[i] = await run(i);
      const ratio = results[0]!.rps / results[1]!.rps;
      ratios.push(ratio);
      console.log(
        `| ${round + 1} | ${results[0]!.rps.toFixed(1)} (${results[0]!.errors} errors) | ${results[1]!.rps.toFixed(1)} (${results[1]!.errors} errors) | ${ratio.toFixed(2)} |`,
      );
    }
    console.log(
      `workspace with logging / without (median of the rounds): ${median(ratios).toFixed(2)} (target ≥ 0.90)`,
    );
  } finally {
    servers.forEach((s) => s.stop());
  }
}

async function main() {
  await openBenchDatabase();
  await queries();
  if (!process.argv.includes('--no-http')) await http();
  await closeDatabase();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
