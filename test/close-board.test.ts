import { signInAs } from './session';
import fc from 'fast-check';
import { eq, sql } from 'drizzle-orm';
import { queryRows } from '@/db';
import { activityLog, assignments, clients, expenses } from '@/db/schema';
import { markVisible } from '@/lib/access/visibility';
import { lineAmounts } from '@/lib/bookkeeping/vat';
import { closeMonthAction, reopenMonthAction, setCloseRolesAction } from '@/lib/close/actions';
import {
  boardMonths,
  closeMonth,
  listAfterClose,
  listBoard,
  openMonthsToClose,
  reopenMonth,
  type BoardParams,
} from '@/lib/close/board';
import { boardHref, parseBoardParams } from '@/lib/close/schemas';
import { clientCloseNotice } from '@/lib/close/deadlines';
import { reminderText } from '@/emails/reminder';
import { withTestDatabase } from './db';
import { addExpenses, createClient, createFirm, createUser, formData, viewer } from './factories';

jest.mock('next/cache', () => ({ revalidatePath: jest.fn() }));

const db = withTestDatabase();
const idle = { status: 'idle' as const };
// 3 December 2026, 11:00 in Paris: the month to close is November.
const NOW = new Date('2026-12-03T10:00:00Z');
const params = (change: Partial<BoardParams> = {}): BoardParams => ({
  month: '2026-11',
  late: false,
  week: false,
  sort: 'due',
  page: 1,
  size: 25,
  ...change,
});

type Counters = {
  expenses: number;
  missing: number;
  toCode: number;
  toReview: number;
  notExported: number;
  progressed: number;
  vatAtRisk: number;
  afterClose: number;
};

async function stored(firmId: string): Promise<Map<string, Counters>> {
  const rows = await queryRows<Counters & { key: string }>(sql`
    SELECT client_id || ' ' || month::text AS key, expenses, missing, to_code AS "toCode", to_review AS "toReview",
      not_exported AS "notExported", progressed, vat_at_risk_cents::float8 AS "vatAtRisk", after_close AS "afterClose"
    FROM client_months WHERE firm_id = ${firmId}`);
  const map = new Map<string, Counters>();
  for (const { key, ...rest } of rows) {
    // A month without expenses left holds zeros: the same as no row.
    if (Object.values(rest).some((v) => v !== 0)) map.set(key, rest);
  }
  return map;
}

/** The same figures counted from the expenses and their lines, in TypeScript (lib/bookkeeping/vat.ts). */
async function recount(firmId: string): Promise<Map<string, Counters>> {
  const rows = await queryRows<{
    clientId: string;
    month: string;
    receipt: string;
    coding: string;
    exported: string;
    amount: number;
    afterClose: boolean;
    lines: { gross: number; rate: number; pct: number }[] | null;
  }>(sql`
    SELECT e.client_id AS "clientId", to_char(e.spent_on, 'YYYY-MM') || '-01' AS month, e.receipt_state AS receipt,
      e.coding_state AS coding, e.export_state AS exported, e.amount_cents::float8 AS amount, e.after_close AS "afterClose",
      (SELECT json_agg(json_build_object('gross', l.gross_cents, 'rate', l.vat_rate_bp, 'pct', l.deductible_pct))
         FROM expense_lines l WHERE l.expense_id = e.id) AS lines
    FROM expenses e JOIN clients c ON c.id = e.client_id WHERE c.firm_id = ${firmId}`);
  const map = new Map<string, Counters>();
  for (const row of rows) {
    const key = `${row.clientId} ${row.month}`;
    const c = map.get(key) ?? {
      expenses: 0,
      missing: 0,
      toCode: 0,
      toReview: 0,
      notExported: 0,
      progressed: 0,
      vatAtRisk: 0,
      afterClose: 0,
    };
    const deductible = row.lines
      ? row.lines.reduce((sum, l) => sum + lineAmounts(l.gross, l.rate, l.pct).deductibleVatCents, 0)
      : lineAmounts(row.amount, 2000, 100).deductibleVatCents;
    c.expenses += 1;
    c.missing += Number(row.receipt === 'missing');
    c.toCode += Number(row.coding === 'to_code' && row.exported !== 'exported');
    c.toReview += Number(row.coding === 'coded' && row.exported !== 'exported');
    c.notExported += Number(row.exported !== 'exported');
    c.progressed += Number(row.coding !== 'to_code' || row.exported === 'exported');
    c.vatAtRisk += row.receipt === 'missing' ? deductible : 0;
    c.afterClose += Number(row.afterClose);
    map.set(key, c);
  }
  return map;
}

