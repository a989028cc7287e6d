import { signInAs } from './session';
import { sql } from 'drizzle-orm';
import { queryRows } from '@/db';
import { POST as dropPost } from '@/app/(app)/clients/[clientId]/depot/route';
import { withTestDatabase } from './db';
import { png } from './files';
import { addExpenses, createClient, createFirm, createUser } from './factories';
import { facturXml, facturXPdf } from './facturx-fixture';

// « Déposer un reçu » on a client's account: matched like a forwarded document (issue 28).

const db = withTestDatabase();
type User = Awaited<ReturnType<typeof createUser>>;
let lea: User;
let hugo: User;
let outsider: User;
let clientId: string;
let sncf: string;

beforeEach(async () => {
  await db.execute(sql`TRUNCATE firms, users, clients, assignments, expenses, stored_files CASCADE`);
  const firm = await createFirm('Cabinet Démo');
  lea = await createUser(firm.id, { name: 'Léa Martin', email: 'lea@cabinet.fr' });
  hugo = await createUser(firm.id, { name: 'Hugo Bernard', email: 'hugo@cabinet.fr' });
  outsider = await createUser((await createFirm('Autre Cabinet')).id, { name: 'Admin Ailleurs', role: 'admin' });
  clientId = (await createClient(firm.id, { name: 'Boulangerie Soleil', team: [lea.id] })).id;
  sncf = (await addExpenses(clientId, 1, { receipt: 'missing', spentOn: '2026-11-03', amountCents: 12000 }))[0]!.id;
  await db.execute(sql`UPDATE expenses SET merchant = 'SNCF Connect' WHERE id = ${sncf}`);
});

const INVOICE = {
  issued: '20261103',
  lines: [{ rate: '10.00', basis: '109.09', vat: '10.91' }],
  net: '109.09',
  vat: '10.91',
  total: '120.00',
};

async function drop(user: User, bytes: Buffer, options: { client?: string; origin?: string; name?: string } = {}) {
  signInAs(user);
  const form = new FormData();
  form.append('document', new Blob([new Uint8Array(bytes)]), options.name ?? 'facture.pdf');
  const request = new Request(`http://localhost/clients/${options.client ?? clientId}/depot`, {
    method: 'POST',
    body: form,
    headers: options.origin ? { origin: options.origin } : {},
  });
  return dropPost(request, { params: Promise.resolve({ clientId: options.client ?? clientId }) });
}

const receipt = async () =>
  (await queryRows<{ receipt_state: string }>(sql`SELECT receipt_state FROM expenses WHERE id = ${sncf}`))[0]!
    .receipt_state;

describe('« Déposer un reçu »', () => {
  it('attaches a Factur-X to the one expense it fits, credited to who dropped it', async () => {
    const response = await drop(lea, Buffer.from(await facturXPdf(facturXml(INVOICE))));
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(location.pathname).toBe(`/clients/${clientId}`);
    expect(location.searchParams.get('depot')).toBe('attached');
    expect(await receipt()).toBe('attached');
    const journal = await queryRows<{ actor_name: string }>(
      sql`SELECT actor_name FROM activity_log WHERE action = 'receipt_dropped' AND firm_id = ${lea.firmId}`,
    );
    expect(journal).toEqual([{ actor_name: 'Léa Martin' }]);
  });

  it('leaves a photo that says nothing in the inbox', async () => {
    const response = await drop(lea, png(), { name: 'IMG_2041.png' });
    expect(new URL(response.headers.get('location')!).searchParams.get('depot')).toBe('unmatched');
    expect(await receipt()).toBe('missing');
    const docs = await queryRows<{ state: string; filename: string }>(
      sql`SELECT state, filename FROM inbound_documents`,
    );
    expect(docs).toEqual([{ state: 'unmatched', filename: 'IMG_2041.png' }]);
  });

  it('refuses who may not open the client, another site’s form, and what is not a receipt: nothing kept', async () => {
    const pdf = Buffer.from(await facturXPdf(facturXml(INVOICE)));
    expect((await drop(hugo, pdf)).status).toBe(404);
    expect((await drop(outsider, pdf)).status).toBe(404);
    expect((await drop(lea, pdf, { client: '__proto__' })).status).toBe(404);
    expect((await drop(lea, pdf, { origin: 'https://ailleurs.example' })).status).toBe(403);
    const text = await drop(lea, Buffer.from('pas un reçu\u0000'), { name: 'x.pdf' });
    expect(new URL(text.headers.get('location')!).searchParams.get('depot')).toBe('erreur-type');
    expect(await receipt()).toBe('missing');
    expect(await queryRows(sql`SELECT 1 FROM inbound_documents`)).toEqual([]);
    expect(await queryRows(sql`SELECT 1 FROM stored_files`)).toEqual([]);
  });
});
