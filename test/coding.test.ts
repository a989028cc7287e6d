import { eq, sql } from 'drizzle-orm';
import yauzl from 'yauzl';
import { signInAs } from './session';
import { queryRows } from '@/db';
import { clients, codingRules, expenses, storedFiles, fileChunks } from '@/db/schema';
import { GET as download } from '@/app/(app)/clients/[clientId]/exports/[exportId]/route';
import {
  cancelExportAction,
  codeExpensesAction,
  deleteRuleAction,
  reviewExpensesAction,
  saveAccountAction,
  saveBooksAction,
  saveFirmAccountAction,
  saveRuleAction,
  splitExpenseAction,
} from '@/lib/bookkeeping/actions';
import { loadBooks, loadFirmChart } from '@/lib/bookkeeping/books';
import { decodeText } from '@/lib/bookkeeping/charsets';
import { validateFec, validateFecName } from '@/scripts/fec-validate';
import { ruleOffers, suggestCodings } from '@/lib/bookkeeping/rules';
import { createExport } from '@/lib/exports/create-export';
import { markVisible } from '@/lib/access/visibility';
import { withTestDatabase } from './db';
import { addExpenses, createClient, createFirm, createUser, formData, viewer } from './factories';

jest.mock('next/cache', () => ({ revalidatePath: jest.fn() }));

const db = withTestDatabase();

type User = Awaited<ReturnType<typeof createUser>>;
let admin: User;
let lea: User;
let hugo: User;
let stranger: User;

beforeAll(async () => {
  const firm = await createFirm();
  admin = await createUser(firm.id, { role: 'admin' });
  lea = await createUser(firm.id, { name: 'Léa Martin' });
  hugo = await createUser(firm.id);
  const other = await createFirm();
  stranger = await createUser(other.id, { role: 'admin' });
});

const idle = { status: 'idle' as const };

async function clientToCode(count: number) {
  const client = await createClient(admin.firmId, { name: 'Boucherie Lefèvre & Fils', team: [lea.id] });
  await db.update(clients).set({ siren: '732829320' }).where(eq(clients.id, client.id));
  const rows = await addExpenses(client.id, count, { receipt: 'attached', spentOn: '2026-11-03', amountCents: 12_000 });
  await db.update(expenses).set({ platformReady: true }).where(eq(expenses.clientId, client.id));
  return { client, ids: rows.map((r) => r.id) };
}

async function state(id: string) {
  const [row] = await queryRows<{ coding_state: string; export_state: string; lines: number }>(
    sql`SELECT coding_state::text, export_state::text,
          (SELECT count(*)::int FROM expense_lines l WHERE l.expense_id = e.id) AS lines
        FROM expenses e WHERE id = ${id}`,
  );
  return row;
}

const get = (clientId: string, exportId: string, format?: string) =>
  download(
    new Request(`http://localhost/clients/${clientId}/exports/${exportId}${format ? `?format=${format}` : ''}`),
    { params: Promise.resolve({ clientId, exportId }) },
  );

function code(ids: string[], account = '6251', extra: Record<string, string> = {}) {
  return formData({ clientId: '', ids, account, vatRate: '1000', deductible: '100', ...extra });
}

