import fc from 'fast-check';
import type { BalanceUpdated } from '@/lib/platform/events';
import { resolveBalances, resolveExpenseEvents, type ExpenseEvent, type StoredExpense } from '@/lib/platform/resolve';

// The platform's batches decided without the database (lib/platform/resolve.ts), on every order and
// every split that fast-check finds: the end state is the highest version's, a batch applied twice
// changes nothing the second time, and an event reported `applied` is one that was written.

const CLIENT = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';
type Row = StoredExpense & { amountCents?: number };

function upsert(expenseId: string, version: number, clientId = CLIENT): ExpenseEvent {
  return {
    id: `u-${expenseId}-${version}-${clientId.slice(-1)}`,
    type: 'expense.upserted',
    data: {
      expenseId,
      clientId,
      date: '2026-11-20',
      merchant: 'Marchand',
      amountCents: version * 100,
      currency: 'EUR',
      receipt: 'missing',
      readyToExport: false,
      version,
    },
  };
}
function remove(expenseId: string, version: number): ExpenseEvent {
  return { id: `d-${expenseId}-${version}`, type: 'expense.deleted', data: { expenseId, version } } as ExpenseEvent;
}

/** Applies a resolution to a model of the tables, as the SQL applier does. */
function write(store: Map<string, Row>, events: ExpenseEvent[]) {
  const resolution = resolveExpenseEvents(
    events.map((event, index) => ({ index, event })),
    store,
  );
  for (const { data, exists } of resolution.upserts) {
    expect(exists).toBe(store.get(data.expenseId)?.exists ?? false);
    store.set(data.expenseId, {
      clientId: data.clientId,
      version: data.version,
      deleted: false,
      exists: true,
      amountCents: data.amountCents,
    });
  }
  for (const d of resolution.deletes)
    store.set(d.expenseId, { clientId: d.clientId, version: d.version, deleted: true, exists: false });
  return resolution;
}

// Events on three expenses: per expense, distinct versions (the platform's promise), each an
// upsert, a delete, or both at one version.
const batchOfEvents = fc
  .array(
    fc.record({
      expense: fc.constantFrom('e1', 'e2', 'e3'),
      versions: fc.uniqueArray(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 6 }),
      kinds: fc.array(fc.constantFrom('upsert', 'delete', 'both'), { minLength: 6, maxLength: 6 }),
    }),
    { minLength: 1, maxLength: 3 },
  )
  .map((specs) => {
    const used = new Set<string>();
    return specs.flatMap(({ expense, versions, kinds }) =>
      versions.flatMap((version, i) => {
        const key = `${expense}:${version}`;
        if (used.has(key)) return [];
        used.add(key);
        const kind = kinds[i]!;
        return kind === 'both'
          ? [upsert(expense, version), remove(expense, version)]
          : [kind === 'upsert' ? upsert(expense, version) : remove(expense, version)];
      }),
    );
  });

/** The end state the platform means: per expense, its highest version (a delete wins a tie). */
function expected(events: ExpenseEvent[]) {
  const best = new Map<string, { version: number; deleted: boolean }>();
  for (const e of events) {
    const current = best.get(e.data.expenseId);
    const deleted = e.type === 'expense.deleted';
    if (!current || e.data.version > current.version || (e.data.version === current.version && deleted))
      best.set(e.data.expenseId, { version: e.data.version, deleted });
  }
  return best;
}
const endState = (store: Map<string, Row>) =>
  new Map([...store].map(([id, row]) => [id, { version: row.version, deleted: row.deleted }]));