async function journal(clientId: string, action: string) {
  return db
    .select({ details: activityLog.details })
    .from(activityLog)
    .where(sql`${activityLog.clientId} = ${clientId} AND ${activityLog.action} = ${action}`);
}

describe('the close board’s counters', () => {
  it('equal a recount after random batches, codings, closes and reopenings, and so do the board’s copies', async () => {
    const firm = await createFirm();
    const admin = viewer(await createUser(firm.id, { role: 'admin' }));
    const a = markVisible(await createClient(firm.id));
    const b = markVisible(await createClient(firm.id));
    const people = [await createUser(firm.id), await createUser(firm.id)];
    const days = ['2026-09-30', '2026-10-01', '2026-10-31', '2026-11-01', '2026-11-15'];
    const op = fc.oneof(
      fc.record({ kind: fc.constant('assign' as const), client: fc.boolean(), who: fc.constantFrom(0, 1) }),
      fc.record({ kind: fc.constant('unassign' as const), client: fc.boolean(), who: fc.constantFrom(0, 1) }),
      fc.record({
        kind: fc.constant('status' as const),
        client: fc.boolean(),
        status: fc.constantFrom('active' as const, 'declined' as const, 'invitation' as const),
      }),
      fc.record({
        kind: fc.constant('roles' as const),
        client: fc.boolean(),
        preparer: fc.constantFrom(0, 1, null),
        reviewer: fc.constantFrom(0, 1, null),
      }),
      fc.record({
        kind: fc.constant('insert' as const),
        client: fc.boolean(),
        count: fc.integer({ min: 1, max: 6 }),
        day: fc.constantFrom(...days),
        receipt: fc.constantFrom('missing' as const, 'attached' as const, 'not_required' as const),
        amount: fc.integer({ min: -50_000, max: 500_000 }),
        platform: fc.boolean(),
      }),
      fc.record({
        kind: fc.constant('code' as const),
        rate: fc.constantFrom(0, 210, 550, 1000, 2000),
        pct: fc.constantFrom(0, 80, 100),
        review: fc.boolean(),
        take: fc.integer({ min: 1, max: 5 }),
      }),
      fc.record({
        kind: fc.constant('amount' as const),
        amount: fc.integer({ min: -9_999, max: 99_999 }),
        take: fc.integer({ min: 1, max: 4 }),
      }),
      fc.record({ kind: fc.constant('receipt' as const), take: fc.integer({ min: 1, max: 4 }) }),
      fc.record({
        kind: fc.constant('move' as const),
        day: fc.constantFrom(...days),
        take: fc.integer({ min: 1, max: 3 }),
      }),
      fc.record({ kind: fc.constant('export' as const) }),
      fc.record({ kind: fc.constant('delete' as const), take: fc.integer({ min: 1, max: 3 }) }),
      fc.record({
        kind: fc.constant('close' as const),
        client: fc.boolean(),
        month: fc.constantFrom('2026-10', '2026-11'),
      }),
      fc.record({
        kind: fc.constant('reopen' as const),
        client: fc.boolean(),
        month: fc.constantFrom('2026-10', '2026-11'),
      }),
    );
    const some = (take: number) =>
      sql`(SELECT id FROM expenses WHERE client_id IN (${a.id}, ${b.id}) ORDER BY md5(id::text) LIMIT ${take})`;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
        for (const o of ops) {
          switch (o.kind) {
            case 'insert':
              await db.insert(expenses).values(
                Array.from({ length: o.count }, (_, i) => ({
                  clientId: (o.client ? a : b).id,
                  amountCents: o.amount + i,
                  merchant: 'SNCF',
                  spentOn: o.day,
                  receiptState: o.receipt,
                  exportState: 'not_ready' as const,
                  platformReady: o.platform,
                })),
              );
              break;
            case 'code':
              // As lib/bookkeeping/coding.ts does: the lines first, then the expense.
              await db.transaction(async (tx) => {
                const ids = (
                  await queryRows<{ id: string }>(
                    sql`SELECT id FROM expenses WHERE id IN ${some(o.take)} AND export_state <> 'exported'`,
                    tx,
                  )
                ).map((r) => r.id);
                for (const id of ids) {
                  await tx.execute(sql`DELETE FROM expense_lines WHERE expense_id = ${id}`);
                  await tx.execute(sql`INSERT INTO expense_lines (expense_id, line_no, account, vat_rate_bp, gross_cents, deductible_pct)
                    SELECT id, 1, '6251', ${o.rate}, amount_cents, ${o.pct} FROM expenses WHERE id = ${id}`);
                  await tx.execute(
                    sql`UPDATE expenses SET coding_state = ${o.review ? 'reviewed' : 'coded'}::coding_state WHERE id = ${id}`,
                  );
                }
              });
              break;
            case 'amount':
              await db.execute(sql`UPDATE expenses SET amount_cents = ${o.amount} WHERE id IN ${some(o.take)}`);
              break;
            case 'receipt':
              await db.execute(sql`UPDATE expenses SET receipt_state = CASE WHEN receipt_state = 'missing'
                THEN 'attached'::receipt_state ELSE 'missing'::receipt_state END WHERE id IN ${some(o.take)}`);
              break;
            case 'move':
              await db.execute(sql`UPDATE expenses SET spent_on = ${o.day}::date WHERE id IN ${some(o.take)}`);
              break;
            case 'export':
              await db.execute(
                sql`UPDATE expenses SET export_state = 'exported' WHERE client_id IN (${a.id}, ${b.id}) AND export_state = 'ready'`,
              );
              break;
            case 'delete':
              await db.execute(sql`DELETE FROM expenses WHERE id IN ${some(o.take)}`);
              break;
            case 'close':
              await closeMonth(admin, o.client ? a : b, o.month, 'Test', NOW);
              break;
            case 'reopen':
              await reopenMonth(admin, o.client ? a : b, o.month, 'Test');
              break;
            case 'assign':
              await db
                .insert(assignments)
                .values({ firmId: firm.id, clientId: (o.client ? a : b).id, userId: people[o.who]!.id })
                .onConflictDoNothing();
              break;
            case 'unassign':
              await db.execute(
                sql`DELETE FROM assignments WHERE client_id = ${(o.client ? a : b).id} AND user_id = ${people[o.who]!.id}`,
              );
              break;
            case 'status':
              await db
                .update(clients)
                .set({ status: o.status })
                .where(eq(clients.id, (o.client ? a : b).id));
              break;
            case 'roles':
              await db
                .update(clients)
                .set({
                  closePreparerId: o.preparer === null ? null : people[o.preparer]!.id,
                  closeReviewerId: o.reviewer === null ? null : people[o.reviewer]!.id,
                })
                .where(eq(clients.id, (o.client ? a : b).id));
              break;
          }
          // The board's copies (migration 0045): each month's preparer, reviewer and « connected »
          // are its client's, and each accountant's copies are client_months × assignments.
          const copy = (x: 's' | 'm') =>
            sql.raw(`${x}.sort_name, ${x}.status, ${x}.close_on::text AS close_on, ${x}.missing, ${x}.to_code,
              ${x}.vat_at_risk_cents::float8 AS vat, ${x}.preparer_id, ${x}.reviewer_id, ${x}.client_active`);
          expect([
            ...(await queryRows(sql`
              SELECT s.user_id, s.client_id, s.month::text AS month, ${copy('s')}
              FROM assigned_months s WHERE s.client_id IN (${a.id}, ${b.id}) ORDER BY 1, 2, 3`)),
          ]).toEqual([
            ...(await queryRows(sql`
              SELECT a.user_id, m.client_id, m.month::text AS month, ${copy('m')}
              FROM client_months m JOIN assignments a ON a.client_id = m.client_id
              WHERE m.client_id IN (${a.id}, ${b.id}) ORDER BY 1, 2, 3`)),
          ]);
          expect(
            await queryRows(sql`
              SELECT m.client_id, m.month FROM client_months m JOIN clients c ON c.id = m.client_id
              WHERE c.firm_id = ${firm.id}
                AND (m.preparer_id, m.reviewer_id, m.client_active)
                  IS DISTINCT FROM (c.close_preparer_id, c.close_reviewer_id, c.status = 'active')`),
          ).toHaveLength(0);
          const expected = await recount(firm.id);
          expect(await stored(firm.id)).toEqual(expected);
          // The client's own « TVA à risque » (the Clients page) is the sum of its months'.
          const perClient = await queryRows<{ id: string; vat: number }>(
            sql`SELECT id, vat_at_risk_cents::float8 AS vat FROM clients WHERE firm_id = ${firm.id} ORDER BY id`,
          );
          expect(perClient).toEqual(
            perClient.map(({ id }) => ({
              id,
              vat: [...expected].filter(([key]) => key.startsWith(id)).reduce((n, [, c]) => n + c.vatAtRisk, 0),
            })),
          );
        }
      }),
      { numRuns: 25 },
    );
  });
});

