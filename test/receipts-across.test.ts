import { randomUUID } from 'node:crypto';
import { signInAs } from './session';
import { sql } from 'drizzle-orm';
import { queryRows } from '@/db';
import { bulkClientsAction } from '@/lib/clients/actions';
import { openRequest } from '@/lib/receipts/links';
import { requestReceipts, requestReceiptsAcross } from '@/lib/receipts/requests';
import { receiptRequestSchema } from '@/lib/receipts/schemas';
import { resendTransport } from '@/lib/server/mail/transport';
import { withTestDatabase } from './db';
import { FakeResend } from './fake-resend';
import { addExpenses, createClient, createFirm, createUser, formData, viewer } from './factories';

jest.mock('next/cache', () => ({ revalidatePath: jest.fn() }));

// « Demander les reçus » from the Clients page: every missing receipt of the ticked clients, one
// e-mail per person across them (issue 28).

const db = withTestDatabase();
const fake = new FakeResend();
const transport = () =>
  resendTransport({ apiKey: 're_test_key', baseUrl: fake.baseUrl, from: 'Portail <n@portail.test>' });
beforeAll(() => fake.start());
afterAll(() => fake.stop());

const idle = { status: 'idle' as const };
type User = Awaited<ReturnType<typeof createUser>>;
let lea: User;
let outsider: User;
let soleil: string;
let garage: string;
let hugos: string;

beforeEach(async () => {
  fake.reset();
  await db.execute(
    sql`TRUNCATE firms, users, clients, assignments, expenses, receipt_requests, stored_files, outbox_emails CASCADE`,
  );
  const firm = await createFirm('Cabinet Démo');
  lea = await createUser(firm.id, { name: 'Léa Martin', email: 'lea@cabinet.fr' });
  const hugo = await createUser(firm.id, { name: 'Hugo Bernard', email: 'hugo@cabinet.fr' });
  outsider = await createUser((await createFirm('Autre Cabinet')).id, { name: 'Admin Ailleurs', role: 'admin' });
  soleil = (await createClient(firm.id, { name: 'Boulangerie Soleil', team: [lea.id] })).id;
  garage = (await createClient(firm.id, { name: 'Garage Dupont', team: [lea.id] })).id;
  hugos = (await createClient(firm.id, { name: 'Client de Hugo', team: [hugo.id] })).id;
  // Camille holds a card at both of Léa's clients; Paul at the garage only; Hugo's client too.
  for (const [clientId, holder] of [
    [soleil, 'camille@exemple.fr'],
    [garage, 'camille@exemple.fr'],
    [garage, 'paul@exemple.fr'],
    [hugos, 'camille@exemple.fr'],
  ] as const) {
    const ids = (await addExpenses(clientId, 1, { receipt: 'missing' })).map((e) => e.id);
    await db.execute(sql`UPDATE expenses SET card_holder_email = ${holder},
      card_holder_name = ${holder.startsWith('camille') ? 'Camille Durand' : 'Paul Martin'}
      WHERE id = ANY(${`{${ids.join(',')}}`}::uuid[])`);
  }
  // An expense whose receipt is there: never asked.
  await addExpenses(soleil, 1, { receipt: 'attached' });
});

const linksIn = (text: string) => [...text.matchAll(/\/recus\/([A-Za-z0-9_-]{43})/g)].map((m) => m[1]!);

