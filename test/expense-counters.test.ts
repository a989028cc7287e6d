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
    await addExpenses(a.id, 5, { receipt: 'attached', export: 'ready' });
    await addExpenses(a.id, 4, { receipt: 'missing', export: 'not_ready' });
    await addExpenses(a.id, 3, { receipt: 'attached', export: 'not_ready' });
    await addExpenses(b.id, 2, { receipt: 'missing', export: 'exported' });
    expect(await counters(a.id)).toEqual({ missing: 4, ready: 5 });
    expect(await counters(b.id)).toEqual({ missing: 2, ready: 0 });

    // A receipt attached, an export done: both counters move in the same statement.
    await db
      .update(expenses)
      .set({ receiptState: 'attached', exportState: 'exported' })
      .where(eq(expenses.clientId, a.id));
    expect(await counters(a.id)).toEqual({ missing: 0, ready: 0 });

    const [one] = await db.select().from(expenses).where(eq(expenses.clientId, b.id)).limit(1);
    await db.update(expenses).set({ clientId: a.id }).where(eq(expenses.id, one!.id));
    expect(await counters(a.id)).toEqual(await actual(a.id));
    expect(await counters(b.id)).toEqual(await actual(b.id));
    expect(await counters(b.id)).toEqual({ missing: 1, ready: 0 });

    await db.delete(expenses).where(eq(expenses.clientId, a.id));
    expect(await counters(a.id)).toEqual({ missing: 0, ready: 0 });
  });
});

describe('« prête à être exportée », computed by the database', () => {
  it('needs the platform, a coding reviewed and a receipt (or none required), whatever the application writes', async () => {
    const firm = await createFirm();
    const client = await createClient(firm.id);
    const [row] = await addExpenses(client.id, 1, { receipt: 'attached' });
    const state = async () =>
      (await db.select({ s: expenses.exportState }).from(expenses).where(eq(expenses.id, row!.id)))[0]!.s;
    // Written « ready » by someone who has not coded it: the database says not ready.
    await db.update(expenses).set({ exportState: 'ready' }).where(eq(expenses.id, row!.id));
    expect(await state()).toBe('not_ready');
    await db.update(expenses).set({ platformReady: true }).where(eq(expenses.id, row!.id));
    expect(await state()).toBe('not_ready');
    await db.update(expenses).set({ codingState: 'coded' }).where(eq(expenses.id, row!.id));
    expect(await state()).toBe('not_ready');
    await db.update(expenses).set({ codingState: 'reviewed' }).where(eq(expenses.id, row!.id));
    expect(await state()).toBe('ready');
    expect(await counters(client.id)).toEqual({ missing: 0, ready: 1 });
    await db.update(expenses).set({ receiptState: 'missing' }).where(eq(expenses.id, row!.id));
    expect(await state()).toBe('not_ready');
    await db.update(expenses).set({ receiptState: 'not_required' }).where(eq(expenses.id, row!.id));
    expect(await state()).toBe('ready');
    await db.update(expenses).set({ platformReady: false }).where(eq(expenses.id, row!.id));
    expect(await state()).toBe('not_ready');
    expect(await counters(client.id)).toEqual(await actual(client.id));
  });
});
