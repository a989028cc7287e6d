// npm run bench:soak: the app under a mixed load for SOAK_MINUTES (15 by default), as one instance
// of a firm's day: 50 logged-in sessions reading the Clients page (lists, searches, filters), client
// workspaces and details, notifications and the Journal; and the platform's webhook streaming
// batches of expense events. Midway, every connection of the app to PostgreSQL is terminated from
// another session (as a failover or an operator would). Prints, each minute, the server's resident
// memory and the requests and errors of that minute; then the bars of issue 24:
// - the last five minutes' RSS within 1.15× of minute 5's (no growth that does not come back);
// - no error at all, except within one second after the connections were terminated.
//
// DATABASE_URL (or 127.0.0.1:5432) names the server; the bench makes its own database, portail_soak.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import postgres from 'postgres';
import { closeDatabase, db, queryRows } from '@/db';
import { DEMO_PASSWORD, seedDemo, seedScale } from '@/db/seed';
import { signPlatformPayload } from '@/lib/platform/webhook';
import { sql } from 'drizzle-orm';
import { heapGrowth } from './heap-summary';
import { freshBenchDatabase, login, startNext } from './lib';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 15);
// SOAK_HEAP=1: a heap snapshot of next-server at minute 5 and at the end, and what grew in between.
const HEAP = process.env.SOAK_HEAP === '1';
const SESSIONS = Number(process.env.SOAK_SESSIONS ?? 50);
// SOAK_CUT=0: no connection cut (to tell the cut's effect on memory from the load's).
const CUT = process.env.SOAK_CUT !== '0';
const PORT = 3290;
const BASE = `http://127.0.0.1:${PORT}`;
const SECRET = 'soak-webhook-secret-0123456789';
const server = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
server.pathname = '/portail_soak';
const URL_SOAK = server.toString();
const TOTP_KEY = 'BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=';
// The seed encrypts the demo's two-factor secret with the key the server will read.
process.env.TOTP_ENCRYPTION_KEY ??= TOTP_KEY;

function groupRss(pid: number): number {
  const pids = execFileSync('ps', ['-o', 'pid=', '-g', String(pid)])
    .toString()
    .trim()
    .split(/\s+/);
  let total = 0;
  for (const p of pids) {
    try {
      const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1];
      total += Number(kb ?? 0) * 1024;
    } catch {
      // gone
    }
  }
  return total;
}

async function prepare(): Promise<{ clientIds: string[]; emails: string[] }> {
  await freshBenchDatabase(URL_SOAK);
  await seedDemo(db);
  await seedScale(db, { firmName: 'Cabinet Soak', adminEmail: 'admin@soak.fr', clients: 1000, expensesPerClient: 20 });
  const clients = await queryRows<{ id: string }>(
    sql`SELECT c.id FROM clients c JOIN firms f ON f.id = c.firm_id WHERE f.name = 'Cabinet Soak' AND c.status = 'active' ORDER BY c.id`,
  );
  const users = await queryRows<{ email: string }>(
    sql`SELECT u.email FROM users u JOIN firms f ON f.id = u.firm_id WHERE f.name = 'Cabinet Soak' AND u.active ORDER BY u.email LIMIT 20`,
  );
  await closeDatabase();
  return { clientIds: clients.map((c) => c.id), emails: users.map((u) => u.email) };
}

type Minute = { requests: number; errors: number; statuses: Record<string, number> };

