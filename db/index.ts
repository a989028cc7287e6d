import path from 'node:path';
import { mkdirSync } from 'node:fs';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { sql, type SQL } from 'drizzle-orm';
import postgres from 'postgres';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import * as schema from './schema';
import { lockEmbeddedDatabase } from './embedded-lock';
import { env } from '@/lib/server/env';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

type Handle = {
  db: Db;
  kind: 'postgres' | 'pglite';
  close: () => Promise<void>;
  migrate: () => Promise<void>;
};

const migrationsFolder = path.join(process.cwd(), 'db', 'migrations');

const cache = globalThis as typeof globalThis & { __portailDb?: Handle };

// A connection PostgreSQL or the network dropped (a restart, a failover, pg_terminate_backend, an
// idle connection a firewall forgot): the query never ran, or ran read-only. postgres.js codes and
// SQLSTATEs of class 08 (connection exception) and 57P01–57P03 (the server shutting it down).
const DROPPED = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08003',
  '08006',
]);

function droppedConnection(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && DROPPED.has(code);
}

type PendingQuery = ReturnType<postgres.Sql['unsafe']>;

/**
 * A statement that is only read, run again if its connection was dropped under it: after a short
 * pause (the pool must first hear of the other connections that died with it: when a server drops
 * them all, the next free one may be dead too), at most twice. Queries of postgres.js run when
 * awaited, so `make()` builds a fresh one for each try; `.values()` (what drizzle calls for a
 * select) is wrapped the same way. Writes are never retried here: whether they committed is
 * unknown, and each write path has its own idempotency.
 */
