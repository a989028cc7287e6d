import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { queryRows } from '@/db';
import { codeExpenses } from '@/lib/bookkeeping/coding';
import { withTestDatabase } from './db';
import { postSignedToPlatformWebhook } from './platform';
import { createExport } from '@/lib/exports/create-export';
import { createClient, createFirm, createUser, viewer } from './factories';

const db = withTestDatabase();
const SECRET = 'secret-partage-plateforme-123';
const saved = process.env.PLATFORM_WEBHOOK_SECRET;
beforeAll(() => {
  process.env.PLATFORM_WEBHOOK_SECRET = SECRET;
});
afterAll(() => {
  process.env.PLATFORM_WEBHOOK_SECRET = saved;
});

function post(body: string, options: { secret?: string } = {}) {
  return postSignedToPlatformWebhook(body, options.secret ?? SECRET);
}
const send = async (payload: unknown) => {
  const response = await post(JSON.stringify(payload));
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const batch = async (events: unknown[]) => {
  const answer = await send({ events });
  expect(answer.status).toBe(200);
  return (answer.body.results as { id: string; result: string }[]).map((r) => r.result);
};

let eventCounter = 0;
const upsert = (
  clientId: string,
  expenseId: string,
  version: number,
  data: Partial<{ receipt: string; readyToExport: boolean; amountCents: number; exportReversed: boolean }> = {},
  id = `evt-${(eventCounter += 1)}`,
) => ({
  id,
  type: 'expense.upserted',
  data: {
    expenseId,
    clientId,
    date: '2026-11-20',
    merchant: `Marchand v${version}`,
    amountCents: data.amountCents ?? 1000 * version,
    currency: 'EUR',
    cardHolder: { name: 'Camille Durand', email: 'Camille@Client.test' },
    receipt: data.receipt ?? 'missing',
    readyToExport: data.readyToExport ?? false,
    category: 'Repas',
    version,
    ...(data.exportReversed !== undefined ? { exportReversed: data.exportReversed } : {}),
  },
});
const remove = (expenseId: string, version: number, id = `evt-${(eventCounter += 1)}`) => ({
  id,
  type: 'expense.deleted',
  data: { expenseId, version },
});
const balance = (clientId: string, cents: number, asOf: string, id = `evt-${(eventCounter += 1)}`) => ({
  id,
  type: 'client.balance_updated',
  data: { clientId, balanceCents: cents, currency: 'EUR', asOf },
});

const expense = async (platformId: string) =>
  (
    await queryRows<{
      merchant: string;
      version: string;
      receipt_state: string;
      export_state: string;
      platform_ready: boolean;
    }>(
      sql`SELECT merchant, version::text, receipt_state, export_state, platform_ready FROM expenses WHERE platform_id = ${platformId}`,
    )
  )[0];
const counters = async (clientId: string) =>
  (
    await queryRows<{ missing: number; ready: number; missing_recount: number; ready_recount: number }>(
      sql`SELECT c.missing_receipts AS missing, c.ready_to_export AS ready,
            (SELECT count(*)::int FROM expenses e WHERE e.client_id = c.id AND e.receipt_state = 'missing') AS missing_recount,
            (SELECT count(*)::int FROM expenses e WHERE e.client_id = c.id AND e.export_state = 'ready') AS ready_recount
          FROM clients c WHERE c.id = ${clientId}`,
    )
  )[0]!;

/** Codes and reviews an expense the way an accountant does in the grid. */
async function reviewedAs6064(platformId: string) {
  const [row] = await queryRows<{ id: string }>(sql`SELECT id FROM expenses WHERE platform_id = ${platformId}`);
  await codeExpenses(viewer(admin), clientId, {
    expenseIds: [row!.id],
    account: '6064',
    vatRateBp: 2000,
    deductiblePct: 100,
    analytic: null,
    review: true,
  });
}

let clientId: string;
let otherFirmClient: string;
let admin: Awaited<ReturnType<typeof createUser>>;
beforeEach(async () => {
  await db.execute(
    sql`TRUNCATE firms, users, clients, expenses, expense_exports, expense_tombstones, webhook_events CASCADE`,
  );
  const firm = await createFirm('Cabinet Démo');
  admin = await createUser(firm.id, { name: 'Admin', email: 'admin@cabinet.fr', role: 'admin' });
  clientId = (await createClient(firm.id, { name: 'Boulangerie Soleil' })).id;
  const other = await createFirm('Autre Cabinet');
  otherFirmClient = (await createClient(other.id, { name: 'Client d’un autre cabinet' })).id;
});

describe('expense events', () => {
  it('creates an expense, with its card holder, and the counters follow', async () => {
    const answer = await send(upsert(clientId, 'exp-1', 1));
    expect(answer).toEqual({ status: 200, body: { ok: true, result: 'applied' } });
    const [row] = await queryRows<Record<string, unknown>>(
      sql`SELECT card_holder_name, card_holder_email, amount_cents::int AS amount, category FROM expenses WHERE platform_id = 'exp-1'`,
    );
    expect(row).toEqual({
      card_holder_name: 'Camille Durand',
      card_holder_email: 'camille@client.test',
      amount: 1000,
      category: 'Repas',
    });
    expect(await counters(clientId)).toMatchObject({ missing: 1, ready: 0 });
  });

  it('applies versions in their order, whatever the order of arrival', async () => {
    expect(await batch([upsert(clientId, 'exp-1', 3, { receipt: 'attached', readyToExport: true })])).toEqual([
      'applied',
    ]);
    expect(await batch([upsert(clientId, 'exp-1', 2), upsert(clientId, 'exp-1', 1)])).toEqual(['stale', 'stale']);
    expect(await expense('exp-1')).toMatchObject({
      merchant: 'Marchand v3',
      receipt_state: 'attached',
      platform_ready: true,
    });
    // Within one batch too: the highest version wins.
    expect(await batch([upsert(clientId, 'exp-2', 5), upsert(clientId, 'exp-2', 4, { receipt: 'attached' })])).toEqual([
      'applied',
      'stale',
    ]);
    expect(await expense('exp-2')).toMatchObject({ version: '5', receipt_state: 'missing' });
    const c = await counters(clientId);
    expect([c.missing, c.ready]).toEqual([c.missing_recount, c.ready_recount]);
    // The platform's « ready » is an input: not coded yet, the expense is not ready to export.
    expect([c.missing, c.ready]).toEqual([1, 0]);
    await reviewedAs6064('exp-1');
    expect(await counters(clientId)).toMatchObject({ missing: 1, ready: 1, ready_recount: 1 });
  });

  it('a replayed event id changes nothing, even with other content', async () => {
    await send(upsert(clientId, 'exp-1', 1, {}, 'evt-same'));
    const again = await send(upsert(clientId, 'exp-1', 2, { receipt: 'attached' }, 'evt-same'));
    expect(again.body).toMatchObject({ ok: true, duplicate: true });
    expect(await expense('exp-1')).toMatchObject({ version: '1', receipt_state: 'missing' });
    // Twice in one batch: the second is the duplicate.
    expect(
      await batch([upsert(clientId, 'exp-3', 1, {}, 'evt-twice'), upsert(clientId, 'exp-3', 2, {}, 'evt-twice')]),
    ).toEqual(['applied', 'duplicate']);
  });

  it('a delete wins over older upserts and keeps the expense deleted when one arrives late', async () => {
    await batch([upsert(clientId, 'exp-1', 1)]);
    expect(await batch([remove('exp-1', 2)])).toEqual(['applied']);
    expect(await expense('exp-1')).toBeUndefined();
    expect(await batch([upsert(clientId, 'exp-1', 1, { receipt: 'missing' })])).toEqual(['stale']);
    expect(await expense('exp-1')).toBeUndefined();
    // A delete that arrives before the expense was ever created.
    expect(await batch([remove('exp-9', 4), upsert(clientId, 'exp-9', 3)])).toEqual(['applied', 'stale']);
    expect(await expense('exp-9')).toBeUndefined();
    expect(await counters(clientId)).toMatchObject({ missing: 0, ready: 0, missing_recount: 0 });
  });

  it('an exported expense stays exported whatever later upserts say, unless the export is reversed', async () => {
    await batch([upsert(clientId, 'exp-1', 1, { readyToExport: true, amountCents: 1000 })]);
    await db.execute(sql`UPDATE expenses SET receipt_state = 'attached' WHERE platform_id = 'exp-1'`);
    await reviewedAs6064('exp-1');
    // Exported the way an accountant does it, from the workspace.
    const done = await createExport(viewer(admin), clientId);
    expect(done.expenseCount).toBe(1);
    await batch([upsert(clientId, 'exp-1', 2, { readyToExport: true, receipt: 'attached', amountCents: 1000 })]);
    expect(await expense('exp-1')).toMatchObject({ export_state: 'exported', receipt_state: 'attached' });
    await batch([
      upsert(clientId, 'exp-1', 3, {
        readyToExport: true,
        receipt: 'attached',
        exportReversed: true,
        amountCents: 1000,
      }),
    ]);
    // Back to work, still coded and reviewed: ready again.
    expect(await expense('exp-1')).toMatchObject({ export_state: 'ready' });
    expect(await counters(clientId)).toMatchObject({ ready: 1, ready_recount: 1 });
  });

  it('a new amount from the platform carries the coding along: one line follows it and is reviewed again, a split is undone', async () => {
    await batch([upsert(clientId, 'exp-1', 1, { readyToExport: true, receipt: 'attached', amountCents: 1000 })]);
    await reviewedAs6064('exp-1');
    expect(await expense('exp-1')).toMatchObject({ export_state: 'ready' });
    await batch([upsert(clientId, 'exp-1', 2, { readyToExport: true, receipt: 'attached', amountCents: 1250 })]);
    const lines = () =>
      queryRows<{ gross: number; state: string }>(
        sql`SELECT l.gross_cents::int AS gross, e.coding_state::text AS state
            FROM expenses e LEFT JOIN expense_lines l ON l.expense_id = e.id WHERE e.platform_id = 'exp-1' ORDER BY l.line_no`,
      );
    expect(await lines()).toEqual([{ gross: 1250, state: 'coded' }]);
    expect(await expense('exp-1')).toMatchObject({ export_state: 'not_ready' });
    // Split on two lines, then a new amount: the split no longer adds up and is removed.
    await db.execute(sql`
      INSERT INTO expense_lines (expense_id, line_no, account, vat_rate_bp, gross_cents, deductible_pct)
      SELECT id, 2, '6064', 550, 250, 100 FROM expenses WHERE platform_id = 'exp-1'`);
    await db.execute(sql`
      UPDATE expense_lines SET gross_cents = 1000 WHERE line_no = 1
        AND expense_id = (SELECT id FROM expenses WHERE platform_id = 'exp-1')`);
    await batch([upsert(clientId, 'exp-1', 3, { readyToExport: true, receipt: 'attached', amountCents: 1300 })]);
    expect(await lines()).toEqual([{ gross: null, state: 'to_code' }]);
  });

  it('a receipt received through the portal stays when the platform still says « missing »', async () => {
    await batch([upsert(clientId, 'exp-1', 1)]);
    await db.execute(
      sql`UPDATE expenses SET receipt_state = 'attached', receipt_answered_at = now() WHERE platform_id = 'exp-1'`,
    );
    await batch([upsert(clientId, 'exp-1', 2, { receipt: 'missing', readyToExport: true })]);
    expect(await expense('exp-1')).toMatchObject({ version: '2', receipt_state: 'attached', platform_ready: true });
    expect(await counters(clientId)).toMatchObject({ missing: 0, missing_recount: 0 });
  });

  it('refuses an unknown client and another client’s expense, and leaves the event id free', async () => {
    const unknown = await send(upsert('00000000-0000-4000-8000-000000000000', 'exp-1', 1, {}, 'evt-unknown'));
    expect(unknown).toEqual({ status: 404, body: { error: 'client_unknown' } });
    await batch([upsert(clientId, 'exp-1', 1)]);
    // The same expense id, said to belong to a client of another firm.
    const stolen = await send(upsert(otherFirmClient, 'exp-1', 2, { receipt: 'attached' }));
    expect(stolen).toEqual({ status: 409, body: { error: 'client_mismatch' } });
    expect(await expense('exp-1')).toMatchObject({ version: '1', receipt_state: 'missing' });
    const [{ n }] = (await queryRows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM webhook_events WHERE id = 'evt-unknown'`,
    )) as [{ n: number }];
    expect(n).toBe(0);
    // In a batch, each event gets its result and the others apply.
    expect(
      await batch([
        upsert('00000000-0000-4000-8000-000000000000', 'exp-5', 1),
        upsert(clientId, 'exp-6', 1),
        { id: 'evt-bad', type: 'expense.upserted', data: { expenseId: 'exp-7' } },
      ]),
    ).toEqual(['unknown_client', 'applied', 'invalid']);
  });

  it('a NUL byte or __proto__ in an event is an invalid event, not a 500', async () => {
    const nul = upsert(clientId, 'exp\u0000', 1);
    const proto = JSON.parse(
      JSON.stringify(upsert(clientId, 'exp-p', 1)).replace('"data":{', '"__proto__":{"x":1},"data":{'),
    ) as unknown;
    expect(await batch([nul, proto])).toEqual(['invalid', 'applied']);
    expect((await send(nul)).status).toBe(400);
  });
});

describe('hostile events in a batch', () => {
  const hostile: [string, (n: number) => unknown][] = [
    [
      'year 0000',
      (n) => ({
        ...upsert(clientId, `h-${n}`, 1),
        data: { ...upsert(clientId, `h-${n}`, 1).data, date: '0000-01-01' },
      }),
    ],
    [
      'a 30th of February',
      (n) => ({
        ...upsert(clientId, `h-${n}`, 1),
        data: { ...upsert(clientId, `h-${n}`, 1).data, date: '2026-02-30' },
      }),
    ],
    [
      'year 9999',
      (n) => ({
        ...upsert(clientId, `h-${n}`, 1),
        data: { ...upsert(clientId, `h-${n}`, 1).data, date: '9999-12-31' },
      }),
    ],
    ['an as-of in year 10000 UTC', () => balance(clientId, 1, '9999-12-31T23:59:59-14:00')],
    ['an as-of in 1970', () => balance(clientId, 1, '1970-01-01T00:00:00Z')],
    [
      'a lone surrogate in a merchant',
      (n) => ({
        ...upsert(clientId, `h-${n}`, 1),
        data: { ...upsert(clientId, `h-${n}`, 1).data, merchant: 'Caf\ud800é' },
      }),
    ],
    [
      'a lone surrogate in a note',
      (n) => ({ ...upsert(clientId, `h-${n}`, 1), data: { ...upsert(clientId, `h-${n}`, 1).data, note: '\udfff' } }),
    ],
    ['a lone surrogate in an event id', (n) => upsert(clientId, `h-${n}`, 1, {}, `evt-\ud83d-${n}`)],
    [
      'a lone surrogate in a card holder',
      (n) => ({
        ...upsert(clientId, `h-${n}`, 1),
        data: { ...upsert(clientId, `h-${n}`, 1).data, cardHolder: { name: '\ud83d', email: null } },
      }),
    ],
    ['an amount beyond bounds', (n) => upsert(clientId, `h-${n}`, 1, { amountCents: 1e18 })],
    ['a fractional amount', (n) => upsert(clientId, `h-${n}`, 1, { amountCents: 10.5 })],
    ['a version of 0', (n) => upsert(clientId, `h-${n}`, 0)],
    [
      'a NUL in a merchant',
      (n) => ({
        ...upsert(clientId, `h-${n}`, 1),
        data: { ...upsert(clientId, `h-${n}`, 1).data, merchant: 'a\u0000b' },
      }),
    ],
    ['a client that is no uuid', (n) => upsert('pas-un-uuid', `h-${n}`, 1)],
    ['not an object', () => 'evt'],
  ];

  it.each(hostile)('%s is `invalid`, with the field, and the rest of the batch applies', async (_label, make) => {
    const answer = await send({ events: [upsert(clientId, 'ok-1', 1), make(1), upsert(clientId, 'ok-2', 1)] });
    expect(answer.status).toBe(200);
    const results = answer.body.results as { result: string; invalid?: string }[];
    expect(results.map((r) => r.result)).toEqual(['applied', 'invalid', 'applied']);
    expect(results[1]!.invalid).toBeTruthy();
    expect(await expense('ok-1')).toBeDefined();
    expect(await expense('ok-2')).toBeDefined();
  });

  it('any mix of hostile and valid events: the valid ones apply, the hostile ones are `invalid`, never a 500', async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: hostile.length - 1 })), {
          minLength: 1,
          maxLength: 12,
        }),
        async (plan) => {
          round += 1;
          const events = plan.map((kind, i) =>
            kind < 0 ? upsert(clientId, `p-${round}-${i}`, 1) : hostile[kind]![1](round * 100 + i),
          );
          const answer = await send({ events });
          expect(answer.status).toBe(200);
          const results = (answer.body.results as { result: string }[]).map((r) => r.result);
          expect(results).toEqual(plan.map((kind) => (kind < 0 ? 'applied' : 'invalid')));
          for (const [i, kind] of plan.entries()) if (kind < 0) expect(await expense(`p-${round}-${i}`)).toBeDefined();
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('balances', () => {
  it('applies a balance only when newer than the stored one', async () => {
    expect(await batch([balance(clientId, 5000, '2026-11-20T10:00:00+01:00')])).toEqual(['applied']);
    expect(await batch([balance(clientId, 1000, '2026-11-20T08:59:00Z')])).toEqual(['stale']);
    expect(
      await batch([balance(clientId, -700, '2026-11-21T10:00:00Z'), balance(clientId, 9000, '2026-11-21T09:00:00Z')]),
    ).toEqual(['applied', 'stale']);
    const [row] = await queryRows<{ cents: number }>(
      sql`SELECT balance_cents::int AS cents FROM clients WHERE id = ${clientId}`,
    );
    expect(row!.cents).toBe(-700);
    expect((await send(balance('00000000-0000-4000-8000-000000000000', 1, '2026-11-21T09:00:00Z'))).status).toBe(404);
  });
});

describe('the webhook’s limits', () => {
  it('refuses 1,001 events, a body of 1 MiB + 1 byte, and a bad signature, changing nothing', async () => {
    const events = Array.from({ length: 1_001 }, (_, i) => upsert(clientId, `exp-${i}`, 1));
    const tooMany = await send({ events });
    expect(tooMany).toMatchObject({ status: 413, body: { error: 'too_many_events', limit: 1000 } });
    // 1,000 events fit.
    expect((await batch(events.slice(0, 1_000))).every((r) => r === 'applied')).toBe(true);
    const filler = { events: [], pad: '' };
    const base = JSON.stringify(filler).length;
    filler.pad = 'x'.repeat(1024 * 1024 + 1 - base);
    const body = JSON.stringify(filler);
    expect(Buffer.byteLength(body)).toBe(1024 * 1024 + 1);
    expect((await post(body)).status).toBe(413);
    filler.pad = 'x'.repeat(1024 * 1024 - base);
    expect((await post(JSON.stringify(filler))).status).toBe(200);
    const forged = await post(JSON.stringify({ events: [upsert(clientId, 'exp-forged', 1)] }), {
      secret: 'pas-le-bon-secret-1234',
    });
    expect(forged.status).toBe(401);
    expect(await expense('exp-forged')).toBeUndefined();
    expect(await counters(clientId)).toMatchObject({ missing: 1000, missing_recount: 1000 });
  });
});

describe('whatever the order, repetition and batching', () => {
  it('ends as the highest version of each expense says, with counters equal to a recount', async () => {
    const ids = ['a', 'b', 'c', 'd'];
    const anEvent = fc.record({
      expense: fc.constantFrom(...ids),
      version: fc.integer({ min: 1, max: 8 }),
      kind: fc.constantFrom('upsert', 'upsert', 'delete'),
    });
    // The platform gives each change its own version: one version, one content.
    const receiptOf = (id: string, version: number) =>
      (['missing', 'attached', 'not_required'] as const)[(version + ids.indexOf(id)) % 3]!;
    const readyOf = (version: number) => version % 2 === 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(anEvent, { minLength: 1, maxLength: 25 }),
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        async (list, cuts, replays) => {
          await db.execute(sql`TRUNCATE expenses, expense_tombstones, webhook_events CASCADE`);
          await db.execute(sql`UPDATE clients SET missing_receipts = 0, ready_to_export = 0`);
          const events = list.map((e, i) =>
            e.kind === 'delete'
              ? remove(`p-${e.expense}`, e.version, `e${i}`)
              : upsert(
                  clientId,
                  `p-${e.expense}`,
                  e.version,
                  { receipt: receiptOf(e.expense, e.version), readyToExport: readyOf(e.version) },
                  `e${i}`,
                ),
          );
          // Some events delivered again, in later batches.
          const delivered = [...events, ...replays.map((r) => events[r % events.length]!)];
          for (let at = 0, i = 0; at < delivered.length; i += 1) {
            const size = cuts[i % cuts.length]!;
            const answer = await send({ events: delivered.slice(at, at + size) });
            expect(answer.status).toBe(200);
            at += size;
          }
          // The model: per expense, its highest version; a delete wins a tie.
          for (const id of ids) {
            const mine = list
              .map((e, i) => ({ ...e, i }))
              .filter((e) => e.expense === id)
              .sort((a, b) => b.version - a.version || Number(b.kind === 'delete') - Number(a.kind === 'delete'));
            const top = mine.find((e) => e.version === mine[0]?.version && e.kind === 'delete') ?? mine[0];
            const row = await expense(`p-${id}`);
            if (!top || top.kind === 'delete') expect(row).toBeUndefined();
            else
              expect(row).toMatchObject({
                version: String(top.version),
                receipt_state: receiptOf(id, top.version),
                platform_ready: readyOf(top.version),
              });
          }
          const c = await counters(clientId);
          expect([c.missing, c.ready]).toEqual([c.missing_recount, c.ready_recount]);
        },
      ),
      { numRuns: 60 },
    );
  });
});
