import { eq, sql } from 'drizzle-orm';
import { signInAs } from './session';
import { queryRows } from '@/db';
import { clients, expenseExports, expenses } from '@/db/schema';
import { GET as download } from '@/app/(app)/clients/[clientId]/exports/[exportId]/route';
import { exportExpensesAction } from '@/lib/exports/actions';
import { createExport, exportCsvStream } from '@/lib/exports/create-export';
import { findExport } from '@/lib/exports/queries';
import { fr } from './i18n';
import { csvAmount, csvText } from '@/lib/exports/csv';
import { withTestDatabase } from './db';
import { addExpenses, createClient, createFirm, createUser, viewer } from './factories';

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

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

async function clientWithReady(ready: number) {
  const client = await createClient(admin.firmId, { name: 'Boucherie Lefèvre & Fils', team: [lea.id] });
  await addExpenses(client.id, ready, {
    receipt: 'attached',
    export: 'ready',
    spentOn: '2026-11-03',
    amountCents: 123456,
  });
  await addExpenses(client.id, 2, { receipt: 'missing', export: 'not_ready' });
  return client;
}

describe('exporting the expenses ready to export', () => {
  it('moves them to exported with the export, and writes a French CSV', async () => {
    const client = await clientWithReady(3);
    await db
      .update(expenses)
      .set({ merchant: '=HYPERLINK("x"); "Café"', category: 'Repas' })
      .where(eq(expenses.clientId, client.id));
    const done = await createExport(viewer(lea), client.id);
    expect(done).toMatchObject({ expenseCount: 3, totalCents: 3 * 123456, currency: 'EUR', createdBy: lea.id });
    const [counters] = await db.select({ ready: clients.readyToExport }).from(clients).where(eq(clients.id, client.id));
    expect(counters!.ready).toBe(0);
    const states = await queryRows<{ export_state: string; n: number }>(
      sql`SELECT export_state::text, count(*)::int AS n FROM expenses WHERE client_id = ${client.id} GROUP BY 1 ORDER BY 1`,
    );
    expect(states).toEqual([
      { export_state: 'exported', n: 3 },
      { export_state: 'not_ready', n: 2 },
    ]);

    const file = await readAll(exportCsvStream(admin.firmId, done.id));
    expect([...file.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = file.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).toBe('Date;Fournisseur;Montant;Devise;Catégorie;Reçu;Identifiant');
    expect(lines[1]).toMatch(/^03\/11\/2026;"'=HYPERLINK\(""x""\); ""Café""";1234,56;EUR;Repas;Joint;[0-9a-f-]{36}$/);
    expect(lines).toHaveLength(5); // header, 3 expenses, the empty string after the last CRLF
    // Downloaded again: the same bytes.
    expect((await readAll(exportCsvStream(admin.firmId, done.id))).equals(file)).toBe(true);
  });

  it('says so when nothing is ready, and records no export', async () => {
    const client = await clientWithReady(0);
    await expect(createExport(viewer(lea), client.id)).rejects.toThrow('errors.nothingReady');
    expect(await db.select().from(expenseExports).where(eq(expenseExports.clientId, client.id))).toEqual([]);
  });

  it('never puts one expense in two exports started at once', async () => {
    const client = await clientWithReady(40);
    const results = await Promise.allSettled([
      createExport(viewer(lea), client.id),
      createExport(viewer(admin), client.id),
    ]);
    const ok = results.filter((r) => r.status === 'fulfilled');
    expect(ok).toHaveLength(1);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason.message).toBe(
      'errors.nothingReady',
    );
    const [row] = await queryRows<{ exports: number; exported: number }>(sql`
      SELECT count(DISTINCT export_id)::int AS exports, count(*)::int AS exported
      FROM expenses WHERE client_id = ${client.id} AND export_state = 'exported'`);
    expect(row).toEqual({ exports: 1, exported: 40 });
  });

  it('answers through the action with a message and a download link', async () => {
    const client = await clientWithReady(2);
    signInAs(lea);
    const form = new FormData();
    form.set('clientId', client.id);
    const state = await exportExpensesAction({ status: 'idle' }, form);
    expect(state.status).toBe('success');
    expect(state.message).toBe('Export créé\u202f: 2 dépenses, 2\u202f469,12\u00a0€.');
    expect(state.data?.url).toMatch(new RegExp(`^/clients/${client.id}/exports/[0-9a-f-]{36}$`));
    const again = await exportExpensesAction({ status: 'idle' }, form);
    expect(again).toMatchObject({ status: 'error', message: fr.t('errors.nothingReady') });
  });
});

describe('exports and authorization', () => {
  it.each([
    ['an accountant not assigned to the client', () => hugo],
    ['another firm’s admin', () => stranger],
  ])('refuses %s: not found, nothing changed', async (_label, who) => {
    const client = await clientWithReady(2);
    await expect(createExport(viewer(who()), client.id)).rejects.toThrow('errors.clientNotFound');
    const [counters] = await db.select({ ready: clients.readyToExport }).from(clients).where(eq(clients.id, client.id));
    expect(counters!.ready).toBe(2);
  });

  it('downloads only an export of a client the user may open', async () => {
    const client = await clientWithReady(1);
    const done = await createExport(viewer(lea), client.id);
    const other = await clientWithReady(1);
    const get = (clientId: string, exportId: string) =>
      download(new Request(`http://localhost/clients/${clientId}/exports/${exportId}`), {
        params: Promise.resolve({ clientId, exportId }),
      });

    signInAs(lea);
    const ok = await get(client.id, done.id);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(ok.headers.get('content-disposition')).toMatch(
      /^attachment; filename="export-boucherie-lefevre-fils-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}\.csv"$/,
    );
    expect((await get(other.id, done.id)).status).toBe(404); // right export, wrong client
    expect((await get(client.id, 'pas-un-id')).status).toBe(404);
    signInAs(hugo);
    expect((await get(client.id, done.id)).status).toBe(404);
    signInAs(stranger);
    expect((await get(client.id, done.id)).status).toBe(404);
    expect(await findExport(viewer(stranger), client.id, done.id)).toBeUndefined();
    signInAs(undefined);
    expect((await get(client.id, done.id)).status).toBe(303);
  });
});

describe('CSV fields', () => {
  it('writes amounts with a decimal comma and no grouping', () => {
    expect(csvAmount(123456789)).toBe('1234567,89');
    expect(csvAmount(-5)).toBe('-0,05');
    expect(csvAmount(0)).toBe('0,00');
  });

  it('quotes separators and defuses formulas', () => {
    expect(csvText('Dupont; Fils')).toBe('"Dupont; Fils"');
    expect(csvText('+33 1 23')).toBe("'+33 1 23");
    expect(csvText('Ligne\nSuivante')).toBe('"Ligne\nSuivante"');
    expect(csvText('Simple')).toBe('Simple');
  });
});
