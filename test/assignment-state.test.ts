import { and, eq, sql } from 'drizzle-orm';
import { queryRows } from '@/db';
import { assignments, clients, expenses } from '@/db/schema';
import { withTestDatabase } from './db';
import { addExpenses, createClient, createFirm, createUser } from './factories';

const db = withTestDatabase();

/** What each assignment of a client says of it, by user. */
async function carried(clientId: string) {
  const rows = await db
    .select({ userId: assignments.userId, status: assignments.clientStatus, missing: assignments.clientMissing })
    .from(assignments)
    .where(eq(assignments.clientId, clientId));
  return Object.fromEntries(rows.map((r) => [r.userId, { status: r.status, missing: r.missing }]));
}

/** Assignments whose copy differs from their client: none, ever. */
async function disagreements() {
  const rows = await db
    .select({ clientId: assignments.clientId })
    .from(assignments)
    .innerJoin(clients, eq(clients.id, assignments.clientId))
    .where(
      sql`(${assignments.clientStatus}, ${assignments.clientMissing}) IS DISTINCT FROM (${clients.status}, ${clients.missingReceipts} > 0)`,
    );
  return rows.length;
}

/**
 * On PostgreSQL, until a statement of this database waits on a lock: the race under test is then
 * really happening, whatever the machine's speed. PGlite runs one statement at a time (the second
 * transaction simply queues), so there is nothing to wait for.
 */
async function untilOneWaitsOnALock() {
  if (!process.env.DATABASE_URL) return;
  for (let tries = 0; tries < 200; tries += 1) {
    const [row] = await queryRows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (row!.n > 0) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('no statement waits on the client’s row lock');
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("an assignment's copy of its client's state", () => {
  it('is taken at insert, whatever the insert says, and follows the status and the missing receipts', async () => {
    const firm = await createFirm();
    const lea = await createUser(firm.id);
    const hugo = await createUser(firm.id);
    const client = await createClient(firm.id, { status: 'invitation', team: [lea.id] });
    expect(await carried(client.id)).toEqual({ [lea.id]: { status: 'invitation', missing: false } });

    // An insert that claims another state gets the client's.
    await db
      .insert(assignments)
      .values({ firmId: firm.id, clientId: client.id, userId: hugo.id, clientStatus: 'active', clientMissing: true });
    expect(await carried(client.id)).toEqual({
      [lea.id]: { status: 'invitation', missing: false },
      [hugo.id]: { status: 'invitation', missing: false },
    });

    for (const status of ['onboarding', 'active'] as const) {
      await db.update(clients).set({ status }).where(eq(clients.id, client.id));
      expect(Object.values(await carried(client.id)).map((c) => c.status)).toEqual([status, status]);
    }

    // Missing receipts: none → some → still some → none, through the expense counters.
    const added = await addExpenses(client.id, 2, { receipt: 'missing' });
    expect(Object.values(await carried(client.id)).map((c) => c.missing)).toEqual([true, true]);
    await db.update(expenses).set({ receiptState: 'attached' }).where(eq(expenses.id, added[0]!.id));
    expect(Object.values(await carried(client.id)).map((c) => c.missing)).toEqual([true, true]);
    await db.update(expenses).set({ receiptState: 'attached' }).where(eq(expenses.clientId, client.id));
    expect(Object.values(await carried(client.id)).map((c) => c.missing)).toEqual([false, false]);

    // A client that already has a missing receipt gives it to a new assignment.
    const other = await createClient(firm.id);
    await addExpenses(other.id, 1, { receipt: 'missing' });
    await db.insert(assignments).values({ firmId: firm.id, clientId: other.id, userId: lea.id });
    expect(await carried(other.id)).toEqual({ [lea.id]: { status: 'active', missing: true } });
    await db.delete(expenses).where(eq(expenses.clientId, other.id));
    expect(await carried(other.id)).toEqual({ [lea.id]: { status: 'active', missing: false } });

    // Writing the copy directly does not survive the next change of the client.
    await db.update(assignments).set({ clientStatus: 'declined' }).where(eq(assignments.clientId, other.id));
    await db.update(clients).set({ status: 'onboarding' }).where(eq(clients.id, other.id));
    expect(await carried(other.id)).toEqual({ [lea.id]: { status: 'onboarding', missing: false } });
    expect(await disagreements()).toBe(0);
  });

  it('refuses an assignment to a client that does not exist with the foreign key, not a null', async () => {
    const firm = await createFirm();
    const lea = await createUser(firm.id);
    const error = await db
      .insert(assignments)
      .values({ firmId: firm.id, clientId: '00000000-0000-4000-8000-000000000000', userId: lea.id })
      .then(
        () => undefined,
        (e: unknown) => e as { code?: string; cause?: { code?: string } },
      );
    expect(error?.cause?.code ?? error?.code).toBe('23503');
  });

  // Two transactions at once: the status change first, the assignment while it is open, and the
  // other way round. Either way the assignment ends with the status that was committed last.
  it('agrees with a status change made at the same time as the assignment', async () => {
    const firm = await createFirm();
    const lea = await createUser(firm.id);
    const hugo = await createUser(firm.id);
    const first = await createClient(firm.id, { status: 'onboarding' });
    const second = await createClient(firm.id, { status: 'onboarding' });

    // 1. The status changes in an open transaction; the assignment comes meanwhile.
    const changed = deferred();
    const commit = deferred();
    const change = db.transaction(async (tx) => {
      await tx.update(clients).set({ status: 'active' }).where(eq(clients.id, first.id));
      changed.resolve();
      await commit.promise;
    });
    await changed.promise;
    // Started now (a query builder runs only when executed), it waits on the open transaction.
    const assign = db.insert(assignments).values({ firmId: firm.id, clientId: first.id, userId: lea.id }).execute();
    await untilOneWaitsOnALock();
    commit.resolve();
    await Promise.all([change, assign]);
    expect(await carried(first.id)).toEqual({ [lea.id]: { status: 'active', missing: false } });

    // 2. The assignment is made in an open transaction; the status changes meanwhile.
    const inserted = deferred();
    const commitInsert = deferred();
    const insert = db.transaction(async (tx) => {
      await tx.insert(assignments).values({ firmId: firm.id, clientId: second.id, userId: hugo.id });
      inserted.resolve();
      await commitInsert.promise;
    });
    await inserted.promise;
    const activate = db.update(clients).set({ status: 'active' }).where(eq(clients.id, second.id)).execute();
    await untilOneWaitsOnALock();
    commitInsert.resolve();
    await Promise.all([insert, activate]);
    expect(await carried(second.id)).toEqual({ [hugo.id]: { status: 'active', missing: false } });
    expect(await disagreements()).toBe(0);

    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(assignments)
      .where(and(eq(assignments.firmId, firm.id), eq(assignments.clientStatus, 'active')));
    expect(row!.n).toBe(2);
  });
});