describe('closing a month', () => {
  it('waits for every check, lets an admin override with a reason, locks the month and reopens with a reason', async () => {
    const firm = await createFirm();
    const admin = await createUser(firm.id, { role: 'admin' });
    const lea = await createUser(firm.id);
    const hugo = await createUser(firm.id);
    const client = markVisible(await createClient(firm.id, { team: [lea.id] }));
    const month = boardMonths(new Date())[0]!;
    const day = `${month}-10`;
    const [missing] = await addExpenses(client.id, 1, { receipt: 'missing', spentOn: day, amountCents: 12_000 });
    await addExpenses(client.id, 2, { export: 'ready', spentOn: day });

    const closeForm = (reason = '') => formData({ clientId: client.id, month, reason });
    // Not Léa's to override, and not Hugo's client at all.
    signInAs(lea);
    expect(await closeMonthAction(idle, closeForm())).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/^Le mois ne peut pas être clôturé/),
    });
    expect(await closeMonthAction(idle, closeForm('Je passe outre'))).toMatchObject({
      status: 'error',
      message: 'Cette action est réservée aux administrateurs.',
    });
    signInAs(hugo);
    expect(await closeMonthAction(idle, closeForm())).toMatchObject({ message: 'Client introuvable.' });
    signInAs(await createUser((await createFirm()).id, { role: 'admin' }));
    expect(await closeMonthAction(idle, closeForm('x'))).toMatchObject({ message: 'Client introuvable.' });

    // The month's row: « À faire » with one missing receipt, 20 € of VAT at risk (120 € at 20 %).
    const board = await listBoard(viewer(lea), params({ month }));
    expect(board.rows).toHaveLength(1);
    expect(board.rows[0]).toMatchObject({
      status: 'in_progress',
      missing: 1,
      toCode: 1,
      notExported: 3,
      vatAtRiskCents: 2000,
    });

    signInAs(admin);
    expect((await closeMonthAction(idle, closeForm())).message).toMatch(/indiquez le motif/);
    expect(await closeMonthAction(idle, formData({ clientId: client.id, month: '2026-13', reason: '' }))).toMatchObject(
      {
        fieldErrors: { month: ['Mois invalide.'] },
      },
    );
    expect(await closeMonthAction(idle, closeForm('Reçu perdu, attestation jointe'))).toMatchObject({
      status: 'success',
    });
    // Again (a double click, a retry): nothing more.
    expect((await closeMonthAction(idle, closeForm('Reçu perdu, attestation jointe'))).message).toMatch(/déjà clôturé/);
    expect(await journal(client.id, 'month_closed')).toEqual([
      { details: { month, reason: 'Reçu perdu, attestation jointe' } },
    ]);

    // An expense that arrives for the closed month, and one that changes: « Après clôture ».
    const [late] = await addExpenses(client.id, 1, { spentOn: `${month}-20` });
    await db.update(expenses).set({ receiptState: 'attached' }).where(eq(expenses.id, missing!.id));
    expect((await listAfterClose(client, month)).map((e) => e.id).sort()).toEqual([late!.id, missing!.id].sort());
    const closed = (await listBoard(viewer(admin), params({ month, status: 'closed' }))).rows[0];
    expect(closed).toMatchObject({ status: 'closed', afterClose: 2 });

    // Reopening: an admin's, with a reason.
    signInAs(lea);
    expect((await reopenMonthAction(idle, formData({ clientId: client.id, month, reason: 'Erreur' }))).message).toBe(
      'Cette action est réservée aux administrateurs.',
    );
    signInAs(admin);
    expect(await reopenMonthAction(idle, formData({ clientId: client.id, month, reason: '  ' }))).toMatchObject({
      fieldErrors: { reason: ['Indiquez le motif\u202f: il sera inscrit au Journal.'] },
    });
    expect(
      await reopenMonthAction(idle, formData({ clientId: client.id, month, reason: 'Facture arrivée' })),
    ).toMatchObject({
      status: 'success',
    });
    expect((await reopenMonthAction(idle, formData({ clientId: client.id, month, reason: 'Encore' }))).message).toMatch(
      /déjà ouvert/,
    );
    expect(await journal(client.id, 'month_reopened')).toEqual([{ details: { month, reason: 'Facture arrivée' } }]);

    // Closing again takes the late ones in.
    await db.execute(sql`UPDATE expenses SET receipt_state = 'attached' WHERE client_id = ${client.id}`);
    await db.execute(sql`UPDATE expenses SET export_state = 'exported' WHERE client_id = ${client.id}`);
    const ready = (await listBoard(viewer(lea), params({ month }))).rows[0];
    expect(ready).toMatchObject({ status: 'ready', afterClose: 2 });
    signInAs(lea);
    expect(await closeMonthAction(idle, closeForm())).toMatchObject({ status: 'success' });
    expect(await listAfterClose(client, month)).toEqual([]);
    expect((await listBoard(viewer(lea), params({ month }))).rows[0]).toMatchObject({
      status: 'closed',
      afterClose: 0,
    });
  });

  it('is refused for a month that is not over', async () => {
    const firm = await createFirm();
    const admin = viewer(await createUser(firm.id, { role: 'admin' }));
    const client = markVisible(await createClient(firm.id));
    await expect(closeMonth(admin, client, '2026-12', 'x', NOW)).rejects.toThrow('errors.monthNotOver');
  });
});