async function main() {
  console.log(`Préparation de portail_soak (1 000 clients)…`);
  const { clientIds, emails } = await prepare();
  const app = await startNext(PORT, {
    DATABASE_URL: URL_SOAK,
    NEXTAUTH_SECRET: 'soak-secret-soak-secret-soak-secret-0123',
    TOTP_ENCRYPTION_KEY: process.env.TOTP_ENCRYPTION_KEY ?? TOTP_KEY,
    APP_URL: BASE,
    PLATFORM_WEBHOOK_SECRET: SECRET,
    LOG_LEVEL: 'warn',
    NEXT_TELEMETRY_DISABLED: '1',
    ...(HEAP ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --heapsnapshot-signal=SIGUSR2` } : {}),
  });
  const snapshots: string[] = [];
  const snapshot = async () => {
    const line = execFileSync('ps', ['-o', 'pid=,args=', '-g', String(app.process.pid)])
      .toString()
      .split('\n')
      .find((l) => /next-server|next start/.test(l) && !/npm|sh -c/.test(l));
    const pid = Number(line?.trim().split(/\s+/)[0]);
    if (!pid) return;
    const before = new Set(readdirSync('.').filter((f) => f.endsWith('.heapsnapshot')));
    process.kill(pid, 'SIGUSR2');
    for (let i = 0; i < 120; i += 1) {
      await new Promise((r) => setTimeout(r, 1000));
      const fresh = readdirSync('.').filter((f) => f.endsWith('.heapsnapshot') && !before.has(f));
      if (fresh.length > 0 && statSync(fresh[0]!).size > 0) {
        await new Promise((r) => setTimeout(r, 3000));
        snapshots.push(fresh[0]!);
        return;
      }
    }
  };
  const cookies: string[] = [];
  for (let i = 0; i < SESSIONS; i += 1)
    cookies.push(await login(BASE, i === 0 ? 'admin@soak.fr' : emails[i % emails.length]!, DEMO_PASSWORD));
  const pick = <T>(items: T[]) => items[Math.floor(Math.random() * items.length)]!;
  const pages = () =>
    pick([
      '/clients?tab=tous',
      '/clients?tab=mes-clients',
      '/clients?tab=tous&q=bou',
      '/clients?tab=tous&missing=1&sort=missing&dir=desc',
      `/clients/${pick(clientIds)}`,
      `/clients/${pick(clientIds)}/details`,
      '/compte/notifications',
      '/journal',
    ]);

  const started = Date.now();
  const end = started + MINUTES * 60_000;
  const minutes: Minute[] = [];
  const minuteOf = () => Math.floor((Date.now() - started) / 60_000);
  const record = (status: number | 'network', at = minuteOf()) => {
    const minute = (minutes[at] ??= { requests: 0, errors: 0, statuses: {} });
    minute.requests += 1;
    minute.statuses[String(status)] = (minute.statuses[String(status)] ?? 0) + 1;
    if (status === 'network' || status >= 500) minute.errors += 1;
  };
  const errorsAt: number[] = [];
  const timed = async (run: () => Promise<Response>) => {
    try {
      const response = await run();
      await response.arrayBuffer();
      record(response.status);
      if (response.status >= 500) errorsAt.push(Date.now());
    } catch {
      record('network');
      errorsAt.push(Date.now());
    }
  };

  const browse = async (cookie: string) => {
    while (Date.now() < end) {
      await timed(() => fetch(`${BASE}${pages()}`, { headers: { cookie }, redirect: 'manual' }));
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  };
  let version = 1;
  const stream = async () => {
    while (Date.now() < end) {
      version += 1;
      const events = Array.from({ length: 50 }, (_, i) => ({
        id: `soak-${version}-${i}`,
        type: 'expense.upserted',
        data: {
          expenseId: `soak-${i % 500}`,
          clientId: clientIds[(version * 50 + i) % clientIds.length],
          date: '2026-11-20',
          merchant: `Marchand ${version}`,
          amountCents: 1_000 + version,
          currency: 'EUR',
          receipt: version % 3 ? 'missing' : 'attached',
          readyToExport: false,
          version,
        },
      }));
      const body = JSON.stringify({ events });
      const timestamp = String(Math.floor(Date.now() / 1000));
      await timed(() =>
        fetch(`${BASE}/api/webhooks/platform`, {
          method: 'POST',
          body,
          headers: {
            'x-platform-timestamp': timestamp,
            'x-platform-signature': signPlatformPayload(SECRET, timestamp, body),
          },
        }),
      );
      await new Promise((r) => setTimeout(r, 500));
    }
  };

  const rss: number[] = [];
  let terminatedAt = 0;
  const sampler = setInterval(() => {
    const at = rss.length + 1;
    rss.push(groupRss(app.process.pid!));
    const m = minutes[at - 1] ?? { requests: 0, errors: 0, statuses: {} };
    if (HEAP && at === 5) void snapshot();
    console.log(
      `minute ${String(at).padStart(2)} : RSS ${(rss.at(-1)! / 1048576).toFixed(0)} Mo, ${m.requests} requêtes, ${m.errors} erreurs ${JSON.stringify(m.statuses)}`,
    );
  }, 60_000);
  const killer = setTimeout(
    async () => {
      if (!CUT) return;
      const admin = postgres(URL_SOAK, { max: 1, onnotice: () => {}, connection: { application_name: 'soak-killer' } });
      const [row] = await admin`SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
      WHERE datname = 'portail_soak' AND application_name <> 'soak-killer' AND backend_type = 'client backend'`;
      terminatedAt = Date.now();
      console.log(`… ${row!.n} connexions de l’application à PostgreSQL coupées (pg_terminate_backend)`);
      await admin.end();
    },
    (MINUTES * 60_000) / 2,
  );

  await Promise.all([...cookies.map(browse), stream()]);
  clearInterval(sampler);
  clearTimeout(killer);
  if (HEAP) await snapshot();
  app.stop();
  const serverErrors = app
    .output()
    .split('\n')
    .filter((line) => /"level":(50|60)|Error|error/.test(line));
  if (serverErrors.length > 0)
    console.log(`\nErreurs écrites par le serveur :\n${serverErrors.slice(0, 20).join('\n')}`);
  if (snapshots.length === 2) {
    console.log('\nCe qui a grandi dans le tas de next-server entre la minute 5 et la fin :');
    for (const line of heapGrowth(snapshots[0]!, snapshots[1]!)) console.log(line);
    for (const file of snapshots) rmSync(file);
  }

  const total = minutes.reduce((s, m) => s + (m?.requests ?? 0), 0);
  const lateErrors = errorsAt.filter((at) => !(terminatedAt && at >= terminatedAt && at < terminatedAt + 1000));
  console.log(
    `\n${total} requêtes en ${MINUTES} min, ${errorsAt.length} erreurs (${lateErrors.length} hors de la seconde qui suit la coupure)`,
  );
  if (rss.length >= 10) {
    const reference = rss[4]!;
    const lastFive = rss.slice(-5);
    const worst = Math.max(...lastFive) / reference;
    console.log(
      `RSS minute 5 : ${(reference / 1048576).toFixed(0)} Mo ; cinq dernières minutes : ${lastFive.map((b) => (b / 1048576).toFixed(0)).join(', ')} Mo ; pire rapport ${worst.toFixed(3)} (cible ≤ 1,15) ${worst <= 1.15 ? 'atteinte' : 'MANQUÉE'}`,
    );
  }
  console.log(
    `Erreurs hors coupure : ${lateErrors.length} (cible 0) ${lateErrors.length === 0 ? 'atteinte' : 'MANQUÉE'}`,
  );
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