describe('coding expenses', () => {
  it('codes from the grid, reviews, and only then is the expense ready to export', async () => {
    const { client, ids } = await clientToCode(3);
    signInAs(lea);
    const coded = await codeExpensesAction(idle, code([ids[0]!], '6251', { clientId: client.id }));
    expect(coded).toMatchObject({ status: 'success', message: 'Dépense codée.' });
    expect(await state(ids[0]!)).toEqual({ coding_state: 'coded', export_state: 'not_ready', lines: 1 });
    // The same request again (a retry after a lost answer): the same rows.
    await codeExpensesAction(idle, code([ids[0]!], '6251', { clientId: client.id }));
    expect(await state(ids[0]!)).toEqual({ coding_state: 'coded', export_state: 'not_ready', lines: 1 });
    const reviewed = await reviewExpensesAction(idle, formData({ clientId: client.id, ids, reviewed: '1' }));
    expect(reviewed).toMatchObject({
      status: 'success',
      message: '1 dépense revue\u202f; 2 non codées laissées de côté.',
    });
    expect(await state(ids[0]!)).toEqual({ coding_state: 'reviewed', export_state: 'ready', lines: 1 });
    // Several rows at once, coded and reviewed in one go (Ctrl+Entrée on a selection).
    const both = await codeExpensesAction(
      idle,
      code(ids.slice(1), '6256', { clientId: client.id, review: '1', analytic: 'PARIS' }),
    );
    expect(both).toMatchObject({ status: 'success', message: '2 dépenses codées et revues.' });
    const [counters] = await db.select().from(clients).where(eq(clients.id, client.id));
    expect(counters!.readyToExport).toBe(3);
  });

  it('refuses bad input next to the field, and changes nothing', async () => {
    const { client, ids } = await clientToCode(1);
    signInAs(lea);
    const cases: [Record<string, string>, string, string][] = [
      [{ account: '9999' }, 'account', 'Numéro de compte invalide'],
      [{ account: '6251\u0000' }, 'account', 'caractères non autorisés'],
      [{ vatRate: '1900' }, 'vatRate', 'Choisissez un taux'],
      [{ deductible: '120' }, 'deductible', 'Part déductible invalide'],
      [{ analytic: '__proto__<script>' }, 'analytic', 'Code analytique'],
      [{ ids: 'pas-un-id' }, 'ids', 'Dépense inconnue'],
    ];
    for (const [fields, field, message] of cases) {
      const answer = await codeExpensesAction(idle, code(ids, '6251', { clientId: client.id, ...fields }));
      expect(answer.status).toBe('error');
      expect(answer.fieldErrors?.[field]?.[0]).toContain(message);
    }
    // An account that is valid but not in the client's chart, and one that is not an expense account.
    expect(await codeExpensesAction(idle, code(ids, '6299', { clientId: client.id }))).toMatchObject({
      status: 'error',
      message: expect.stringContaining('pas dans le plan comptable'),
    });
    expect(await codeExpensesAction(idle, code(ids, '512100', { clientId: client.id }))).toMatchObject({
      status: 'error',
      message: expect.stringContaining('compte de charge'),
    });
    expect(await state(ids[0]!)).toEqual({ coding_state: 'to_code', export_state: 'not_ready', lines: 0 });
  });

  it('lets nobody code another client’s expenses: not assigned, another firm, signed out, an id of another client', async () => {
    const { client, ids } = await clientToCode(1);
    const other = await clientToCode(1);
    for (const who of [hugo, stranger]) {
      signInAs(who);
      expect(await codeExpensesAction(idle, code(ids, '6251', { clientId: client.id }))).toMatchObject({
        status: 'error',
        message: 'Client introuvable.',
      });
      expect(await reviewExpensesAction(idle, formData({ clientId: client.id, ids }))).toMatchObject({
        status: 'error',
      });
    }
    signInAs(undefined);
    expect((await codeExpensesAction(idle, code(ids, '6251', { clientId: client.id }))).status).toBe('error');
    // Lea may open both clients' accounts, but not code one client's expense through the other.
    signInAs(lea);
    expect(await codeExpensesAction(idle, code(other.ids, '6251', { clientId: client.id }))).toMatchObject({
      status: 'error',
      message: 'Dépense introuvable pour ce client.',
    });
    expect(await state(other.ids[0]!)).toMatchObject({ coding_state: 'to_code', lines: 0 });
  });

  it('splits a receipt that mixes rates, to the cent', async () => {
    const { client, ids } = await clientToCode(1);
    signInAs(lea);
    const split = (gross: string[]) =>
      splitExpenseAction(
        idle,
        formData({
          clientId: client.id,
          expenseId: ids[0]!,
          account: ['6256', '6064', ''],
          vatRate: ['1000', '2000', '2000'],
          gross: [...gross, ''],
          deductible: ['100', '100', '100'],
          analytic: ['', '', ''],
        }),
      );
    expect(await split(['80,00', '39,99'])).toMatchObject({
      status: 'error',
      message: 'Les lignes doivent totaliser exactement le montant de la dépense.',
    });
    expect(await split(['80,00', 'douze'])).toMatchObject({
      status: 'error',
      fieldErrors: { lines: ['Montant invalide\u202f: par exemple 12,50.'] },
    });
    expect(await split(['80,00', '40,00'])).toMatchObject({
      status: 'success',
      message: 'Ventilation enregistrée (2 lignes).',
    });
    expect(await state(ids[0]!)).toEqual({ coding_state: 'coded', export_state: 'not_ready', lines: 2 });
  });
});

