// Two `next start` instances on one PostgreSQL database, as behind a load balancer: what one
// instance knows (sessions, login throttling, deactivation, the digest queue), the other knows too.
// Needs a PostgreSQL server (DATABASE_URL or 127.0.0.1:5432) and `next build`; CI runs it.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { seedDemo } from '../db/seed';
import type { Db } from '../db';
import * as schema from '../db/schema';
import { FakeResend } from '../test/fake-resend';

const SERVER = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const NAME = `portail_instances_${process.pid}`;
const PUBLIC_URL = 'https://portail.example.fr';
const PORTS = [3221, 3222] as const;
const A = `http://127.0.0.1:${PORTS[0]}`;
const B = `http://127.0.0.1:${PORTS[1]}`;
const SECRET = 'instances-secret-instances-secret-0123';
const CRON_SECRET = 'cron-secret-for-instances';
// Monday 30 November 2026, 10:05 in Paris: daily and weekly digests are due.
const CRON_NOW = '2026-11-30T10:05:00+01:00';

const databaseUrl = (() => {
  const url = new URL(SERVER);
  url.pathname = `/${NAME}`;
  return url.toString();
})();

const fake = new FakeResend();
const servers: ChildProcess[] = [];
let sql: postgres.Sql;

function environment(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    NEXTAUTH_SECRET: SECRET,
    TOTP_ENCRYPTION_KEY: 'BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=',
    NEXTAUTH_URL: PUBLIC_URL,
    APP_URL: PUBLIC_URL,
    RESEND_API_KEY: 're_test_key',
    RESEND_BASE_URL: fake.baseUrl,
    CRON_SECRET,
    CRON_NOW,
    NEXT_TELEMETRY_DISABLED: '1',
    LOG_LEVEL: 'silent',
    ...extra,
  };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  return env;
}

async function startServer(port: number, env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn('npx', ['next', 'start', '-p', String(port), '-H', '127.0.0.1'], {
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (c) => (log += c));
  child.stderr?.on('data', (c) => (log += c));
  servers.push(child);
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).status === 200) return child;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`next start did not come up:\n${log}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

function stop(child: ChildProcess) {
  try {
    process.kill(-child.pid!, 'SIGTERM');
  } catch {
    // already gone
  }
}

const decodeEntities = (text: string) =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** A cookie jar over fetch: what a browser keeps between requests, for one person. */
class Session {
  private readonly jar = new Map<string, string>();
  get cookie() {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  keep(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      this.jar.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    return response;
  }
  async get(url: string) {
    return this.keep(await fetch(url, { redirect: 'manual', headers: { cookie: this.cookie } }));
  }
  /** The login form as a browser without JavaScript posts it: CSRF token from the page, then the callback. */
  async login(base: string, email: string, password: string) {
    const page = await (await this.get(`${base}/connexion`)).text();
    const csrfToken = /name="csrfToken" value="([0-9a-f]+)"/.exec(page)?.[1] ?? '';
    const response = this.keep(
      await fetch(`${base}/api/auth/callback/credentials`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: this.cookie },
        body: new URLSearchParams({ csrfToken, email, password, callbackUrl: '/clients' }),
      }),
    );
    return response.headers.get('location') ?? '';
  }
}

before(async () => {
  // The seed encrypts the demo's two-factor secret with the key the instances will read.
  process.env.TOTP_ENCRYPTION_KEY = 'BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=';
  await fake.start();
  const admin = postgres(SERVER, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE ${NAME}`);
  await admin.end();
  sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  const db = drizzle({ client: sql, schema });
  await migrate(db, { migrationsFolder: path.join(process.cwd(), 'db', 'migrations') });
  await seedDemo(db as unknown as Db);
  // Léa and Hugo follow one client each, daily, since last week.
  await sql`INSERT INTO notification_subscriptions (firm_id, user_id, client_id, enabled, frequency, first_slot_at)
    SELECT u.firm_id, u.id, (SELECT a.client_id FROM assignments a WHERE a.user_id = u.id ORDER BY a.client_id LIMIT 1), true, 'daily',
           '2026-11-23T09:00:00Z'
    FROM users u WHERE u.email IN ('lea.martin@cabinet-demo.fr', 'hugo.bernard@cabinet-demo.fr')`;
  await Promise.all(PORTS.map((port) => startServer(port, environment())));
});

