import { sql } from 'drizzle-orm';
import { queryRows, sqlArray, type Tx } from '@/db';
import type { BalanceUpdated, EventResult, ExpenseUpserted, PlatformEvent } from './events';
import { resolveBalances, resolveExpenseEvents, type ExpenseEvent, type StoredExpense } from './resolve';
import { suggestCodings } from '@/lib/bookkeeping/rules';

// Applies a batch of platform events in the caller's transaction, set-based: a constant number of
// statements whatever the batch's size (the ingestion benchmark holds 1,000-event batches against
// 100,000 expenses). Why one transaction per batch rather than one per event: a batch is the
// platform's unit of delivery and retry; all of it or none of it keeps "retry the batch" safe (the
// event ids already applied answer « duplicate »), and per-event transactions would cost 1,000
// commits. What can go wrong with one event alone (unknown client, stale version, another
// client's expense) is not an error: it is that event's result in the answer, and the others apply.
//
// Out-of-order and repeated deliveries are normal:
// - an event id seen before changes nothing (webhook_events);
// - an expense event applies only with a version above the stored one (the expense's, or its
//   tombstone's once deleted): a late upsert does not bring a deleted expense back, and the end
//   state is the highest version's whatever the order of arrival;
// - a balance applies only with an as-of time after the stored one;
// - an expense exported in the portal stays exported unless the event says `exportReversed`;
// - a receipt received through the portal stays, whatever « missing » the platform still says.
// The per-client counters follow by the triggers on expenses (migration 0000). What each event
// does is decided by the pure functions of ./resolve.ts; this file reads and writes, under locks.

export async function applyPlatformEvents(
  tx: Tx,
  events: { index: number; event: Exclude<PlatformEvent, { type: 'client.verification_updated' }> }[],
  results: EventResult[],
): Promise<void> {
  if (events.length === 0) return;

  // 1. Clients: an expense or a balance is for a connected client of the portal.
  const clientIds = [
    ...new Set(events.flatMap(({ event }) => ('clientId' in event.data ? [event.data.clientId] : []))),
  ];
  // The batch's clients are locked first, in id order: every change below (the counters' triggers,
  // the assignments' copies, the balances) then finds its client row already held, so this batch
  // and « Attribuer à… » (which share-locks its clients in id order too) or another batch never
  // wait on each other in a cycle. Before, the counters' triggers locked clients in the order of
  // the batch's expenses, and a bulk assignment over the same clients deadlocked with it.
  const known = new Set(
    (
      await queryRows<{ id: string }>(
        sql`SELECT id FROM clients WHERE id = ANY(${sqlArray(clientIds.sort(), 'uuid')}) AND status = 'active'
            ORDER BY id FOR NO KEY UPDATE`,
        tx,
      )
    ).map((c) => c.id),
  );
  const candidates = events.filter(({ index, event }) => {
    if ('clientId' in event.data && !known.has(event.data.clientId)) {
      results[index] = 'unknown_client';
      return false;
    }
    return true;
  });

  // 2. Each event id once: those recorded before (or twice in this batch) are duplicates.
  const seen = new Set<string>();
  const unique = candidates.filter(({ index, event }) => {
    if (seen.has(event.id)) {
      results[index] = 'duplicate';
      return false;
    }
    seen.add(event.id);
    return true;
  });
  const fresh = new Set(
    (
      await queryRows<{ id: string }>(
        sql`INSERT INTO webhook_events (id, type)
            SELECT * FROM unnest(${sqlArray(
              unique.map((e) => e.event.id),
              'text',
            )}, ${sqlArray(
              unique.map((e) => e.event.type),
              'text',
            )})
            ON CONFLICT (id) DO NOTHING RETURNING id`,
        tx,
      )
    ).map((r) => r.id),
  );
  const toApply = unique.filter(({ index, event }) => {
    if (fresh.has(event.id)) return true;
    results[index] = 'duplicate';
    return false;
  });

  await applyExpenseEvents(
    tx,
    toApply.filter((e): e is { index: number; event: ExpenseEvent } => e.event.type.startsWith('expense.')),
    results,
  );
  await applyBalances(
    tx,
    toApply.filter((e): e is { index: number; event: BalanceUpdated } => e.event.type === 'client.balance_updated'),
    results,
  );
}