describe('exporting coded expenses', () => {
  async function exportedClient() {
    const { client, ids } = await clientToCode(3);
    signInAs(lea);
    await codeExpensesAction(idle, code(ids, '6251', { clientId: client.id, review: '1' }));
    const done = await createExport(viewer(lea), client.id);
    return { client, ids, done };
  }

  it('writes a FEC the validator accepts, with piece numbers, named <SIREN>FEC<closing day>.txt', async () => {
    const { client, done } = await exportedClient();
    signInAs(lea);
    const answer = await get(client.id, done.id, 'fec');
    expect(answer.status).toBe(200);
    const name = /filename="([^"]+)"/.exec(answer.headers.get('content-disposition')!)![1]!;
    expect(name).toBe('732829320FEC20261231.txt');
    expect(answer.headers.get('content-type')).toBe('text/plain; charset=iso-8859-15');
    const bytes = Buffer.from(await answer.arrayBuffer());
    expect([...validateFecName(name), ...validateFec(bytes)]).toEqual([]);
    const records = decodeText(bytes, 'iso-8859-15').split('\r\n').filter(Boolean);
    expect(records).toHaveLength(1 + 3 * 3);
    expect(records.slice(1).map((r) => r.split('|')[8])).toEqual([
      ...Array(3).fill('00000001'),
      ...Array(3).fill('00000002'),
      ...Array(3).fill('00000003'),
    ]);
    // Downloaded again: the same bytes.
    expect(Buffer.from(await (await get(client.id, done.id, 'fec')).arrayBuffer()).equals(bytes)).toBe(true);
    // Each preset downloads too; a client without SIREN gets a message, not a file.
    for (const preset of ['quadra', 'ebp', 'sage50', 'csv']) {
      const file = await get(client.id, done.id, preset);
      expect(file.status).toBe(200);
      expect((await file.arrayBuffer()).byteLength).toBeGreaterThan(0);
    }
    await db.update(clients).set({ siren: null }).where(eq(clients.id, client.id));
    const refused = await get(client.id, done.id, 'fec');
    expect(refused.status).toBe(409);
    expect(await refused.text()).toMatch(/SIREN du client manque/);
    expect((await get(client.id, done.id, 'xls')).status).toBe(404);
  });

  it('hands Sage 50 its XImport, and refuses it rather than cut a journal or an analytic code', async () => {
    const { client, ids } = await clientToCode(2);
    const one = async () => {
      const [row] = await addExpenses(client.id, 1, { receipt: 'attached', spentOn: '2026-11-04', amountCents: 5_000 });
      await db.update(expenses).set({ platformReady: true }).where(eq(expenses.id, row!.id));
      return row!.id;
    };
    signInAs(lea);
    await codeExpensesAction(idle, code(ids, '6251', { clientId: client.id, review: '1', analytic: 'LYON' }));
    const done = await createExport(viewer(lea), client.id);
    const answer = await get(client.id, done.id, 'sage50');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/plain; charset=ibm850');
    const records = decodeText(Buffer.from(await answer.arrayBuffer()), 'cp850')
      .split('\r\n')
      .filter(Boolean);
    expect(records).toHaveLength(2 * 3);
    for (const r of records) expect(r).toMatch(/^ {4}[12]BQ\d{16}0000000\d {4}.{102}O2003$/);
    expect(records[0]!.slice(97, 103)).toBe('LYON  ');

    // A journal of three characters: the settings refuse it with Sage 50, next to the field…
    signInAs(admin);
    const books = (fields: Record<string, string>) =>
      saveBooksAction(
        idle,
        formData({
          clientId: client.id,
          journalCode: 'ACH',
          journalLabel: 'Achats',
          vatAccount: '44566',
          counterpartAccount: '512100',
          preset: 'sage50',
          ...fields,
        }),
      );
    expect((await books({})).fieldErrors?.journalCode?.[0]).toBe(
      'Code journal\u202f: 2 caractères au plus pour Sage 50 (format XImport).',
    );
    expect((await loadBooks(client)).settings).toMatchObject({ journalCode: 'BQ', preset: 'fec' });
    // …and an export frozen with one (chosen for another package) is refused, not cut to « AC ».
    expect(await books({ preset: 'quadra' })).toMatchObject({ status: 'success' });
    const another = await one();
    signInAs(lea);
    await codeExpensesAction(idle, code([another], '6251', { clientId: client.id, review: '1' }));
    const withAch = await createExport(viewer(lea), client.id);
    const refused = await get(client.id, withAch.id, 'sage50');
    expect(refused.status).toBe(409);
    expect(await refused.text()).toMatch(/format XImport de Sage 50 n’en prend que 2/);
    expect((await get(client.id, withAch.id, 'quadra')).status).toBe(200);

    // An analytic code longer than six characters: refused too, with what to do.
    signInAs(admin);
    expect(await books({ journalCode: 'AC', preset: 'sage50' })).toMatchObject({ status: 'success' });
    const third = await one();
    signInAs(lea);
    await codeExpensesAction(idle, code([third], '6251', { clientId: client.id, review: '1', analytic: 'MARSEILLE' }));
    const long = await createExport(viewer(lea), client.id);
    const tooLong = await get(client.id, long.id, 'sage50');
    expect(tooLong.status).toBe(409);
    expect(await tooLong.text()).toMatch(/dépasse 6 caractères/);
    expect((await get(client.id, long.id, 'fec')).status).toBe(200);
  });

  it('locks what was exported, and « Annuler l’export » reverses it in the next file without touching the first', async () => {
    const { client, ids, done } = await exportedClient();
    signInAs(lea);
    const first = Buffer.from(await (await get(client.id, done.id, 'fec')).arrayBuffer());
    expect(await codeExpensesAction(idle, code([ids[0]!], '6256', { clientId: client.id }))).toMatchObject({
      status: 'error',
      message: expect.stringContaining('exportée'),
    });
    const cancelled = await cancelExportAction(idle, formData({ clientId: client.id, exportId: done.id }));
    expect(cancelled).toMatchObject({ status: 'success', message: expect.stringContaining('3 dépenses reviennent') });
    // Safe to retry: the second time says so and changes nothing.
    expect(await cancelExportAction(idle, formData({ clientId: client.id, exportId: done.id }))).toMatchObject({
      message: 'Cet export était déjà annulé\u202f: rien n’a changé.',
    });
    expect(Buffer.from(await (await get(client.id, done.id, 'fec')).arrayBuffer()).equals(first)).toBe(true);
    expect(await state(ids[0]!)).toMatchObject({ coding_state: 'reviewed', export_state: 'ready' });
    // Recoded (now unlocked) and exported again: the next file carries the 3 reversals, then the 3 new entries.
    await codeExpensesAction(idle, code([ids[0]!], '6256', { clientId: client.id, review: '1' }));
    const next = await createExport(viewer(lea), client.id);
    expect(next).toMatchObject({ expenseCount: 3, reversals: 3 });
    const bytes = Buffer.from(await (await get(client.id, next.id, 'fec')).arrayBuffer());
    expect(validateFec(bytes)).toEqual([]);
    const records = decodeText(bytes, 'iso-8859-15').split('\r\n').filter(Boolean).slice(1);
    const reversals = records.filter((r) => r.split('|')[10]!.startsWith('Annulation '));
    expect(reversals).toHaveLength(9);
    // The reversal of the bank line is a debit; the pieces are the first export's.
    expect(
      reversals
        .find((r) => r.split('|')[4] === '512100')!
        .split('|')
        .slice(8, 13),
    ).toEqual(['00000001', '20261103', 'Annulation Fournisseur test', '120,00', '0,00']);
    expect(records.filter((r) => r.split('|')[4] === '6256')).toHaveLength(1);
    // A third export has nothing: the reversals are not carried twice.
    await expect(createExport(viewer(lea), client.id)).rejects.toThrow();
    const journal = await queryRows<{ action: string }>(
      sql`SELECT action FROM activity_log WHERE client_id = ${client.id} AND action LIKE 'export_c%' ORDER BY at`,
    );
    expect(journal.map((j) => j.action)).toEqual(['export_created', 'export_cancelled', 'export_created']);
  });

  it('refuses to cancel another client’s or another firm’s export', async () => {
    const { client, done } = await exportedClient();
    for (const who of [hugo, stranger]) {
      signInAs(who);
      expect(await cancelExportAction(idle, formData({ clientId: client.id, exportId: done.id }))).toMatchObject({
        status: 'error',
      });
    }
    const other = await clientToCode(1);
    await db.execute(
      sql`INSERT INTO assignments (firm_id, client_id, user_id) VALUES (${admin.firmId}, ${other.client.id}, ${hugo.id})`,
    );
    signInAs(hugo);
    expect(await cancelExportAction(idle, formData({ clientId: other.client.id, exportId: done.id }))).toMatchObject({
      status: 'error',
      message: 'Export introuvable.',
    });
    const [row] = await queryRows<{ cancelled: boolean }>(
      sql`SELECT cancelled_at IS NOT NULL AS cancelled FROM expense_exports WHERE id = ${done.id}`,
    );
    expect(row!.cancelled).toBe(false);
  });

  it('puts the receipts in a ZIP, each named by its piece number', async () => {
    const { client, ids } = await clientToCode(2);
    // A PDF receipt on the first expense, stored by the PostgreSQL driver.
    const pdf = Buffer.from('%PDF-1.4\n% reçu de test\n');
    const [file] = await db
      .insert(storedFiles)
      .values({ driver: 'postgres', contentType: 'application/pdf', size: pdf.length, complete: true })
      .returning();
    await db.insert(fileChunks).values({ fileId: file!.id, seq: 0, data: pdf });
    await db.update(expenses).set({ receiptFileId: file!.id }).where(eq(expenses.id, ids[0]!));
    signInAs(lea);
    await codeExpensesAction(idle, code(ids, '6064', { clientId: client.id, review: '1', vatRate: '2000' }));
    const done = await createExport(viewer(lea), client.id);
    const answer = await get(client.id, done.id, 'zip');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/zip');
    const zip = Buffer.from(await answer.arrayBuffer());
    const entries = await unzip(zip);
    const [piece] = await db.select({ ref: expenses.pieceRef }).from(expenses).where(eq(expenses.id, ids[0]!));
    expect(entries).toEqual([{ name: `${piece!.ref}.pdf`, data: pdf }]);
    const again = Buffer.from(await (await get(client.id, done.id, 'zip')).arrayBuffer());
    expect(again.equals(zip)).toBe(true);
    // Quadra's records point at the same file.
    const quadra = decodeText(
      Buffer.from(await (await get(client.id, done.id, 'quadra')).arrayBuffer()),
      'windows-1252',
    );
    const records = quadra.split('\r\n').filter(Boolean);
    expect(records.filter((r) => r.slice(181, 193) === `${piece!.ref}.pdf`)).toHaveLength(3);
    expect(records.filter((r) => r.slice(181, 193) === ' '.repeat(12))).toHaveLength(3);
  });
});