describe('the board', () => {
  it('shows each viewer their clients, with due dates from the VAT regime, filters and sorts', async () => {
    const firm = await createFirm();
    const admin = await createUser(firm.id, { role: 'admin' });
    const lea = await createUser(firm.id);
    const mensuel = await createClient(firm.id, { name: 'Alpha', team: [lea.id] });
    const trimestriel = await createClient(firm.id, { name: 'Bêta', team: [lea.id], balanceCents: -500 });
    const franchise = await createClient(firm.id, { name: 'Gamma' });
    await createClient(firm.id, { name: 'Invité', status: 'invitation' });
    await db.update(clients).set({ vatRegime: 'trimestriel', vatDueDay: 24 }).where(eq(clients.id, trimestriel.id));
    await db.update(clients).set({ vatRegime: 'franchise' }).where(eq(clients.id, franchise.id));
    await addExpenses(mensuel.id, 3, { receipt: 'missing', spentOn: '2026-11-05', amountCents: 6000 });
    await addExpenses(trimestriel.id, 1, { receipt: 'missing', spentOn: '2026-11-05', amountCents: 60_000 });
    await addExpenses(franchise.id, 2, { export: 'exported', spentOn: '2026-11-05' });

    const all = await listBoard(viewer(admin), params(), NOW);
    // Monthly on the 19th: CA3 on Monday 21 December 2026, closed 3 working days before (16th);
    // quarterly on the 24th: 25 January 2027; franchise: the firm's 15th of December.
    expect(all.rows.map((r) => [r.name, r.closeOn, r.vatDueOn, r.status])).toEqual([
      ['Gamma', '2026-12-10', '2026-12-15', 'ready'],
      ['Alpha', '2026-12-16', '2026-12-21', 'todo'],
      ['Bêta', '2027-01-20', '2027-01-25', 'todo'],
    ]);
    expect(all.hasNext).toBe(false);
    expect((await listBoard(viewer(admin), params({ size: 25, page: 2 }), NOW)).rows).toEqual([]);
    expect(
      (await listBoard(viewer(admin), params({ sort: 'vat' }), NOW)).rows.map((r) => [r.name, r.vatAtRiskCents]),
    ).toEqual([
      ['Bêta', 10_000],
      ['Alpha', 3000],
      ['Gamma', 0],
    ]);
    expect((await listBoard(viewer(admin), params({ sort: 'missing' }), NOW)).rows.map((r) => r.name)).toEqual([
      'Alpha',
      'Bêta',
      'Gamma',
    ]);
    expect((await listBoard(viewer(admin), params({ status: 'ready' }), NOW)).rows.map((r) => r.name)).toEqual([
      'Gamma',
    ]);
    // Late on 17 December: Alpha's close was the 16th; this week (14–20 December): Alpha only.
    const later = new Date('2026-12-17T10:00:00Z');
    expect((await listBoard(viewer(admin), params({ late: true }), later)).rows.map((r) => r.name)).toEqual([
      'Gamma',
      'Alpha',
    ]);
    expect((await listBoard(viewer(admin), params({ week: true }), later)).rows.map((r) => r.name)).toEqual(['Alpha']);
    // Léa sees her two clients only.
    expect((await listBoard(viewer(lea), params(), NOW)).rows.map((r) => r.name)).toEqual(['Alpha', 'Bêta']);
    // … read from her copies (assigned_months): an access that ends takes the client off her board,
    // whatever she asks for; a client given to her comes on it, with its month's figures.
    await db.execute(sql`DELETE FROM assignments WHERE client_id = ${trimestriel.id} AND user_id = ${lea.id}`);
    for (const change of [{}, { sort: 'vat' as const }, { status: 'todo' as const }, { reviewer: admin.id }]) {
      expect((await listBoard(viewer(lea), params(change), NOW)).rows.map((r) => r.name)).toEqual(
        'reviewer' in change ? [] : ['Alpha'],
      );
    }
    await db.insert(assignments).values({ firmId: firm.id, clientId: franchise.id, userId: lea.id });
    expect(
      (await listBoard(viewer(lea), params({ sort: 'vat' }), NOW)).rows.map((r) => [r.name, r.status, r.expenses]),
    ).toEqual([
      ['Alpha', 'todo', 3],
      ['Gamma', 'ready', 2],
    ]);
    // A client that leaves (declined) leaves every board.
    await db.update(clients).set({ status: 'declined' }).where(eq(clients.id, franchise.id));
    expect((await listBoard(viewer(lea), params(), NOW)).rows.map((r) => r.name)).toEqual(['Alpha']);
    expect((await listBoard(viewer(admin), params({ status: 'ready' }), NOW)).rows).toEqual([]);
    await db.update(clients).set({ status: 'active' }).where(eq(clients.id, franchise.id));
    await db.insert(assignments).values({ firmId: firm.id, clientId: trimestriel.id, userId: lea.id });

    // The regime changes: the open month's dates follow.
    signInAs(admin);
    await db.update(clients).set({ vatRegime: 'mensuel' }).where(eq(clients.id, trimestriel.id));
    const { setVatRegime } = await import('@/lib/close/deadlines');
    await setVatRegime(viewer(admin), markVisible(trimestriel), { regime: 'mensuel', dueDay: 24, siren: '' });
    expect((await listBoard(viewer(admin), params(), NOW)).rows.find((r) => r.name === 'Bêta')?.closeOn).toBe(
      '2026-12-21',
    );

    // A client added later has its row in the opened month.
    await createClient(firm.id, { name: 'Delta' });
    expect((await listBoard(viewer(admin), params(), NOW)).rows.map((r) => r.name)).toContain('Delta');
  });

  it('is opened by the cron for each firm whose month has moved on, before anyone visits', async () => {
    const firm = await createFirm();
    const client = await createClient(firm.id, { name: 'Epsilon' });
    const opened = () =>
      queryRows(sql`
      SELECT m.close_on::text AS "closeOn", c.close_on::text AS "clientCloseOn", f.close_month::text AS "closeMonth"
      FROM clients c JOIN firms f ON f.id = c.firm_id
        LEFT JOIN client_months m ON m.client_id = c.id AND m.month = DATE '2026-11-01'
      WHERE c.id = ${client.id}`);
    // No time left in the run: nothing is done, the next run will.
    expect(await openMonthsToClose(NOW, Date.now() - 1)).toBe(0);
    expect(await opened()).toEqual([{ closeOn: null, clientCloseOn: null, closeMonth: null }]);
    expect(await openMonthsToClose(NOW, Date.now() + 60_000)).toBeGreaterThanOrEqual(1);
    // Monthly on the 19th: closed 3 working days before Monday 21 December.
    expect(await opened()).toEqual([{ closeOn: '2026-12-16', clientCloseOn: '2026-12-16', closeMonth: '2026-11-01' }]);
    // Done once: the next run has nothing to open.
    expect(await openMonthsToClose(NOW, Date.now() + 60_000)).toBe(0);
  });

  it('sets preparers and reviewers in bulk, for admins only, within the firm', async () => {
    const firm = await createFirm();
    const admin = await createUser(firm.id, { role: 'admin' });
    const lea = await createUser(firm.id, { name: 'Léa Martin' });
    const hugo = await createUser(firm.id, { name: 'Hugo Bernard' });
    const outsider = await createUser((await createFirm()).id);
    const foreignClient = await createClient(outsider.firmId);
    const one = await createClient(firm.id);
    const two = await createClient(firm.id);

    signInAs(lea);
    expect(await setCloseRolesAction(idle, formData({ clientIds: [one.id], preparerId: lea.id }))).toMatchObject({
      message: 'Cette action est réservée aux administrateurs.',
    });
    signInAs(admin);
    expect(await setCloseRolesAction(idle, formData({ clientIds: [one.id], preparerId: outsider.id }))).toMatchObject({
      message: 'Membre inconnu.',
    });
    expect(await setCloseRolesAction(idle, formData({ clientIds: [one.id] }))).toMatchObject({
      message: 'Choisissez un préparateur, un réviseur ou les deux.',
    });
    expect(await setCloseRolesAction(idle, formData({ clientIds: [], preparerId: lea.id }))).toMatchObject({
      fieldErrors: { clientIds: ['Cochez au moins un client.'] },
    });
    expect(
      await setCloseRolesAction(
        idle,
        formData({ clientIds: [one.id, two.id, foreignClient.id], preparerId: lea.id, reviewerId: hugo.id }),
      ),
    ).toMatchObject({ status: 'success', message: expect.stringMatching(/^2 clients mis à jour/) });
    const rows = await db
      .select()
      .from(clients)
      .where(sql`${clients.id} IN (${one.id}, ${two.id}, ${foreignClient.id})`);
    expect(rows.map((c) => [c.id === foreignClient.id, c.closePreparerId, c.closeReviewerId]).sort()).toEqual(
      [
        [false, lea.id, hugo.id],
        [false, lea.id, hugo.id],
        [true, null, null],
      ].sort(),
    );
    // They can open the clients they prepare and review, and the board filters by them.
    expect(await db.select().from(assignments).where(eq(assignments.userId, lea.id))).toHaveLength(2);
    expect((await listBoard(viewer(lea), params({ preparer: lea.id }), NOW)).rows).toHaveLength(2);
    expect((await listBoard(viewer(admin), params({ reviewer: lea.id }), NOW)).rows).toHaveLength(0);
    expect(await journal(one.id, 'close_roles_changed')).toEqual([
      { details: { preparer: 'Léa Martin', reviewer: 'Hugo Bernard' } },
    ]);
    // Only the reviewer changes: the preparer stays.
    await setCloseRolesAction(idle, formData({ clientIds: [one.id], reviewerId: lea.id }));
    const [after] = await db.select().from(clients).where(eq(clients.id, one.id));
    expect(after).toMatchObject({ closePreparerId: lea.id, closeReviewerId: lea.id });
  });

  it('reads its state from the URL, and anything malformed is the default', () => {
    const months = ['2026-11', '2026-10', '2026-09', '2026-08'];
    const state = parseBoardParams(
      { mois: '2026-10', statut: 'prete', retard: '1', tri: 'tva', taille: '50', page: '2', preparateur: 'x' },
      months,
    );
    expect(state).toMatchObject({ month: '2026-10', status: 'ready', late: true, sort: 'vat', size: 50, page: 2 });
    expect(state.preparer).toBeUndefined();
    expect(boardHref(state, months)).toBe('/cloture?mois=2026-10&statut=prete&retard=1&tri=tva&taille=50&page=2');
    expect(
      parseBoardParams({ mois: '0000-01', statut: '__proto__', tri: '\u0000', taille: '7', page: '-1' }, months),
    ).toMatchObject({ month: '2026-11', status: undefined, sort: 'due', size: 25, page: 1 });
  });
});

