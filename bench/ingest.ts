// npm run bench:ingest — 100,000 expense.upserted events, in signed batches of 1,000 through the
// webhook's own handler (signature, JSON, validation, one transaction per batch), against a firm of
// 10,000 clients. Compares the time per event while the expenses table holds its first 10,000 rows
// with the time per event at 90,000–100,000: the cost of an event must not grow with the table.
// Every fifth event is a new version of an expense already sent (an update), as a live feed is.
import { sql } from 'drizzle-orm';
import { closeDatabase, db, queryRows } from '@/db';
import { POST as webhookPost } from '@/app/api/webhooks/platform/route';
import { signPlatformPayload } from '@/lib/platform/webhook';
import { median, openBenchDatabase } from './lib';

const CLIENTS = 10_000;
const EVENTS = 100_000;
const BATCH = 1_000;
const SECRET = 'secret-partage-plateforme-bench';

async function ensureFirm(): Promise<string[]> {
  const name = 'Cabinet Ingestion';
  let [firm] = await queryRows<{ id: string }>(sql`SELECT id FROM firms WHERE name = ${name}`);
  if (!firm) {
    [firm] = await queryRows<{ id: string }>(sql`INSERT INTO firms (name) VALUES (${name}) RETURNING id`);
    await db.execute(sql`
      INSERT INTO clients (firm_id, name, status)
      SELECT ${firm!.id}::uuid, 'Client ingestion ' || lpad(i::text, 5, '0'), 'active'
      FROM generate_series(1, ${CLIENTS}::int) AS i`);
  }
  const clients = await queryRows<{ id: string }>(sql`SELECT id FROM clients WHERE firm_id = ${firm!.id} ORDER BY id`);
  // A clean start: this firm's expenses, tombstones and counters from an earlier run.
  await db.execute(sql`DELETE FROM expenses WHERE client_id IN (SELECT id FROM clients WHERE firm_id = ${firm!.id})`);
  await db.execute(sql`DELETE FROM expense_tombstones WHERE platform_id LIKE 'bench-%'`);
  await db.execute(sql`DELETE FROM webhook_events WHERE id LIKE 'bench-%'`);
  await db.execute(sql`VACUUM ANALYZE expenses`);
  return clients.map((c) => c.id);
}

async function main() {
  process.env.PLATFORM_WEBHOOK_SECRET = SECRET;
  await openBenchDatabase();
  const clients = await ensureFirm();
  const receipts = ['missing', 'attached', 'not_required'] as const;
  const perEvent: number[] = [];
  let created = 0;
  for (let b = 0; b < EVENTS / BATCH; b += 1) {
    const before = created;
    const events = Array.from({ length: BATCH }, (_, i) => {
      const n = b * BATCH + i;
      // One in five events updates an expense of an earlier batch (version 2); the others create one.
      const update = n % 5 === 4 && before > 0;
      const expense = update ? (n * 7919) % before : created++;
      return {
        id: `bench-${n}`,
        type: 'expense.upserted',
        data: {
          expenseId: `bench-${expense}`,
          clientId: clients[expense % clients.length],
          date: `2026-${String((expense % 11) + 1).padStart(2, '0')}-15`,
          merchant: `Fournisseur ${expense % 997}`,
          amountCents: 100 + ((expense * 37) % 500_000),
          currency: 'EUR',
          cardHolder: { name: `Porteur ${expense % 50}`, email: `porteur${expense % 50}@client.test` },
          receipt: receipts[(expense + (update ? 1 : 0)) % 3],
          readyToExport: (expense + (update ? 1 : 0)) % 2 === 0,
          version: update ? 2 + n : 1,
        },
      };
    });
    const body = JSON.stringify({ events });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const started = process.hrtime.bigint();
    const response = await webhookPost(
      new Request('http://localhost/api/webhooks/platform', {
        method: 'POST',
        body,
        headers: {
          'x-platform-timestamp': timestamp,
          'x-platform-signature': signPlatformPayload(SECRET, timestamp, body),
        },
      }),
    );
    const answer = (await response.json()) as { applied: number };
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (response.status !== 200 || answer.applied !== BATCH)
      throw new Error(`batch ${b}: status ${response.status}, ${answer.applied} applied`);
    perEvent.push(ms / BATCH);
  }
  const [rows] = await queryRows<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM expenses WHERE platform_id LIKE 'bench-%'`,
  );
  const [wrong] = await queryRows<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM clients c
    WHERE c.firm_id = (SELECT id FROM firms WHERE name = 'Cabinet Ingestion')
      AND (c.missing_receipts <> (SELECT count(*) FROM expenses e WHERE e.client_id = c.id AND e.receipt_state = 'missing')
        OR c.ready_to_export <> (SELECT count(*) FROM expenses e WHERE e.client_id = c.id AND e.export_state = 'ready'))`);
  const early = median(perEvent.slice(0, 10));
  const late = median(perEvent.slice(-10));
  const tableAt = (batches: number) => Math.round(batches * BATCH * 0.8);
  console.log('| events sent | expenses in the table | ms per event (median of 10 batches of 1,000) |');
  console.log('|---|---|---|');
  console.log(`| 1–10,000 | 0–${tableAt(10)} | ${early.toFixed(3)} |`);
  console.log(`| 90,001–100,000 | ${tableAt(90)}–${tableAt(100)} | ${late.toFixed(3)} |`);
  console.log(`time per event at 100,000 / at 10,000: ${(late / early).toFixed(2)} (target ≤ 1.3)`);
  console.log(`expenses created: ${rows!.n}; clients whose counters differ from a recount: ${wrong!.n} (target 0)`);
  console.log(`whole run: ${((perEvent.reduce((a, b) => a + b, 0) * BATCH) / 1000).toFixed(1)} s for ${EVENTS} events`);
  await closeDatabase();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