describe('what breaks an entry, tried', () => {
  it('a new amount for an exported, split expense: once its export is cancelled it is to code again, not ready without lines', async () => {
    const { client, ids } = await clientToCode(1);
    signInAs(lea);
    await splitExpenseAction(
      idle,
      formData({
        clientId: client.id,
        expenseId: ids[0]!,
        account: ['6256', '6064'],
        vatRate: ['1000', '2000'],
        gross: ['80,00', '40,00'],
        deductible: ['100', '100'],
        analytic: ['', ''],
      }),
    );
    await reviewExpensesAction(idle, formData({ clientId: client.id, ids, reviewed: '1' }));
    const done = await createExport(viewer(lea), client.id);
    // The platform corrects the amount of the exported expense (as its ingest writes it).
    await db.update(expenses).set({ amountCents: 13_000 }).where(eq(expenses.id, ids[0]!));
    await cancelExportAction(idle, formData({ clientId: client.id, exportId: done.id }));
    expect(await state(ids[0]!)).toEqual({ coding_state: 'to_code', export_state: 'not_ready', lines: 0 });
    await expect(createExport(viewer(lea), client.id)).resolves.toMatchObject({ expenseCount: 0, reversals: 1 });
  });

  it('cancelling an export made before coding reverses nothing (it handed over a CSV, no entries)', async () => {
    const { client, ids } = await clientToCode(1);
    const [legacy] = await queryRows<{ id: string }>(
      sql`INSERT INTO expense_exports (firm_id, client_id, created_by, expense_count, total_cents, currency)
          VALUES (${admin.firmId}, ${client.id}, ${admin.id}, 1, 500, 'EUR') RETURNING id`,
    );
    await db.execute(sql`
      INSERT INTO export_entries (export_id, position, expense_id, entry_date, spent_on, merchant, amount_cents,
        currency, receipt_state, piece_ref)
      VALUES (${legacy!.id}, 1, ${ids[0]!}, '2026-10-01', '2026-10-01', 'Ancien', 500, 'EUR', 'attached', 'ABCDEF0123')`);
    signInAs(lea);
    expect(await cancelExportAction(idle, formData({ clientId: client.id, exportId: legacy!.id }))).toMatchObject({
      status: 'success',
    });
    await codeExpensesAction(idle, code(ids, '6251', { clientId: client.id, review: '1' }));
    const next = await createExport(viewer(lea), client.id);
    expect(next).toMatchObject({ expenseCount: 1, reversals: 0 });
    const bytes = Buffer.from(await (await get(client.id, next.id, 'fec')).arrayBuffer());
    expect(validateFec(bytes)).toEqual([]);
  });

  it('refuses the other actions to those who may not: a split, an account, a rule’s deletion', async () => {
    const { client, ids } = await clientToCode(1);
    signInAs(stranger);
    expect(
      await splitExpenseAction(
        idle,
        formData({
          clientId: client.id,
          expenseId: ids[0]!,
          account: ['6256'],
          vatRate: ['1000'],
          gross: ['1000,00'],
          deductible: ['100'],
          analytic: [''],
        }),
      ),
    ).toMatchObject({ status: 'error', message: 'Client introuvable.' });
    signInAs(lea);
    expect(
      await saveAccountAction(
        idle,
        formData({ clientId: client.id, number: '6257', label: 'Réceptions', vatRate: '1000', deductible: '100' }),
      ),
    ).toMatchObject({ status: 'error', message: 'Cette action est réservée aux administrateurs.' });
    const [firmRule] = await db
      .insert(codingRules)
      .values({
        firmId: admin.firmId,
        merchantKey: 'uber',
        merchant: 'Uber',
        account: '6251',
        vatRateBp: 1000,
        deductiblePct: 100,
      })
      .returning();
    expect(await deleteRuleAction(idle, formData({ clientId: client.id, ruleId: firmRule!.id }))).toMatchObject({
      status: 'error',
      message: 'Cette action est réservée aux administrateurs.',
    });
    const other = await createClient(stranger.firmId);
    const [otherRule] = await db
      .insert(codingRules)
      .values({
        firmId: stranger.firmId,
        clientId: other.id,
        merchantKey: 'uber',
        merchant: 'Uber',
        account: '6251',
        vatRateBp: 1000,
        deductiblePct: 100,
      })
      .returning();
    signInAs(admin);
    expect(await deleteRuleAction(idle, formData({ clientId: client.id, ruleId: otherRule!.id }))).toMatchObject({
      status: 'error',
      message: 'Règle introuvable.',
    });
    expect(await db.select().from(codingRules).where(eq(codingRules.id, otherRule!.id))).toHaveLength(1);
    expect(await deleteRuleAction(idle, formData({ clientId: client.id, ruleId: firmRule!.id }))).toMatchObject({
      status: 'success',
    });
  });
});

