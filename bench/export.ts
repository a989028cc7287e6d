// npm run bench:export — exporting 5,000 and 50,000 ready expenses of one client, each in its own
// process, streaming the CSV; compares the memory the export itself takes.
import { sql } from 'drizzle-orm';
import { closeDatabase, db, openDatabase, queryRows, setDatabase } from '@/db';
import { createExport, exportCsvStream } from '@/lib/exports/create-export';
import { BENCH_DB_URL, openBenchDatabase, runChild } from './lib';

async function prepare(size: number) {
  const name = `Export ${size}`;
  const [admin] = await queryRows<{ id: string; firm_id: string }>(
    sql`SELECT id, firm_id FROM users WHERE role = 'admin' ORDER BY created_at LIMIT 1`,
  );
  let [client] = await queryRows<{ id: string }>(
    sql`SELECT id FROM clients WHERE firm_id = ${admin!.firm_id} AND name = ${name}`,
  );
  if (!client) {
    [client] = await queryRows<{ id: string }>(
      sql`INSERT INTO clients (firm_id, name, status) VALUES (${admin!.firm_id}, ${name}, 'active') RETURNING id`,
    );
  }
  // Put every expense of the client back to work (a previous run exported them: coded and
  // reviewed, they are ready again), or create them.
  await db.execute(
    sql`UPDATE expenses SET export_state = 'not_ready', export_id = NULL WHERE client_id = ${client!.id}`,
  );
  await db.execute(sql`DELETE FROM expense_exports WHERE client_id = ${client!.id}`);
  const [count] = await queryRows<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM expenses WHERE client_id = ${client!.id}`,
  );
  if ((count?.n ?? 0) < size) {
    await db.execute(sql`
      INSERT INTO expenses (client_id, amount_cents, merchant, category, spent_on, receipt_state, export_state,
        platform_ready, coding_state)
      SELECT ${client!.id}::uuid, 100 + i * 37 % 500000, 'Fournisseur n° ' || i, 'Déplacements',
             DATE '2026-01-01' + (i % 330)::int, 'attached', 'not_ready', true, 'reviewed'
      FROM generate_series(1, ${size - (count?.n ?? 0)}::int) AS i`);
  }
  return {
    admin: { id: admin!.id, firmId: admin!.firm_id, role: 'admin' as const, name: 'Benchmark' },
    clientId: client!.id,
  };
}

async function child(size: number) {
  setDatabase(openDatabase({ url: BENCH_DB_URL }));
  const { admin, clientId } = await prepare(size);
  global.gc?.();
  const base = process.memoryUsage();
  let peak = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peak = Math.max(
      peak,
      m.heapUsed + m.external + m.arrayBuffers - (base.heapUsed + base.external + base.arrayBuffers),
    );
  };
  const timer = setInterval(sample, 5);
  const started = process.hrtime.bigint();
  const done = await createExport(admin, clientId);
  let bytes = 0;
  const reader = exportCsvStream(admin.firmId, done.id).getReader();
  for (;;) {
    const { done: finished, value } = await reader.read();
    if (finished) break;
    bytes += value.byteLength; // what a download writes to the socket, chunk by chunk
    sample();
  }
  clearInterval(timer);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  await closeDatabase();
  console.log(
    JSON.stringify({
      size,
      exported: done.expenseCount,
      bytes,
      ms: Math.round(ms),
      peakMb: +(peak / 1048576).toFixed(1),
      maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
}

async function main() {
  const at = process.argv.indexOf('--child');
  if (at >= 0) return child(Number(process.argv[at + 1]));
  await openBenchDatabase();
  await closeDatabase();
  const results = [5000, 50000].map((size) => runChild('bench/export.ts', size, '--child', ['--expose-gc']));
  console.log('| expenses | file (bytes) | time (ms) | memory taken by the export (MB) | peak RSS (MB) |');
  console.log('|---|---|---|---|---|');
  for (const r of results) console.log(`| ${r.exported} | ${r.bytes} | ${r.ms} | ${r.peakMb} | ${r.maxRssMb} |`);
  const [small, large] = results as [Record<string, number>, Record<string, number>];
  console.log(`export memory 50,000 / 5,000: ${(large.peakMb! / small.peakMb!).toFixed(2)} (target ≤ 2)`);
  console.log(`peak RSS 50,000 / 5,000: ${(large.maxRssMb! / small.maxRssMb!).toFixed(2)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
