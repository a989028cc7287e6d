import './public-url';
import { sql } from 'drizzle-orm';
import { queryRows, sqlArray } from '@/db';
import { assignClients } from '@/lib/assignments/assign';
import { addToGroup } from '@/lib/groups/groups';
import { setCloseRoles } from '@/lib/close/board';
import { withTestDatabase } from './db';
import { postSignedToPlatformWebhook } from './platform';
import { createClient, createFirm, createUser } from './factories';

const db = withTestDatabase();
const SECRET = 'secret-partage-plateforme-123';
// The report raced « Attribuer à… » against batches of a few dozen clients.
const CLIENTS = 40;

function postBatch(events: unknown[]) {
  return postSignedToPlatformWebhook(JSON.stringify({ events }), SECRET);
}

async function deadlocksSoFar(): Promise<number> {
  if (!process.env.DATABASE_URL) return 0;
  const [row] = await queryRows<{ n: number }>(
    sql`SELECT deadlocks::int AS n FROM pg_stat_database WHERE datname = current_database()`,
  );
  return row!.n;
}

/**
 * The same batch each round: the expenses of every client but the first (by id), their receipt
 * toggled (the counters' update path, whose plan visits clients in hash order), then the first's
 * balance. Each test names its own expenses (`prefix`), so as not to move the previous test's.
 */
function batchOf(round: number, first: string, rest: string[], { prefix = 'course', date = '2026-11-20' } = {}) {
  const events: unknown[] = rest.map((clientId, i) => ({
    id: `${prefix}-${round}-${i}`,
    type: 'expense.upserted',
    data: {
      expenseId: `${prefix}-${i}`,
      clientId,
      date,
      merchant: 'SNCF',
      amountCents: 4_200,
      currency: 'EUR',
      receipt: round % 2 ? 'attached' : 'missing',
      readyToExport: false,
      version: round + 1,
    },
  }));
  events.push({
    id: `${prefix}-solde-${round}`,
    type: 'client.balance_updated',
    data: {
      clientId: first,
      balanceCents: round * 100,
      currency: 'EUR',
      asOf: new Date(Date.UTC(2026, 10, 1, 0, round)).toISOString(),
    },
  });
  return postBatch(events).then(async (response) => ({ status: response.status, body: await response.json() }));
}

describe('a client group filled while the platform’s batches change the same clients', () => {
  it('races 60 times without an error or a deadlock, and each member’s copy of its client’s state stays exact', async () => {
    const firm = await createFirm();
    const admin = { ...(await createUser(firm.id, { role: 'admin' })), role: 'admin' as const };
    const clientIds: string[] = [];
    for (let i = 0; i < CLIENTS; i += 1) clientIds.push((await createClient(firm.id, { name: `Groupe ${i}` })).id);
    const [group] = await queryRows<{ id: string }>(
      sql`INSERT INTO client_groups (firm_id, name) VALUES (${firm.id}, 'Grands comptes') RETURNING id`,
    );
    const [first, ...rest] = [...clientIds].sort();
    const before = await deadlocksSoFar();
    const errors: unknown[] = [];
    for (let round = 0; round < 60; round += 1) {
      await db.execute(sql`DELETE FROM client_group_members WHERE group_id = ${group!.id}`);
      // The clients in descending order: the insert's own order is not the lock order.
      const [added, batch] = await Promise.allSettled([
        addToGroup(admin, group!.id, [...clientIds].reverse()),
        batchOf(round, first!, rest),
      ]);
      if (added.status === 'rejected') errors.push(added.reason);
      else expect(added.value).toBe(CLIENTS);
      if (batch.status === 'rejected') errors.push(batch.reason);
      else if (batch.value.status !== 200) errors.push(batch.value);
    }
    expect(errors).toEqual([]);
    expect((await deadlocksSoFar()) - before).toBe(0);
    const differing = await queryRows(
      sql`SELECT m.client_id FROM client_group_members m JOIN clients c ON c.id = m.client_id
          WHERE m.client_status <> c.status OR m.client_missing <> (c.missing_receipts > 0)`,
    );
    expect(differing).toEqual([]);
  });
});