describe('rules', () => {
  it('suggest the coding of new expenses of their merchant, and are offered after three identical codings', async () => {
    const { client, ids } = await clientToCode(4);
    await db.update(expenses).set({ merchant: 'SNCF Connect' }).where(eq(expenses.clientId, client.id));
    signInAs(lea);
    await codeExpensesAction(idle, code(ids.slice(0, 3), '6251', { clientId: client.id }));
    expect(await ruleOffers(markVisible(client))).toEqual([
      { merchant: 'SNCF Connect', account: '6251', vatRateBp: 1000, deductiblePct: 100, times: 3 },
    ]);
    const saved = await saveRuleAction(
      idle,
      formData({ clientId: client.id, merchant: 'SNCF Connect', account: '6251', vatRate: '1000', deductible: '100' }),
    );
    expect(saved).toMatchObject({
      status: 'success',
      message: 'Règle enregistrée pour SNCF Connect\u202f: suggérée pour 1 dépense à coder.',
    });
    expect(await ruleOffers(markVisible(client))).toEqual([]);
    expect(await state(ids[3]!)).toEqual({ coding_state: 'to_code', export_state: 'not_ready', lines: 1 });
    // A new expense of « sncf connect » (another spelling) gets the suggestion, one already coded does not change.
    const [fresh] = await addExpenses(client.id, 1, { receipt: 'attached' });
    await db.update(expenses).set({ merchant: 'sncf CONNECT' }).where(eq(expenses.id, fresh!.id));
    expect(await suggestCodings(db, [fresh!.id, ids[0]!])).toBe(1);
    const [row] = await db
      .select({ suggested: expenses.codingSuggested })
      .from(expenses)
      .where(eq(expenses.id, fresh!.id));
    expect(row!.suggested).toBe(true);
    // A firm-wide rule is the admins'.
    expect(
      await saveRuleAction(
        idle,
        formData({
          clientId: client.id,
          merchant: 'Uber',
          account: '6251',
          vatRate: '1000',
          deductible: '100',
          scope: 'firm',
        }),
      ),
    ).toMatchObject({ status: 'error', message: 'Cette action est réservée aux administrateurs.' });
  });
});

