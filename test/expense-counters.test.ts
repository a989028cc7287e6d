import { eq, sql } from 'drizzle-orm';
import { clients, expenses } from '@/db/schema';
import { withTestDatabase } from './db';
import { addExpenses, createClient, createFirm } from './factories';

const db = withTestDatabase();

async function counters(clientId: string) {
  const [row] = await db
    .select({ missing: clients.missingReceipts, ready: clients.readyToExport })
    .from(clients)
    .where(eq(clients.id, clientId));
  return row;
}

async function actual(clientId: string) {
  const [row] = await db
    .select({
      missing: sql<number>`count(*) FILTER (WHERE ${expenses.receiptState} = 'missing')::int`,
      ready: sql<number>`count(*) FILTER (WHERE ${expenses.exportState} = 'ready')::int`,
    })
    .from(expenses)
    .where(eq(expenses.clientId, clientId));
  return row;
}

describe('per-client expense counters', () => {
  it('follow inserts, updates and deletes, in bulk and one at a time', async () => {
    const firm = await createFirm();
    const a = await createClient(firm.id);
    const b = await createClient(firm.id);
    await addExpenses(a.id, 5, { receipt: 'missing', export: 'ready' });
    await addExpenses(a.id, 3, { receipt: 'attached', export: 'not_ready' });
    await addExpenses(b.id, 2, { receipt: 'missing', export: 'exported' });
    expect(await counters(a.id)).toEqual({ missing: 5, ready: 5 });
    expect(await counters(b.id)).toEqual({ missing: 2, ready: 0 });

    // A receipt attached, an export done: both counters move in the same statement.
    await db
      .update(expenses)
      .set({ receiptState: 'attached', exportState: 'exported' })
      .where(eq(expenses.clientId, a.id));
    expect(await counters(a.id)).toEqual({ missing: 0, ready: 0 });

    const [one] = await db.select().from(expenses).where(eq(expenses.clientId, b.id)).limit(1);
    await db.update(expenses).set({ clientId: a.id, exportState: 'ready' }).where(eq(expenses.id, one!.id));
    expect(await counters(a.id)).toEqual(await actual(a.id));
    expect(await counters(b.id)).toEqual(await actual(b.id));
    expect(await counters(b.id)).toEqual({ missing: 1, ready: 0 });

    await db.delete(expenses).where(eq(expenses.clientId, a.id));
    expect(await counters(a.id)).toEqual({ missing: 0, ready: 0 });
  });
});
