import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// The house's rules in eslint-rules/portail.mjs, run by the project's own ESLint (its config, in a
// child process: ESLint loads its config as an ES module) on code written to break each one, and on
// the way the house writes it, which passes.
const root = path.join(__dirname, '..');
const scratch = path.join(root, '.house-rules-test');

const CASES: Record<string, string> = {
  'unwrapped/lib/example/actions.ts': `'use server';\nexport async function leak(form: FormData) {\n  return form.get('x');\n}\n`,
  'wrapped/lib/example/actions.ts': `'use server';\nimport { z } from 'zod';\nimport { createAction } from '@/lib/access/server-action';\nexport const ok = createAction({ schema: z.object({}) }, async () => ({ status: 'idle' }));\n`,
  'db-component/components/example.tsx': `import { db } from '@/db';\nexport const x = db;\n`,
  'db-client/app/example/widget.tsx': `'use client';\nimport { db } from '@/db';\nexport const x = db;\n`,
  'db-server/lib/example/queries.ts': `import { db } from '@/db';\nexport const x = db;\n`,
  'cast/lib/example/queries.ts': `import { sql } from 'drizzle-orm';\nexport const q = (d: Date) => sql\`SELECT \${d.toISOString()}::timestamptz\`;\n`,
  'helper/lib/example/queries.ts': `import { sql } from 'drizzle-orm';\nimport { timestamptz } from '@/db';\nexport const q = (d: Date) => sql\`SELECT \${timestamptz(d)}\`;\n`,
  'sql-page/app/example/page.tsx': `import { sql } from 'drizzle-orm';\nexport const q = sql\`SELECT 1\`;\n`,
  'sql-component/components/example.tsx': `import { sql } from 'drizzle-orm';\nexport const q = sql\`SELECT 1\`;\n`,
  'sql-email/emails/example.tsx': `import { sql } from 'drizzle-orm';\nexport const q = sql\`SELECT 1\`;\n`,
  'layer-up/lib/server/example.ts': `import { listClients } from '@/lib/clients/queries';\nexport const x = listClients;\n`,
  'layer-access/lib/access/example.ts': `import { recordActivity } from '../activity/record';\nexport const x = recordActivity;\n`,
  'layer-ok/lib/clients/example.ts': `import { env } from '@/lib/server/env';\nimport { visibleTo } from '@/lib/access/visibility';\nexport const x = [env, visibleTo];\n`,
  'sql-lib/lib/example/queries.ts': `import { sql } from 'drizzle-orm';\nexport const q = sql\`SELECT 1\`;\n`,
};

let found: Record<string, string[]>;
beforeAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  for (const [file, code] of Object.entries(CASES)) {
    mkdirSync(path.dirname(path.join(scratch, file)), { recursive: true });
    writeFileSync(path.join(scratch, file), code);
  }
  let output: string;
  try {
    // ESLint's own script with this Node (not npx, whose settings leak in from an outer `npx -c`).
    const eslint = path.join(root, 'node_modules', 'eslint', 'bin', 'eslint.js');
    output = execFileSync(process.execPath, [eslint, '--format', 'json', scratch], { cwd: root, encoding: 'utf8' });
  } catch (error) {
    output = (error as { stdout: string }).stdout; // exit code 1: problems found, as intended
  }
  found = {};
  for (const result of JSON.parse(output) as { filePath: string; messages: { ruleId: string | null }[] }[])
    found[path.relative(scratch, result.filePath)] = result.messages
      .map((m) => m.ruleId ?? '')
      .filter((rule) => rule.startsWith('portail/'));
}, 120_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the house rules', () => {
  it('a server action goes through createAction', () => {
    expect(found['unwrapped/lib/example/actions.ts']).toEqual(['portail/server-actions-wrapped']);
    expect(found['wrapped/lib/example/actions.ts']).toEqual([]);
  });

  it('no component and no client module imports the database', () => {
    expect(found['db-component/components/example.tsx']).toEqual(['portail/no-database-in-client']);
    expect(found['db-client/app/example/widget.tsx']).toEqual(['portail/no-database-in-client']);
    expect(found['db-server/lib/example/queries.ts']).toEqual([]);
  });

  it('an instant in raw SQL goes through timestamptz()', () => {
    expect(found['cast/lib/example/queries.ts']).toEqual(['portail/timestamptz-helper']);
    expect(found['helper/lib/example/queries.ts']).toEqual([]);
  });

  it('raw SQL is not written in pages, components or e-mails', () => {
    expect(found['sql-page/app/example/page.tsx']).toEqual(['portail/raw-sql-location']);
    expect(found['sql-component/components/example.tsx']).toEqual(['portail/raw-sql-location']);
    expect(found['sql-email/emails/example.tsx']).toEqual(['portail/raw-sql-location']);
    expect(found['sql-lib/lib/example/queries.ts']).toEqual([]);
  });

  it('plumbing and access never import a feature', () => {
    expect(found['layer-up/lib/server/example.ts']).toEqual(['portail/layers']);
    expect(found['layer-access/lib/access/example.ts']).toEqual(['portail/layers']);
    expect(found['layer-ok/lib/clients/example.ts']).toEqual([]);
  });
});