describe('the books', () => {
  it('start from the PCG, and only admins change them, with French messages for bad accounts', async () => {
    const { client } = await clientToCode(0);
    const { settings, chart } = await loadBooks(markVisible(client));
    expect(settings).toMatchObject({
      journalCode: 'BQ',
      vatAccount: '44566',
      counterpartAccount: '512100',
      preset: 'fec',
    });
    expect(chart.find((a) => a.number === '6251')).toMatchObject({
      label: 'Voyages et déplacements',
      defaultVatRateBp: 1000,
    });
    const books = (fields: Record<string, string>) =>
      saveBooksAction(
        idle,
        formData({
          clientId: client.id,
          journalCode: 'cb',
          journalLabel: 'Carte bancaire',
          vatAccount: '44566',
          counterpartAccount: '401',
          supplierAuxiliary: '1',
          preset: 'quadra',
          ...fields,
        }),
      );
    signInAs(lea);
    expect(await books({})).toMatchObject({
      status: 'error',
      message: 'Cette action est réservée aux administrateurs.',
    });
    signInAs(admin);
    expect((await books({ vatAccount: '6251' })).fieldErrors?.vatAccount?.[0]).toMatch(/445/);
    expect((await books({ counterpartAccount: '606' })).fieldErrors?.counterpartAccount?.[0]).toMatch(/512/);
    expect((await books({ preset: 'sage' })).fieldErrors?.preset?.[0]).toBe('Choix invalide.');
    expect(await books({})).toMatchObject({ status: 'success' });
    expect((await loadBooks(client)).settings).toMatchObject({
      journalCode: 'CB',
      preset: 'quadra',
      supplierAuxiliary: true,
    });
    expect(
      await saveAccountAction(
        idle,
        formData({
          clientId: client.id,
          number: '6257',
          label: 'Réceptions clients',
          vatRate: '1000',
          deductible: '100',
        }),
      ),
    ).toMatchObject({ status: 'success', message: 'Compte 6257 enregistré.' });
    signInAs(stranger);
    expect(await books({})).toMatchObject({ status: 'error', message: 'Client introuvable.' });
  });
});