function retriedRead(make: () => PendingQuery, retriesLeft = 2): PendingQuery {
  const first = make();
  return new Proxy(first, {
    get(target, key) {
      if (key === 'values' || key === 'raw')
        return () => retriedRead(() => (make()[key] as () => PendingQuery)(), retriesLeft);
      if (key === 'then')
        return (resolve?: (value: unknown) => unknown, reject?: (reason: unknown) => unknown) =>
          target
            .then(undefined, async (error: unknown) => {
              if (retriesLeft === 0 || !droppedConnection(error)) throw error;
              await new Promise((r) => setTimeout(r, 25));
              return retriedRead(make, retriesLeft - 1);
            })
            .then(resolve, reject);
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

// A SELECT, or a WITH … SELECT (the Clients search), that writes nothing anywhere in its text (a
// leading comment, such as plannedEachTime's, aside).
const READS = /^\s*(\/\*[^*]*\*\/\s*)?\(?\s*(select|with)\b/i;
const WRITES = /\b(insert|update|delete|merge|truncate)\b|\bfor\s+(no\s+key\s+)?(update|share)\b/i;
const readOnly = (query: string) => READS.test(query) && !WRITES.test(query);

function openPostgres(url: string, options: { onQuery?: () => void; prepare?: boolean }): Handle {
  const { onQuery, prepare = env.DATABASE_PREPARED_STATEMENTS === '1' } = options;
  // The pool, sized and timed for several instances on one server (README, « Déploiement »):
  // - max: connections per instance (DATABASE_POOL_MAX, 10 by default): 5 instances stay within
  //   PostgreSQL's default 100 connections, where 20 each ran out of them under load and new
  //   connections then waited 30 s for a CONNECT_TIMEOUT (0.2–0.3 % of requests in the attack pass);
  // - connect_timeout 10 s: a connection that cannot be made fails fast enough to be retried;
  // - idle_timeout 60 s: idle connections go back to the server between bursts;
  // - max_lifetime 15–30 min (randomised by postgres.js): connections, and the prepared statements
  //   each one caches, are renewed, so that a long-running instance does not keep what it no longer uses.
  const client = postgres(url, {
    max: env.DATABASE_POOL_MAX,
    connect_timeout: 10,
    idle_timeout: 60,
    max_lifetime: 60 * (15 + Math.random() * 15),
    onnotice: () => {},
    ...(onQuery ? { debug: () => onQuery() } : {}),
  });
  // drizzle sends every statement through `client.unsafe`, whose default is an unnamed statement
  // that PostgreSQL parses and plans on every call. Named prepared statements (cached per
  // connection by postgres.js, keyed by the SQL text) halve the server's CPU per Clients page
  // (3.5 → 1.7 ms, BENCHMARKS.md). Transactions run unprepared: drizzle hands their own client on.
  // Behind a pooler in transaction mode that cannot keep them (PgBouncer before 1.21, some
  // managed poolers), DATABASE_PREPARED_STATEMENTS=0 turns them off. A read outside a transaction
  // is retried once on a dropped connection (retriedRead).
  const wrapped = new Proxy(client, {
    get(target, key, receiver) {
      if (key !== 'unsafe') return Reflect.get(target, key, receiver);
      return (...[query, parameters, queryOptions]: Parameters<typeof target.unsafe>) => {
        const named = prepare && !query.startsWith(PLANNED_EACH_TIME);
        const make = () => target.unsafe(query, parameters, named ? { ...queryOptions, prepare: true } : queryOptions);
        return readOnly(query) ? retriedRead(make) : make();
      };
    },
  });
  const db = drizzlePostgres({ client: wrapped, schema });
  return {
    db: db as unknown as Db,
    kind: 'postgres',
    close: () => client.end({ timeout: 5 }),
    migrate: () => migratePostgres(db, { migrationsFolder }),
  };
}

function openPglite(dataDir: string | undefined, loadDataDir?: Blob): Handle {
  let unlock = () => {};
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    unlock = lockEmbeddedDatabase(dataDir);
  }
  // loadDataDir: a migrated database dumped once (PGlite's dumpDataDir), which the tests copy
  // instead of migrating each file's database from scratch.
  const client = new PGlite({ dataDir, loadDataDir });
  const db = drizzlePglite({ client, schema });
  return {
    db: db as unknown as Db,
    kind: 'pglite',
    close: async () => {
      await client.close();
      unlock();
    },
    migrate: () => migratePglite(db, { migrationsFolder }),
  };
}

/**
 * `onQuery` (PostgreSQL only) is called once per statement sent: the benchmarks count round trips.
 * `prepare` (PostgreSQL only, default DATABASE_PREPARED_STATEMENTS): named prepared statements.
 */
export function openDatabase(
  options: { url?: string; pgliteDir?: string; pgliteDump?: Blob; onQuery?: () => void; prepare?: boolean } = {},
): Handle {
  if (options.url) return openPostgres(options.url, options);
  return openPglite(options.pgliteDir, options.pgliteDump);
}

function handle(): Handle {
  cache.__portailDb ??= env.DATABASE_URL
    ? openPostgres(env.DATABASE_URL, {})
    : openPglite(path.resolve(/*turbopackIgnore: true*/ process.cwd(), env.PGLITE_DIR));
  return cache.__portailDb;
}

/** Replaces the process-wide database (tests give each file its own). */
export function setDatabase(next: Handle): void {
  cache.__portailDb = next;
}

export function databaseKind(): Handle['kind'] {
  return handle().kind;
}

export async function migrateDatabase(): Promise<void> {
  await handle().migrate();
}

export async function closeDatabase(): Promise<void> {
  const current = cache.__portailDb;
  cache.__portailDb = undefined;
  await current?.close();
}

/** The one drizzle instance, opened on first use (never while `next build` imports modules). */
export const db: Db = new Proxy({} as Db, {
  get(_target, property) {
    const real = handle().db;
    const value = Reflect.get(real, property, real) as unknown;
    return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(real) : value;
  },
});

const statements = new WeakMap<Db, Map<string, unknown>>();

/** A shape is plain data: strings, numbers, booleans, null, arrays and objects of them. */
type ShapeValue = string | number | boolean | null | undefined | ShapeValue[] | { [key: string]: ShapeValue };
export type Shape = { [key: string]: ShapeValue };

/** The same text for the same shape whatever the order of its keys; undefined fields are left out. */
export function shapeKey(value: ShapeValue): string {
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('a shape holds finite numbers only');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(shapeKey).join(',')}]`;
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) throw new Error('a shape holds plain data only');
  const keys = Object.keys(value)
    .filter((k) => value[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${shapeKey(value[k])}`).join(',')}}`;
}

/**
 * A statement built once per database and per shape, then run with its placeholders filled
 * (`sql.placeholder`, drizzle's `prepare`). Otherwise drizzle turns the query builder into SQL text
 * on every call, which the Clients page paid four times a request (BENCHMARKS.md, issue 13).
 *
 * Declared at module level, so that `build` sees nothing of a request: everything that shapes the
 * statement (a role, a tab, a sort) comes in `shape`, and the cache key is made from that shape
 * itself, so no field can be forgotten in it. The request's values (an id, a search) go through
 * placeholders, never through the shape.
 */
export function preparedStatement<S extends Shape, T>(name: string, build: (on: Db, shape: S) => T): (shape: S) => T {
  return (shape) => {
    const real = handle().db;
    let byKey = statements.get(real);
    if (!byKey) statements.set(real, (byKey = new Map()));
    const key = `${name}:${shapeKey(shape)}`;
    if (!byKey.has(key)) byKey.set(key, build(real, shape));
    return byKey.get(key) as T;
  };
}

/** Raw SQL returning rows: postgres.js gives an array, PGlite `{ rows }`. */
const PLANNED_EACH_TIME = '/* planned each time */';

/**
 * A statement PostgreSQL plans with its values on every call instead of a named prepared
 * statement: after five calls a prepared statement may switch to a generic plan, which knows
 * nothing of its parameters' selectivity — on the close board, « due this week » or one preparer
 * among twenty then sorted the firm's matching rows instead of scanning the sort's index
 * (6.3 ms against 0.3 ms at 10,000 clients, BENCHMARKS.md). Planning costs ~0.5 ms.
 */
export function plannedEachTime(query: SQL): SQL {
  return sql`${sql.raw(PLANNED_EACH_TIME)} ${query}`;
}

export async function queryRows<T>(query: SQL, on: Db | Tx = db): Promise<T[]> {
  const result = (await on.execute(query)) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/** A timestamp parameter for raw SQL: postgres.js under drizzle takes no Date there. */
export function timestamptz(instant: Date): SQL {
  // eslint-disable-next-line portail/timestamptz-helper -- the helper itself
  return sql`${instant.toISOString()}::timestamptz`;
}

/**
 * Where a page of a list, newest first, starts: the previous page's last (instant, id), the instant
 * as PostgreSQL's text to the microsecond — a JavaScript Date would round it to the millisecond, and
 * the rows of one transaction (one instant) after the cut would never be shown. In a URL `<at>_<id>`
 * (lib/server/page-cursor.ts reads it back).
 */
export type PageCursor = { at: string; id: string };

/** A timestamptz column as a PageCursor's `at`: `YYYY-MM-DDTHH:MI:SS.ssssssZ`. */
export function cursorAt(column: SQL): SQL<string> {
  return sql<string>`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** The rows after a cursor, in the order (instant DESC, id DESC). */
