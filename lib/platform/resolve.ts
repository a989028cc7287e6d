import type { BalanceUpdated, ExpenseDeleted, ExpenseUpserted } from './events';

// What a batch of platform events does, decided without the database: given what is stored (read
// by lib/platform/ingest.ts under its locks) and the batch's events, each event's result and the
// rows to write. Pure, so that its promises are tested on every order and every split of a batch
// (test/ingest.test.ts, fast-check):
// - an expense ends as its highest version says, whatever the order of arrival: deleted if that
//   version is a delete (at one version, a delete wins); a late upsert does not bring a deleted
//   expense back (the tombstone keeps its version);
// - an upsert for another client than the expense's is `client_mismatch` and changes nothing;
// - an event applied, then overtaken by a later version in the same batch, is `stale`: it was
//   never written;
// - a balance applies only with an as-of time after the stored one, the latest of the batch wins.
// Two rules stay in the applier's SQL, decided on the row as it is written, because the portal
// changes those columns itself, outside the platform's locks: an exported expense stays exported
// unless the event says `exportReversed`, and a receipt the portal received is not undone by a
// platform that still says « missing ».

export type ExpenseEvent = ExpenseUpserted | ExpenseDeleted;
export type StoredExpense = { clientId: string | null; version: number; deleted: boolean; exists: boolean };
type Indexed<E> = { index: number; event: E };
type Outcome = 'applied' | 'stale' | 'client_mismatch';

export type ExpenseResolution = {
  results: Map<number, Outcome>;
  /** Upserts to write: `exists` says whether the row is there (update) or not (insert). */
  upserts: { data: ExpenseUpserted['data']; exists: boolean }[];
  deletes: { expenseId: string; clientId: string | null; version: number }[];
  /** Deleted expenses brought back by a later upsert: their tombstones go. */
  revived: string[];
};

export function resolveExpenseEvents(
  events: Indexed<ExpenseEvent>[],
  stored: ReadonlyMap<string, StoredExpense>,
): ExpenseResolution {
  const results = new Map<number, Outcome>();
  const resolution: ExpenseResolution = { results, upserts: [], deletes: [], revived: [] };
  const byExpense = new Map<string, Indexed<ExpenseEvent>[]>();
  for (const e of events) {
    const list = byExpense.get(e.event.data.expenseId);
    if (list) list.push(e);
    else byExpense.set(e.event.data.expenseId, [e]);
  }
  for (const [expenseId, list] of byExpense) {
    // In version order, a delete before an upsert of the same version.
    list.sort(
      (a, b) =>
        a.event.data.version - b.event.data.version ||
        Number(b.event.type === 'expense.deleted') - Number(a.event.type === 'expense.deleted'),
    );
    const before = stored.get(expenseId);
    const state: StoredExpense = before ? { ...before } : { clientId: null, version: 0, deleted: false, exists: false };
    let upsert: ExpenseUpserted['data'] | undefined;
    for (const { index, event } of list) {
      if (event.type === 'expense.upserted' && state.clientId && state.clientId !== event.data.clientId) {
        results.set(index, 'client_mismatch');
      } else if (
        event.data.version < state.version ||
        (event.data.version === state.version && (event.type === 'expense.upserted' || state.deleted))
      ) {
        // Older than what is stored; at the same version, a delete wins (whichever came first).
        results.set(index, 'stale');
      } else if (event.type === 'expense.upserted') {
        state.version = event.data.version;
        state.clientId = event.data.clientId;
        state.deleted = false;
        upsert = event.data;
        results.set(index, 'applied');
      } else {
        state.version = event.data.version;
        state.deleted = true;
        upsert = undefined;
        results.set(index, 'applied');
      }
    }
    for (const { index, event } of list)
      if (results.get(index) === 'applied' && event.data.version < state.version) results.set(index, 'stale');
    if (state.version === (before?.version ?? 0) && state.deleted === (before?.deleted ?? false)) continue;
    if (state.deleted) resolution.deletes.push({ expenseId, clientId: state.clientId, version: state.version });
    else if (upsert) {
      resolution.upserts.push({ data: upsert, exists: before?.exists ?? false });
      if (before?.deleted) resolution.revived.push(expenseId);
    }
  }
  return resolution;
}

export type BalanceResolution = {
  results: Map<number, 'applied' | 'stale'>;
  /** The balance to write per client: the batch's latest, when it is after the stored one. */
  latest: BalanceUpdated['data'][];
};

/** `storedAsOf`: each client's stored as-of time in milliseconds (-Infinity when it has none). */
export function resolveBalances(
  events: Indexed<BalanceUpdated>[],
  storedAsOf: ReadonlyMap<string, number>,
): BalanceResolution {
  const results = new Map<number, 'applied' | 'stale'>();
  const current = new Map(storedAsOf);
  const latest = new Map<string, BalanceUpdated['data']>();
  for (const { index, event } of [...events].sort(
    (a, b) => Date.parse(a.event.data.asOf) - Date.parse(b.event.data.asOf),
  )) {
    const at = Date.parse(event.data.asOf);
    if (at <= (current.get(event.data.clientId) ?? -Infinity)) {
      results.set(index, 'stale');
      continue;
    }
    current.set(event.data.clientId, at);
    latest.set(event.data.clientId, event.data);
    results.set(index, 'applied');
  }
  for (const { index, event } of events)
    if (results.get(index) === 'applied' && latest.get(event.data.clientId) !== event.data) results.set(index, 'stale');
  return { results, latest: [...latest.values()] };
}