describe('the firm’s default chart', () => {
  it('is where each new client’s chart starts, and only its admins change it', async () => {
    signInAs(lea);
    const account = { number: '6228', label: 'Rémunérations diverses', vatRate: '2000', deductible: '100' };
    expect(await saveFirmAccountAction(idle, formData(account))).toMatchObject({
      status: 'error',
      message: 'Cette action est réservée aux administrateurs.',
    });
    const before = await clientToCode(0);
    await loadBooks(markVisible(before.client));
    signInAs(admin);
    expect(await saveFirmAccountAction(idle, formData(account))).toMatchObject({ status: 'success' });
    expect(
      (await saveFirmAccountAction(idle, formData({ ...account, number: '62 28' }))).fieldErrors?.number?.[0],
    ).toMatch(/Numéro de compte invalide/);
    const after = await clientToCode(0);
    const numbers = async (c: typeof after.client) => (await loadBooks(markVisible(c))).chart.map((a) => a.number);
    expect(await numbers(after.client)).toContain('6228');
    // A client whose chart was made before keeps it as it was.
    expect(await numbers(before.client)).not.toContain('6228');
    expect((await loadFirmChart(admin.firmId)).find((a) => a.number === '6228')).toMatchObject({
      label: 'Rémunérations diverses',
    });
    // Another firm's chart is its own.
    expect((await loadFirmChart(stranger.firmId)).some((a) => a.number === '6228')).toBe(false);
  });
});

function unzip(buffer: Buffer): Promise<{ name: string; data: Buffer }[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const out: { name: string; data: Buffer }[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            out.push({ name: entry.fileName, data: Buffer.concat(chunks) });
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(out));
      zip.readEntry();
    });
  });
}
