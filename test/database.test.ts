import { sql } from 'drizzle-orm';
import { openDatabase, queryRows } from '@/db';

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
});