describe('what the e-mails say of a close', () => {
  it('late, due this week, or nothing (closed, or later)', async () => {
    const firm = await createFirm();
    const client = await createClient(firm.id);
    const rules = { id: client.id, firmId: firm.id, vatRegime: 'mensuel' as const, vatDueDay: 19 };
    // November closes on Wednesday 16 December 2026.
    expect(await clientCloseNotice(rules, new Date('2026-12-03T10:00:00Z'))).toBeUndefined();
    expect(await clientCloseNotice(rules, new Date('2026-12-14T10:00:00Z'))).toEqual({
      month: '2026-11',
      on: '2026-12-16',
      late: false,
    });
    expect(await clientCloseNotice(rules, new Date('2026-12-17T10:00:00Z'))).toEqual({
      month: '2026-11',
      on: '2026-12-16',
      late: true,
    });
    await closeMonth(viewer(await createUser(firm.id, { role: 'admin' })), markVisible(client), '2026-11', 'x', NOW);
    expect(await clientCloseNotice(rules, new Date('2026-12-17T10:00:00Z'))).toBeUndefined();
    const text = reminderText({
      locale: 'fr',
      recipientName: 'Léa Martin',
      senderName: 'Claire Dubois',
      firmName: 'Cabinet Démo',
      clientName: 'Boucherie',
      clientUrl: 'https://portail.test/clients/1',
      tasks: ['missing_receipts'],
      figures: { missingReceipts: 2, readyToExport: 0, balanceCents: 0, currency: 'EUR' },
      comment: '',
      close: { month: '2026-11', on: '2026-12-16', late: true },
    });
    expect(text).toContain('Clôture de novembre 2026\u202f: en retard (prévue le 16/12/2026)');
  });
});