after(async () => {
  servers.forEach(stop);
  await fake.stop();
  await sql?.end();
  const admin = postgres(SERVER, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
  await admin.end();
});

describe('two instances, one database', { concurrency: 1 }, () => {
  it('answer the health check', async () => {
    for (const base of [A, B]) assert.deepEqual(await (await fetch(`${base}/api/health`)).json(), { ok: true });
  });

  it('a session created on one is accepted by the other', async () => {
    const claire = new Session();
    assert.equal(await claire.login(A, 'admin@cabinet-demo.fr', 'demo-password'), `${PUBLIC_URL}/clients`);
    const page = await claire.get(`${B}/clients?tab=tous`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Rechercher des clients/);
  });

  it('the digest cron called on both at the same moment sends each e-mail once', async () => {
    fake.reset();
    const call = (base: string) =>
      fetch(`${base}/api/cron/digests`, { headers: { authorization: `Bearer ${CRON_SECRET}` } });
    const answers = await Promise.all([call(A), call(B), call(A), call(B)]);
    assert.deepEqual(
      answers.map((r) => r.status),
      [200, 200, 200, 200],
    );
    const to = fake.delivered.map((e) => e.to).sort();
    assert.deepEqual(to, ['hugo.bernard@cabinet-demo.fr', 'lea.martin@cabinet-demo.fr']);
    const [row] = await sql`SELECT count(*)::int AS n FROM digest_deliveries WHERE state = 'sent'`;
    assert.equal(row!.n, 2);
  });

  it('login throttling counted on one applies on the other', async () => {
    const attacker = new Session();
    for (let i = 0; i < 5; i += 1) {
      assert.match(
        await attacker.login(i % 2 ? A : B, 'hugo.bernard@cabinet-demo.fr', `faux-${i}`),
        /error=CredentialsSignin/,
      );
    }
    assert.match(
      await new Session().login(A, 'hugo.bernard@cabinet-demo.fr', 'demo-password'),
      /error=TooManyAttempts/,
    );
    assert.match(
      await new Session().login(B, 'hugo.bernard@cabinet-demo.fr', 'demo-password'),
      /error=TooManyAttempts/,
    );
  });

  it('a user deactivated through one is refused by the other at the next request', async () => {
    const lea = new Session();
    assert.equal(await lea.login(B, 'lea.martin@cabinet-demo.fr', 'demo-password'), `${PUBLIC_URL}/clients`);
    assert.equal((await lea.get(`${B}/clients`)).status, 200);
    // Claire deactivates Léa on instance A, through the Équipe page's form (no JavaScript).
    const claire = new Session();
    await claire.login(A, 'admin@cabinet-demo.fr', 'demo-password');
    const equipe = await (await claire.get(`${A}/equipe`)).text();
    const [leaId] = (await sql`SELECT id FROM users WHERE email = 'lea.martin@cabinet-demo.fr'`).map(
      (r) => r.id as string,
    );
    const form = [...equipe.matchAll(/<form[^>]*>([\s\S]*?)<\/form>/g)]
      .map((m) => m[1]!)
      .find((body) => body.includes(`value="${leaId}"`) && body.includes('name="active"'));
    assert.ok(form, 'the Désactiver form of Léa');
    const fields = new FormData();
    for (const input of form.matchAll(/<input[^>]*>/g)) {
      const name = /name="([^"]+)"/.exec(input[0])?.[1];
      const value = decodeEntities(/value="([^"]*)"/.exec(input[0])?.[1] ?? '');
      if (name) fields.append(name, value);
    }
    const posted = await fetch(`${A}/equipe`, {
      method: 'POST',
      body: fields,
      headers: { cookie: claire.cookie },
      redirect: 'manual',
    });
    assert.ok(posted.status < 400, `deactivation answered ${posted.status}`);
    const [row] = await sql`SELECT active FROM users WHERE id = ${leaId!}`;
    assert.equal(row!.active, false);
    const refused = await lea.get(`${B}/clients`);
    assert.equal(refused.status, 307);
    assert.match(refused.headers.get('location') ?? '', /\/connexion/);
  });
});

describe('over HTTP, as an attacker and an operator would', { concurrency: 1 }, () => {
  it('redirects to the public URL whatever the Host header says', async () => {
    for (const path of ['/api/unsubscribe/abc', '/clients']) {
      const response = await fetch(`${A}${path}`, { redirect: 'manual', headers: { host: 'evil.example' } });
      assert.ok(
        (response.headers.get('location') ?? '').startsWith(`${PUBLIC_URL}/`),
        `${path}: ${response.headers.get('location')}`,
      );
    }
  });

  it('never puts a database error in the login URL, and survives NUL bytes and prototype names', async () => {
    const location = await new Session().login(A, 'admin\u0000@cabinet-demo.fr', 'x');
    assert.doesNotMatch(decodeURIComponent(location), /Failed query|select|login_attempts/i);
    assert.match(location, /error=CredentialsSignin/);
    for (const error of ['constructor', '__proto__', 'toString']) {
      assert.equal((await fetch(`${A}/connexion?error=${error}`)).status, 200, error);
    }
    const claire = new Session();
    await claire.login(B, 'admin@cabinet-demo.fr', 'demo-password');
    assert.equal((await claire.get(`${B}/clients?q=%00`)).status, 200);
  });

  it('reads an unsigned 10 MB webhook no further than its headers', async () => {
    const response = await fetch(`${A}/api/webhooks/platform`, { method: 'POST', body: 'x'.repeat(10 * 1024 * 1024) });
    assert.equal(response.status, 401);
  });

  it('refuses to start in production without its settings', async () => {
    const child = spawn('npx', ['next', 'start', '-p', '3229', '-H', '127.0.0.1'], {
      env: environment({ NEXTAUTH_SECRET: undefined }),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    servers.push(child);
    let output = '';
    child.stdout?.on('data', (c) => (output += c));
    child.stderr?.on('data', (c) => (output += c));
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', (c) => resolve(c));
      setTimeout(() => resolve(null), 30_000);
    });
    assert.notEqual(code, 0, output);
    assert.match(output, /NEXTAUTH_SECRET is missing/);
  });
});