async function applyExpenseEvents(
  tx: Tx,
  events: { index: number; event: ExpenseEvent }[],
  results: EventResult[],
): Promise<void> {
  if (events.length === 0) return;
  const ids = [...new Set(events.map((e) => e.event.data.expenseId))].sort();
  // One writer per expense at a time, across concurrent batches: advisory locks taken in one
  // order (so two batches never wait on each other in a cycle), held to the commit. They also
  // cover expenses that do not exist yet, which row locks cannot.
  await tx.execute(sql`
    SELECT count(pg_advisory_xact_lock(h)) FROM (
      SELECT DISTINCT hashtext('platform-expense:' || id) AS h FROM unnest(${sqlArray(ids, 'text')}) AS id ORDER BY 1
    ) locks`);
  const stored = new Map<string, StoredExpense>();
  for (const row of await queryRows<{ platform_id: string; client_id: string; version: string | number }>(
    sql`SELECT platform_id, client_id, version FROM expenses WHERE platform_id = ANY(${sqlArray(ids, 'text')})`,
    tx,
  ))
    stored.set(row.platform_id, {
      clientId: row.client_id,
      version: Number(row.version),
      deleted: false,
      exists: true,
    });
  for (const row of await queryRows<{ platform_id: string; client_id: string | null; version: string | number }>(
    sql`SELECT platform_id, client_id, version FROM expense_tombstones WHERE platform_id = ANY(${sqlArray(ids, 'text')})`,
    tx,
  ))
    stored.set(row.platform_id, {
      clientId: row.client_id,
      version: Number(row.version),
      deleted: true,
      exists: stored.get(row.platform_id)?.exists ?? false,
    });

  // What the batch does, decided without the database (lib/platform/resolve.ts).
  const { results: outcomes, upserts, deletes, revived } = resolveExpenseEvents(events, stored);
  for (const [index, outcome] of outcomes) results[index] = outcome;

  if (revived.length > 0)
    await tx.execute(sql`DELETE FROM expense_tombstones WHERE platform_id = ANY(${sqlArray(revived, 'text')})`);
  // Known expenses are updated, new ones inserted: which is which was read under the locks, so
  // that neither statement has to look for the other's rows (an anti-join on the whole table would
  // grow with it).
  const known = upserts.filter((u) => u.exists).map((u) => u.data);
  const created = upserts.filter((u) => !u.exists).map((u) => u.data);
  const columns = sql`platform_id text, client_id uuid, spent_on date, merchant text, amount_cents bigint,
      currency text, holder_name text, holder_email text, receipt receipt_state, platform_ready boolean,
      category text, note text, version bigint, export_reversed boolean`;
  if (known.length > 0) {
    // An exported expense stays exported (with its export) unless the event reverses the export.
    await tx.execute(sql`
      UPDATE expenses e SET spent_on = v.spent_on, merchant = v.merchant, amount_cents = v.amount_cents,
        currency = v.currency, card_holder_name = v.holder_name, card_holder_email = v.holder_email,
        -- A receipt the portal received (or a « pas de reçu » it was told) is not undone by a
        -- platform that still says « missing »: the platform does not know of it.
        receipt_state = CASE WHEN e.receipt_answered_at IS NOT NULL AND v.receipt = 'missing'
                             THEN e.receipt_state ELSE v.receipt END,
        category = v.category, note = v.note, version = v.version, updated_at = now(),
        -- The platform's readyToExport is one input of « prête à être exportée » (with the coding
        -- and the receipt): the trigger pp_expense_export_state computes export_state from them.
        platform_ready = v.platform_ready,
        export_state = CASE WHEN e.export_state = 'exported' AND NOT v.export_reversed THEN 'exported'::export_state ELSE 'not_ready'::export_state END,
        export_id = CASE WHEN e.export_state = 'exported' AND NOT v.export_reversed THEN e.export_id ELSE NULL END
      FROM jsonb_to_recordset(${recordset(known)}::jsonb) AS v(${columns})
      WHERE e.platform_id = v.platform_id AND e.version < v.version
        -- Named by the unique index as well: whatever the statistics say of a table growing by
        -- thousands of rows a minute, the rows are found by the index, never by a scan.
        AND e.platform_id = ANY(${sqlArray(
          known.map((u) => u.expenseId),
          'text',
        )})`);
  }
  if (created.length > 0) {
    const inserted = await queryRows<{ id: string }>(
      sql`
      INSERT INTO expenses (platform_id, client_id, spent_on, merchant, amount_cents, currency, card_holder_name,
        card_holder_email, receipt_state, platform_ready, export_state, category, note, version, updated_at)
      SELECT v.platform_id, v.client_id, v.spent_on, v.merchant, v.amount_cents, v.currency, v.holder_name,
        v.holder_email, v.receipt, v.platform_ready, 'not_ready', v.category, v.note, v.version, now()
      FROM jsonb_to_recordset(${recordset(created)}::jsonb) AS v(${columns})
      RETURNING id`,
      tx,
    );
    // New expenses are coded by the rules of their client and firm, as suggestions (one statement).
    await suggestCodings(
      tx,
      inserted.map((row) => row.id),
    );
  }
  if (deletes.length > 0) {
    await tx.execute(
      sql`DELETE FROM expenses WHERE platform_id = ANY(${sqlArray(
        deletes.map((d) => d.expenseId),
        'text',
      )})`,
    );
    await tx.execute(sql`
      INSERT INTO expense_tombstones (platform_id, client_id, version)
      SELECT * FROM unnest(${sqlArray(
        deletes.map((d) => d.expenseId),
        'text',
      )}, ${sqlArray(
        deletes.map((d) => d.clientId),
        'uuid',
      )}, ${sqlArray(
        deletes.map((d) => d.version),
        'bigint',
      )})
      ON CONFLICT (platform_id) DO UPDATE SET version = EXCLUDED.version,
        client_id = COALESCE(EXCLUDED.client_id, expense_tombstones.client_id), deleted_at = now()`);
  }
}