describe('« Attribuer à… » and the platform’s batches over the same clients', () => {
  it('race 100 times without an error, and without PostgreSQL ever breaking a deadlock', async () => {
    const firm = await createFirm();
    const admin = { ...(await createUser(firm.id, { role: 'admin' })), role: 'admin' as const };
    const lea = await createUser(firm.id);
    const clientIds: string[] = [];
    for (let i = 0; i < CLIENTS; i += 1) clientIds.push((await createClient(firm.id, { name: `Client ${i}` })).id);
    // The batch's expenses are for every client but the first (by id), and its balance for the first:
    // applied in that order, its statements used to lock the first client last, while the
    // assignment share-locks it first — the cycle the report found.
    const [first, ...rest] = [...clientIds].sort();
    const before = await deadlocksSoFar();
    const errors: unknown[] = [];
    for (let round = 0; round < 100; round += 1) {
      await db.execute(sql`DELETE FROM assignments WHERE user_id = ${lea.id}`);
      const [assigned, batch] = await Promise.allSettled([
        assignClients(admin, clientIds, lea.id),
        batchOf(round, first!, rest, { prefix: 'attribuer' }),
      ]);
      if (assigned.status === 'rejected') errors.push(assigned.reason);
      else expect(assigned.value).toBe(CLIENTS);
      if (batch.status === 'rejected') errors.push(batch.reason);
      else if (batch.value.status !== 200) errors.push(batch.value);
    }
    expect(errors).toEqual([]);
    expect((await deadlocksSoFar()) - before).toBe(0);
    const [counts] = await queryRows<{ expenses: number; assigned: number }>(
      sql`SELECT (SELECT count(*)::int FROM expenses WHERE platform_id LIKE 'attribuer-%') AS expenses,
                 (SELECT count(*)::int FROM assignments WHERE user_id = ${lea.id}) AS assigned`,
    );
    expect(counts).toEqual({ expenses: CLIENTS - 1, assigned: CLIENTS });
    // Léa's board copies (assigned_months, migration 0045) are exact, though each round's
    // assignments raced the batch's months — the first round's new ones included.
    const wrong = await queryRows(
      sql`SELECT m.client_id, m.month FROM client_months m
          JOIN assignments a ON a.client_id = m.client_id AND a.user_id = ${lea.id}
          LEFT JOIN assigned_months s ON s.client_id = m.client_id AND s.month = m.month AND s.user_id = a.user_id
          WHERE s.client_id IS NULL
             OR (s.status, s.missing, s.to_code, s.vat_at_risk_cents, s.close_on, s.client_active)
                IS DISTINCT FROM (m.status, m.missing, m.to_code, m.vat_at_risk_cents, m.close_on, m.client_active)`,
    );
    expect(wrong).toEqual([]);
    const [copies] = await queryRows<{ months: number; copies: number }>(
      sql`SELECT (SELECT count(*)::int FROM client_months m JOIN assignments a ON a.client_id = m.client_id
                  WHERE a.user_id = ${lea.id}) AS months,
                 (SELECT count(*)::int FROM assigned_months WHERE user_id = ${lea.id}) AS copies`,
    );
    expect(copies!.months).toBeGreaterThanOrEqual(CLIENTS - 1);
    expect(copies!.copies).toBe(copies!.months);
  });
});

