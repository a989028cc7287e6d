import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { openDatabase, plannedEachTime, queryRows } from '@/db';

// The statements the app sends to PostgreSQL. (PGlite runs in the process: nothing to prepare.)
const url = process.env.DATABASE_URL;
const onPostgres = url ? describe : describe.skip;

onPostgres('statements sent to PostgreSQL', () => {
  /** Runs one query three times, then lists what the connection holds as prepared statements. */
  async function preparedAfterQueries(prepare: boolean | undefined): Promise<string[]> {
    const handle = openDatabase({ url, prepare });
    try {
      // One query at a time: postgres.js reuses its one idle connection.
      for (let i = 0; i < 3; i += 1) {
        const [row] = await queryRows<{ probe_prepared: number }>(sql`SELECT ${i}::int AS probe_prepared`, handle.db);
        expect(row?.probe_prepared).toBe(i);
      }
      const rows = await queryRows<{ statement: string }>(sql`SELECT statement FROM pg_prepared_statements`, handle.db);
      return rows.map((r) => r.statement).filter((s) => s.includes('probe_prepared'));
    } finally {
      await handle.close();
    }
  }

  it('are named prepared statements, parsed once per connection', async () => {
    expect(await preparedAfterQueries(undefined)).toEqual(['SELECT $1::int AS probe_prepared']);
  });

  it('are not prepared with DATABASE_PREPARED_STATEMENTS=0 (poolers in transaction mode)', async () => {
    expect(await preparedAfterQueries(false)).toEqual([]);
  });

  it('except those planned with their values each time (the close board)', async () => {
    const handle = openDatabase({ url });
    try {
      for (let i = 0; i < 6; i += 1) {
        const [row] = await queryRows<{ probe_each_time: number }>(
          plannedEachTime(sql`SELECT ${i}::int AS probe_each_time`),
          handle.db,
        );
        expect(row?.probe_each_time).toBe(i);
      }
      const rows = await queryRows<{ statement: string }>(sql`SELECT statement FROM pg_prepared_statements`, handle.db);
      expect(rows.filter((r) => r.statement.includes('probe_each_time'))).toEqual([]);
    } finally {
      await handle.close();
    }
  });
});

onPostgres('connections dropped under the app', () => {
  it('a read is retried on a connection PostgreSQL terminated; a write is not replayed', async () => {
    const handle = openDatabase({ url });
    const killer = postgres(url!, { max: 1, onnotice: () => {}, connection: { application_name: 'killer' } });
    try {
      // Warm the pool: several connections, each with prepared statements.
      await Promise.all(
        Array.from({ length: 6 }, (_, i) => queryRows(sql`SELECT pg_sleep(0.05), ${i}::int AS n`, handle.db)),
      );
      const pids = (await queryRows<{ pid: number }>(sql`SELECT pg_backend_pid() AS pid`, handle.db)).map((r) => r.pid);
      expect(pids).toHaveLength(1);
      // As an operator (or a failover) would: every connection of the app's pool, terminated.
      const terminate = async () => {
        const [row] = await killer`SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND application_name <> 'killer' AND backend_type = 'client backend'`;
        return Number(row?.n ?? 0);
      };
      // A read in flight when its connection dies: answered all the same.
      const inFlight = queryRows<{ n: number }>(sql`SELECT pg_sleep(0.3), 7::int AS n`, handle.db);
      await new Promise((r) => setTimeout(r, 100));
      expect(await terminate()).toBeGreaterThan(0);
      expect((await inFlight)[0]!.n).toBe(7);
      // So is a WITH … SELECT (the Clients search is one).
      const withRead = queryRows<{ n: number }>(
        sql`WITH slow AS (SELECT pg_sleep(0.3), 9::int AS n) SELECT n FROM slow`,
        handle.db,
      );
      await new Promise((r) => setTimeout(r, 100));
      expect(await terminate()).toBeGreaterThan(0);
      expect((await withRead)[0]!.n).toBe(9);
      // Reads after the drop, on connections postgres.js now knows are gone or not yet: all answered.
      await terminate();
      const reads = await Promise.all(
        Array.from({ length: 10 }, (_, i) => queryRows<{ n: number }>(sql`SELECT ${i}::int AS n`, handle.db)),
      );
      expect(reads.map((r) => r[0]!.n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      // A write in flight is not run twice behind the caller's back: it fails, and the caller decides.
      const write = queryRows(sql`DO $$ BEGIN PERFORM pg_sleep(0.3); END $$`, handle.db);
      await new Promise((r) => setTimeout(r, 100));
      await terminate();
      await expect(write).rejects.toBeDefined();
    } finally {
      await handle.close();
      await killer.end();
    }
  });
});