/** Upserts as one jsonb parameter, read back by jsonb_to_recordset. */
function recordset(upserts: ExpenseUpserted['data'][]): string {
  return JSON.stringify(
    upserts.map((u) => ({
      platform_id: u.expenseId,
      client_id: u.clientId,
      spent_on: u.date,
      merchant: u.merchant,
      amount_cents: u.amountCents,
      currency: u.currency,
      holder_name: u.cardHolder?.name ?? null,
      holder_email: u.cardHolder?.email?.toLowerCase() ?? null,
      receipt: u.receipt,
      platform_ready: u.readyToExport,
      category: u.category ?? null,
      note: u.note ?? null,
      version: u.version,
      export_reversed: u.exportReversed === true,
    })),
  );
}

async function applyBalances(
  tx: Tx,
  events: { index: number; event: BalanceUpdated }[],
  results: EventResult[],
): Promise<void> {
  if (events.length === 0) return;
  const clientIds = [...new Set(events.map((e) => e.event.data.clientId))].sort();
  // Row locks in one order: two batches updating the same clients never deadlock on each other.
  const current = new Map(
    (
      await queryRows<{ id: string; as_of: string | Date | null }>(
        sql`SELECT id, balance_as_of AS as_of FROM clients WHERE id = ANY(${sqlArray(clientIds, 'uuid')})
            ORDER BY id FOR UPDATE`,
        tx,
      )
    ).map((c) => [c.id, c.as_of === null ? -Infinity : new Date(c.as_of).getTime()]),
  );
  const { results: outcomes, latest } = resolveBalances(events, current);
  for (const [index, outcome] of outcomes) results[index] = outcome;
  if (latest.length === 0) return;
  const rows = JSON.stringify(
    latest.map((b) => ({
      id: b.clientId,
      balance_cents: b.balanceCents,
      currency: b.currency,
      as_of: new Date(b.asOf).toISOString(),
    })),
  );
  await tx.execute(sql`
    UPDATE clients c SET balance_cents = v.balance_cents, currency = v.currency, balance_as_of = v.as_of
    FROM jsonb_to_recordset(${rows}::jsonb) AS v(id uuid, balance_cents bigint, currency text, as_of timestamptz)
    WHERE c.id = v.id AND (c.balance_as_of IS NULL OR c.balance_as_of < v.as_of)`);
}
