import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { queryRows } from '@/db';
import { sql } from 'drizzle-orm';
import { withTestDatabase } from './db';

withTestDatabase();

// db/README.md lists every trigger and SQL function the migrations create, with what it keeps true:
// this test holds the list and the migrated database to each other, both ways.
const readme = readFileSync(join(__dirname, '..', 'db', 'README.md'), 'utf8');
const section = (title: string) => readme.split(`### ${title}`)[1]!.split(/\n### |\nThe functions of/)[0]!;

describe('db/README.md lists the database’s triggers and functions', () => {
  it('names every trigger, with its table and function, and no other', async () => {
    const listed = [...section('Triggers').matchAll(/^- `(\w+)` on `(\w+)`, runs `(\w+)`/gm)].map(
      ([, name, table, fn]) => `${name} on ${table} runs ${fn}`,
    );
    const rows = await queryRows<{ line: string }>(sql`
      SELECT t.tgname || ' on ' || c.relname || ' runs ' || p.proname AS line
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
       WHERE NOT t.tgisinternal`);
    expect(listed.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.line).sort()).toEqual([...listed].sort());
  });

  it('names every function of the public schema that is not an extension’s, and no other', async () => {
    const listed = [...section('Functions').matchAll(/^- `(\w+)\(([^)]*)\)`/gm)].map(
      ([, name, args]) => `${name}(${args})`,
    );
    const rows = await queryRows<{ line: string }>(sql`
      SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS line
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE n.nspname = 'public'
         AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')`);
    expect(listed.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.line).sort()).toEqual([...listed].sort());
  });
});