export function afterCursor(at: SQL, id: SQL, cursor: PageCursor): SQL {
  return sql`(${at}, ${id}) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)`;
}

/**
 * A typed array parameter for raw SQL: `= ANY(${sqlArray(ids, 'uuid')})`. One parameter whatever the
 * length (an array literal, cast once): a batch of 2,500 rows is one bind, not 2,500, and both
 * drivers take it the same way.
 */
export function sqlArray(
  values: readonly (string | number | null)[],
  type: 'uuid' | 'text' | 'digest_frequency' | 'integer' | 'bigint' | 'date' | 'boolean',
): SQL {
  return sql`${arrayLiteral(values)}::${sql.raw(type)}[]`;
}

const SPECIAL = /[\\"]/g;

/**
 * PostgreSQL's array literal: every element quoted (backslash and double quote escaped), NULL bare.
 * Also the value of an array placeholder: `= ANY(${sql.placeholder('ids')}::uuid[])`.
 */
export function arrayLiteral(values: readonly (string | number | null)[]): string {
  // One pass over each value (a digest batch's column holds 5 MB of HTML full of quotes).
  const items = values.map((v) => (v === null ? 'NULL' : `"${String(v).replace(SPECIAL, '\\$&')}"`));
  return `{${items.join(',')}}`;
}

/** SQLSTATE of the error, looked up through drizzle's wrapper (DrizzleQueryError keeps the driver's as `cause`). */
export function sqlState(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 4; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

const RETRIED_STATES = new Set(['40P01', '40001']);

/**
 * Runs a transaction again when PostgreSQL cancelled it to break a deadlock (40P01) or a
 * serialization failure (40001): up to `attempts` times, with a short random pause, before anyone
 * sees an error. Only for work that is safe to run again whole (the transaction rolled back).
 * Lock orders make these rare (clients always in id order); this makes the rest invisible.
 */
export async function retryOnConflict<T>(run: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await run();
    } catch (error) {
      const state = sqlState(error);
      if (attempt >= attempts || !state || !RETRIED_STATES.has(state)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
    }
  }
}