describe('« Demander les reçus » for the ticked clients', () => {
  it('writes once to each person, with one section and one link per client', async () => {
    const formToken = randomUUID();
    const result = await requestReceiptsAcross(
      viewer(lea),
      { clientIds: [soleil, garage, hugos], formToken, comment: '' },
      { transport: transport() },
    );
    // Hugo's client is not Léa's: left out.
    expect(result).toMatchObject({ clients: 2, receipts: 3, unreachable: 0, sent: 2 });
    expect(fake.delivered.map((e) => e.to).sort()).toEqual(['camille@exemple.fr', 'paul@exemple.fr']);
    const camille = fake.delivered.find((e) => e.to === 'camille@exemple.fr')!;
    expect(camille.subject).toBe('2 reçus à envoyer pour Boulangerie Soleil et Garage Dupont');
    const text = String(camille.text);
    expect(text).toMatch(/^Bonjour Camille,/);
    const links = linksIn(text);
    expect(links).toHaveLength(2);
    // Each link opens its own client's page, with that client's receipt only.
    const opened = await Promise.all(links.map((token) => openRequest(token)));
    expect(opened.map((r) => r?.clientName)).toEqual(['Boulangerie Soleil', 'Garage Dupont']);
    expect(opened.map((r) => r?.expenses.length)).toEqual([1, 1]);
    expect(String(camille.html)).toContain('Envoyer les reçus pour Garage Dupont');
    // Paul's e-mail is the usual one-client request.
    expect(linksIn(String(fake.delivered.find((e) => e.to === 'paul@exemple.fr')!.text))).toHaveLength(1);
    const rows = await queryRows<{ n: number }>(sql`SELECT count(*)::int AS n FROM receipt_requests`);
    expect(rows[0]!.n).toBe(3);

    // The same form again (a double click, a retry): nothing more.
    await requestReceiptsAcross(
      viewer(lea),
      { clientIds: [soleil, garage], formToken, comment: '' },
      { transport: transport() },
    );
    expect(fake.delivered).toHaveLength(2);
    expect((await queryRows<{ n: number }>(sql`SELECT count(*)::int AS n FROM receipt_requests`))[0]!.n).toBe(3);
  });

  it('after a provider failure, sending again sends what did not go, once', async () => {
    const formToken = randomUUID();
    fake.failNext({ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }, { status: 500 });
    await expect(
      requestReceiptsAcross(
        viewer(lea),
        { clientIds: [soleil, garage], formToken, comment: '' },
        { transport: transport() },
      ),
    ).rejects.toThrow();
    expect(fake.delivered).toHaveLength(0);
    fake.reset();
    await requestReceiptsAcross(
      viewer(lea),
      { clientIds: [soleil, garage], formToken, comment: '' },
      { transport: transport() },
    );
    expect(fake.delivered.map((e) => e.to).sort()).toEqual(['camille@exemple.fr', 'paul@exemple.fr']);
    expect((await queryRows<{ n: number }>(sql`SELECT count(*)::int AS n FROM receipt_requests`))[0]!.n).toBe(3);
  });

  it('from the bulk bar: says what was asked; another firm’s admin asks nothing', async () => {
    signInAs(outsider);
    const refused = await bulkClientsAction(
      idle,
      formData({ op: 'receipts', clientIds: [soleil, garage], formToken: randomUUID() }),
    );
    expect(refused.status).toBe('error');
    expect((await queryRows<{ n: number }>(sql`SELECT count(*)::int AS n FROM receipt_requests`))[0]!.n).toBe(0);

    signInAs(lea);
    const bad = await bulkClientsAction(
      idle,
      formData({ op: 'receipts', clientIds: [soleil], formToken: '__proto__' }),
    );
    expect(bad.status).toBe('error');
    const done = await bulkClientsAction(
      idle,
      formData({ op: 'receipts', clientIds: [soleil, garage], formToken: randomUUID() }),
    );
    expect(done).toMatchObject({
      status: 'success',
      message: '3 reçus manquants demandés pour 2 clients, en 2 e-mails, un par personne.',
    });
    // Without a provider configured, the e-mails wait in the outbox: one per person.
    const outbox = await queryRows<{ to_address: string }>(
      sql`SELECT to_address FROM outbox_emails ORDER BY to_address`,
    );
    expect(outbox.map((r) => r.to_address)).toEqual(['camille@exemple.fr', 'paul@exemple.fr']);
  });

  it('from a client’s form: a question and its receipts, plus the same person’s receipts at my other clients, in one e-mail', async () => {
    const [soleilExpense] = await queryRows<{ id: string }>(
      sql`SELECT id FROM expenses WHERE client_id = ${soleil} AND receipt_state = 'missing'`,
    );
    await requestReceipts(
      viewer(lea),
      receiptRequestSchema.parse({
        clientId: soleil,
        ids: [soleilExpense!.id],
        comment: '',
        formToken: randomUUID(),
        others: '1',
        qid: [soleilExpense!.id],
        qkind: ['purpose'],
        qtext: [''],
      }),
      { transport: transport() },
    );
    // Camille only (Paul is not asked by this form), one e-mail for both of Léa's clients; Hugo's left out.
    expect(fake.delivered.map((e) => e.to)).toEqual(['camille@exemple.fr']);
    const [email] = fake.delivered;
    expect(email!.subject).toBe('1 question et 2 reçus sur vos dépenses pour Boulangerie Soleil et Garage Dupont');
    const links = linksIn(String(email!.text));
    const opened = await Promise.all(links.map((token) => openRequest(token)));
    expect(opened.map((r) => r?.clientName)).toEqual(['Boulangerie Soleil', 'Garage Dupont']);
    expect(opened[0]!.expenses.map((e) => e.question)).toEqual(['purpose']);
  });
});
