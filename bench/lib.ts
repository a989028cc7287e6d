import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import postgres from 'postgres';
import { migrateDatabase, openDatabase, setDatabase } from '@/db';

export const BENCH_DB_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/portail_bench';

/** The benchmark database, created if need be, migrated, and made the process's `db`. */
export async function openBenchDatabase(): Promise<void> {
  await ensureDatabase(BENCH_DB_URL);
  setDatabase(openDatabase({ url: BENCH_DB_URL }));
  await migrateDatabase();
}

/**
 * A benchmark database made afresh on the server of `url` (dropped if it exists, created, migrated)
 * and made the process's `db`.
 */
export async function freshBenchDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = postgres(new URL('/postgres', url).toString(), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
  await ensureDatabase(url);
  setDatabase(openDatabase({ url }));
  await migrateDatabase();
}

/** Creates the benchmark database on the local server if it does not exist yet. */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  target.pathname = '/postgres';
  const admin = postgres(target.toString(), { max: 1, onnotice: () => {} });
  try {
    const rows = await admin`SELECT 1 FROM pg_database WHERE datname = ${name}`;
    if (rows.length === 0) await admin.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Medians of several calls measured in turn, round after round. */
export async function timeAlternating(
  calls: (() => Promise<unknown>)[],
  rounds: number,
  warmup = 3,
): Promise<number[]> {
  const samples = calls.map(() => [] as number[]);
  for (let round = 0; round < rounds + warmup; round += 1) {
    for (const [i, call] of calls.entries()) {
      const start = process.hrtime.bigint();
      await call();
      if (round >= warmup) samples[i]!.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  return samples.map(median);
}

/**
 * The server as it is deployed (`npm start`: `next start` with the package's V8 settings), in its
 * own process group, so that stopping it stops next-server too.
 */
export async function startNext(
  port: number,
  env: Record<string, string>,
): Promise<{ stop: () => void; process: ChildProcess; output: () => string }> {
  const child = spawn('npm', ['start', '--silent', '--', '-p', String(port)], {
    env: { ...process.env, ...env, NODE_ENV: 'production' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/connexion`);
      if (response.status < 500) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`next start did not come up:\n${output}`);
    await new Promise((r) => setTimeout(r, 300));
  }
  return {
    process: child,
    output: () => output,
    stop: () => {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
    },
  };
}

/** Logs in through next-auth's credentials endpoint and returns the session cookie header. */
export async function login(base: string, email: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      jar.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const csrfResponse = await fetch(`${base}/api/auth/csrf`);
  keep(csrfResponse);
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  const response = await fetch(`${base}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie() },
    body: new URLSearchParams({ csrfToken, email, password, json: 'true' }),
  });
  keep(response);
  if (![...jar.keys()].some((k) => k.includes('session-token')))
    throw new Error(`login failed for ${email}: ${response.status}`);
  return cookie();
}

/**
 * Runs `script --child <size>` in a process of its own (so that its peak memory is its own) and
 * returns the JSON it printed last.
 */
export function runChild(
  script: string,
  size: number,
  mode = '--child',
  nodeArgs: string[] = [],
): Record<string, number> {
  const out = execFileSync('node', [...nodeArgs, '--import', 'tsx', script, mode, String(size)], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXTAUTH_SECRET: 'benchmark-secret-benchmark-secret',
      TOTP_ENCRYPTION_KEY: 'BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=',
    },
  });
  return JSON.parse(out.trim().split('\n').pop()!) as Record<string, number>;
}