describe('preparers set on the close board while the platform’s batches change the same clients', () => {
  it('race 50 times without an error or a deadlock, and the board’s copies stay exact', async () => {
    const firm = await createFirm();
    const admin = { ...(await createUser(firm.id, { role: 'admin' })), role: 'admin' as const };
    const people = [await createUser(firm.id), await createUser(firm.id)];
    const clientIds: string[] = [];
    for (let i = 0; i < CLIENTS; i += 1) clientIds.push((await createClient(firm.id, { name: `Roles ${i}` })).id);
    const [first, ...rest] = [...clientIds].sort();
    const before = await deadlocksSoFar();
    const errors: unknown[] = [];
    for (let round = 0; round < 50; round += 1) {
      // A new month every ten rounds: the months' rows and their copies are inserted too.
      const date = `2026-${String(1 + Math.floor(round / 10)).padStart(2, '0')}-20`;
      const [set, batch] = await Promise.allSettled([
        // The clients in descending order: the statement's own order is not the lock order.
        setCloseRoles(admin, [...clientIds].reverse(), { preparerId: people[round % 2]!.id }),
        batchOf(round, first!, rest, { prefix: 'roles', date }),
      ]);
      if (set.status === 'rejected') errors.push(set.reason);
      else expect(set.value).toBe(CLIENTS);
      if (batch.status === 'rejected') errors.push(batch.reason);
      else if (batch.value.status !== 200) errors.push(batch.value);
    }
    expect(errors).toEqual([]);
    expect((await deadlocksSoFar()) - before).toBe(0);
    // Each month's preparer is its client's, and each copy is its month's.
    const wrong = await queryRows(
      sql`SELECT m.client_id, m.month, a.user_id FROM client_months m
          JOIN clients c ON c.id = m.client_id
          LEFT JOIN assignments a ON a.client_id = m.client_id
          LEFT JOIN assigned_months s ON s.client_id = m.client_id AND s.month = m.month AND s.user_id = a.user_id
          WHERE c.firm_id = ${firm.id}
            AND (m.preparer_id IS DISTINCT FROM c.close_preparer_id
              OR (a.user_id IS NOT NULL AND (s.client_id IS NULL
                OR (s.preparer_id, s.status, s.missing, s.vat_at_risk_cents) IS DISTINCT FROM
                   (m.preparer_id, m.status, m.missing, m.vat_at_risk_cents))))`,
    );
    expect(wrong).toEqual([]);
    const [months] = await queryRows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM client_months m JOIN clients c ON c.id = m.client_id WHERE c.firm_id = ${firm.id}`,
    );
    expect(months!.n).toBeGreaterThanOrEqual(5 * (CLIENTS - 1));
  });
});

/** On PostgreSQL, until some statement of this database waits on a row lock (PGlite runs one at a time). */
async function untilOneWaitsOnALock() {
  for (let tries = 0; tries < 300; tries += 1) {
    const [row] = await queryRows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (row!.n > 0) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the batch never waited on a lock');
}

(process.env.DATABASE_URL ? describe : describe.skip)('the cycle, step by step (PostgreSQL)', () => {
  it('a batch holds no client while it waits for one: an assignment that holds the first client gets the others', async () => {
    const firm = await createFirm();
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) ids.push((await createClient(firm.id, { name: `Pas ${i}` })).id);
    const [first, ...rest] = ids.sort();
    // The assignment's first step: the first client (by id) share-locked, in an open transaction.
    const release = deferred();
    const locked = deferred();
    const assignment = db.transaction(async (tx) => {
      await tx.execute(sql`SELECT id FROM clients WHERE id = ${first} FOR SHARE`);
      locked.resolve();
      await release.promise;
      // Its next step: the other clients, as « Attribuer à… » takes them, in id order.
      await tx.execute(sql`SET LOCAL lock_timeout = '3s'`);
      await tx.execute(sql`SELECT id FROM clients WHERE id = ANY(${sqlArray(rest, 'uuid')}) ORDER BY id FOR SHARE`);
    });
    await locked.promise;
    // A batch with expenses of the other clients, then a balance of the first.
    const batch = postBatch([
      ...rest.map((clientId, i) => ({
        id: `pas-${i}`,
        type: 'expense.upserted',
        data: {
          expenseId: `pas-${i}`,
          clientId,
          date: '2026-11-20',
          merchant: 'SNCF',
          amountCents: 4_200,
          currency: 'EUR',
          receipt: 'missing',
          readyToExport: false,
          version: 1,
        },
      })),
      {
        id: 'pas-solde',
        type: 'client.balance_updated',
        data: { clientId: first, balanceCents: 100, currency: 'EUR', asOf: '2026-11-20T10:00:00Z' },
      },
    ]);
    await untilOneWaitsOnALock();
    release.resolve();
    // Before: the batch held the other clients (their counters) while it waited for the first, and
    // the assignment waited for them: a deadlock, or the lock time-out.
    await expect(assignment).resolves.toBeUndefined();
    expect((await batch).status).toBe(200);
  });
});

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