describe('expense events, resolved', () => {
  it('end as their highest version says, in any order and any split into batches', () => {
    fc.assert(
      fc.property(
        batchOfEvents.chain((events) =>
          fc.tuple(fc.constant(events), fc.shuffledSubarray(events, { minLength: events.length }), fc.nat()),
        ),
        ([events, shuffled, cut]) => {
          const store = new Map<string, Row>();
          const at = cut % (shuffled.length + 1);
          write(store, shuffled.slice(0, at));
          write(store, shuffled.slice(at));
          expect(endState(store)).toEqual(expected(events));
          // A surviving expense holds the data of its highest version.
          for (const [id, row] of store)
            if (!row.deleted) expect(row.amountCents).toBe(expected(events).get(id)!.version * 100);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('change nothing when the same batch comes again, and call every event stale', () => {
    fc.assert(
      fc.property(batchOfEvents, (events) => {
        const store = new Map<string, Row>();
        write(store, events);
        const before = endState(store);
        const again = write(store, events);
        expect(again.upserts).toEqual([]);
        expect(again.deletes).toEqual([]);
        expect([...again.results.values()].every((r) => r === 'stale')).toBe(true);
        expect(endState(store)).toEqual(before);
      }),
      { numRuns: 300 },
    );
  });

  it('report as applied only what is written', () => {
    fc.assert(
      fc.property(batchOfEvents, (events) => {
        const resolution = resolveExpenseEvents(
          events.map((event, index) => ({ index, event })),
          new Map(),
        );
        const applied = events.filter((_, i) => resolution.results.get(i) === 'applied');
        // At most one applied event per expense: the one whose version is written.
        const perExpense = new Map<string, number>();
        for (const e of applied) perExpense.set(e.data.expenseId, (perExpense.get(e.data.expenseId) ?? 0) + 1);
        expect([...perExpense.values()].every((n) => n === 1)).toBe(true);
        const written = new Set([
          ...resolution.upserts.map((u) => `${u.data.expenseId}:${u.data.version}:u`),
          ...resolution.deletes.map((d) => `${d.expenseId}:${d.version}:d`),
        ]);
        for (const e of applied)
          expect(written.has(`${e.data.expenseId}:${e.data.version}:${e.type === 'expense.deleted' ? 'd' : 'u'}`)).toBe(
            true,
          );
      }),
      { numRuns: 300 },
    );
  });

  it('refuse an upsert for another client, and never bring a deleted expense back with an older version', () => {
    const store = new Map<string, Row>();
    write(store, [upsert('e1', 2)]);
    const mismatch = write(store, [upsert('e1', 3, OTHER)]);
    expect(mismatch.results.get(0)).toBe('client_mismatch');
    expect(store.get('e1')!.version).toBe(2);
    write(store, [remove('e1', 5)]);
    const late = write(store, [upsert('e1', 4)]);
    expect(late.results.get(0)).toBe('stale');
    expect(store.get('e1')!.deleted).toBe(true);
    const revived = write(store, [upsert('e1', 6)]);
    expect(revived.revived).toEqual(['e1']);
    expect(store.get('e1')).toMatchObject({ deleted: false, version: 6 });
  });
});

describe('balances, resolved', () => {
  const balance = (clientId: string, asOf: string, cents: number): BalanceUpdated => ({
    id: `b-${clientId}-${asOf}`,
    type: 'client.balance_updated',
    data: { clientId, balanceCents: cents, currency: 'EUR', asOf },
  });

  it('keep the latest as-of time, in any order and any split, and never go back', () => {
    const instants = fc.uniqueArray(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(
        instants.chain((list) => fc.tuple(fc.shuffledSubarray(list, { minLength: list.length }), fc.nat())),
        ([list, cut]) => {
          const events = list.map((minutes) =>
            balance(CLIENT, new Date(Date.UTC(2026, 10, 1) + minutes * 60_000).toISOString(), minutes),
          );
          const stored = new Map<string, number>();
          let written: BalanceUpdated['data'] | undefined;
          const at = cut % (events.length + 1);
          for (const part of [events.slice(0, at), events.slice(at)]) {
            const { latest } = resolveBalances(
              part.map((event, index) => ({ index, event })),
              stored,
            );
            for (const b of latest) {
              expect(Date.parse(b.asOf)).toBeGreaterThan(stored.get(b.clientId) ?? -Infinity);
              stored.set(b.clientId, Date.parse(b.asOf));
              written = b;
            }
          }
          expect(written?.balanceCents).toBe(Math.max(...list));
        },
      ),
      { numRuns: 300 },
    );
  });
});
