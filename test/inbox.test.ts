import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { nextSignal, signInAs } from './session';
import { queryRows } from '@/db';
import { POST as answerPost } from '@/app/recus/[token]/repondre/route';
import { POST as uploadPost } from '@/app/recus/[token]/envoyer/route';
import { POST as noReceiptPost } from '@/app/recus/[token]/sans-recu/route';
import { setInboxHandledAction } from '@/lib/inbox/actions';
import { countOpenInbox, INBOX_PAGE, listInbox, setInboxHandled } from '@/lib/inbox/inbox';
import { parseInboxParams } from '@/lib/inbox/schemas';
import { requestReceipts } from '@/lib/receipts/requests';
import { receiptRequestSchema } from '@/lib/receipts/schemas';
import { resendTransport } from '@/lib/server/mail/transport';
import { withTestDatabase } from './db';
import { FakeResend } from './fake-resend';
import { png } from './files';
import { addExpenses, createClient, createFirm, createUser, formData, viewer } from './factories';

jest.mock('next/cache', () => ({ revalidatePath: jest.fn() }));

const db = withTestDatabase();
const fake = new FakeResend();
const transport = () =>
  resendTransport({ apiKey: 're_test_key', baseUrl: fake.baseUrl, from: 'Portail <n@portail.test>' });
beforeAll(() => fake.start());
afterAll(() => fake.stop());

const MONDAY = new Date('2026-11-30T14:00:00Z');
const idle = { status: 'idle' as const };
type User = Awaited<ReturnType<typeof createUser>>;
let lea: User;
let hugo: User;
let admin: User;
let outsider: User;
let clientId: string;
/** Three expenses missing their receipt, all Camille's. */
let e: string[];

beforeEach(async () => {
  fake.reset();
  await db.execute(
    sql`TRUNCATE firms, users, clients, assignments, expenses, receipt_requests, stored_files, outbox_emails CASCADE`,
  );
  const firm = await createFirm('Cabinet Démo');
  lea = await createUser(firm.id, { name: 'Léa Martin', email: 'lea@cabinet.fr' });
  hugo = await createUser(firm.id, { name: 'Hugo Bernard', email: 'hugo@cabinet.fr' });
  admin = await createUser(firm.id, { name: 'Claire Admin', email: 'claire@cabinet.fr', role: 'admin' });
  const other = await createFirm('Autre Cabinet');
  outsider = await createUser(other.id, { name: 'Admin Ailleurs', role: 'admin' });
  clientId = (await createClient(firm.id, { name: 'Boulangerie Soleil', team: [lea.id] })).id;
  e = (await addExpenses(clientId, 3, { receipt: 'missing', spentOn: '2026-11-02' })).map((r) => r.id);
  await db.execute(sql`UPDATE expenses SET card_holder_name = 'Camille Durand', card_holder_email = 'camille@soleil.fr'
                       WHERE client_id = ${clientId}`);
});

/** Léa asks Camille for the three receipts, with a question on the third; returns the link's token. */
async function ask(): Promise<string> {
  await requestReceipts(
    viewer(lea),
    receiptRequestSchema.parse({
      clientId,
      ids: e,
      comment: '',
      formToken: randomUUID(),
      qid: e,
      qkind: ['', '', 'purpose'],
      qtext: ['', '', ''],
    }),
    { transport: transport(), now: MONDAY },
  );
  return /\/recus\/([A-Za-z0-9_-]{43})/.exec(String(fake.delivered[0]!.text))![1]!;
}

const post = (
  route: typeof answerPost,
  path: string,
  token: string,
  fields: Record<string, string>,
): Promise<Response> =>
  route(
    new Request(`http://localhost/recus/${token}/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    }),
    { params: Promise.resolve({ token }) },
  );

function upload(token: string, expenseId: string) {
  const form = new FormData();
  form.append('expenseId', expenseId);
  form.append('receipt', new Blob([new Uint8Array(png())], { type: 'image/png' }), 'photo.png');
  return uploadPost(new Request(`http://localhost/recus/${token}/envoyer`, { method: 'POST', body: form }), {
    params: Promise.resolve({ token }),
  });
}

/** Camille sends a receipt, says there is none for another, and answers the question. */
async function everythingComesBack(token: string) {
  await upload(token, e[0]!);
  await post(noReceiptPost, 'sans-recu', token, { expenseId: e[1]!, reason: 'Péage sans ticket' });
  await post(answerPost, 'repondre', token, { expenseId: e[2]!, answer: 'Déjeuner avec le client Dupont' });
}

const items = () =>
  queryRows<{ kind: string; sender: string; expense_id: string; handled_at: Date | null; handled_by: string | null }>(
    sql`SELECT kind::text AS kind, sender, expense_id, handled_at, handled_by FROM inbox_items ORDER BY inbox_items.kind`,
  );

describe('« Boîte de réception »', () => {
  it('gets one item per thing that came back through a link, credited to its sender, never twice', async () => {
    const token = await ask();
    await everythingComesBack(token);
    // The same forms sent again (a double tap, a phone that retries): nothing more.
    await everythingComesBack(token);
    expect(await items()).toEqual([
      { kind: 'receipt', sender: 'Camille Durand', expense_id: e[0], handled_at: null, handled_by: null },
      { kind: 'no_receipt', sender: 'Camille Durand', expense_id: e[1], handled_at: null, handled_by: null },
      { kind: 'answer', sender: 'Camille Durand', expense_id: e[2], handled_at: null, handled_by: null },
    ]);

    const { rows, next } = await listInbox(viewer(lea), 'open');
    expect(next).toBeUndefined();
    expect(rows.map((r) => [r.kind, r.clientName, r.receiptState, r.receiptReason, r.question, r.answer])).toEqual(
      expect.arrayContaining([
        ['receipt', 'Boulangerie Soleil', 'attached', null, null, null],
        ['no_receipt', 'Boulangerie Soleil', 'not_required', 'Péage sans ticket', null, null],
        ['answer', 'Boulangerie Soleil', 'missing', null, 'purpose', 'Déjeuner avec le client Dupont'],
      ]),
    );
  });

  it('is counted in the header for the client’s accountants and the admins only', async () => {
    await everythingComesBack(await ask());
    expect(await countOpenInbox(viewer(lea))).toBe(3);
    expect(await countOpenInbox(viewer(admin))).toBe(3);
    // Hugo is not assigned to the client; the other firm's admin is not of the firm.
    expect(await countOpenInbox(viewer(hugo))).toBe(0);
    expect(await countOpenInbox(viewer(outsider))).toBe(0);
    expect((await listInbox(viewer(hugo), 'open')).rows).toEqual([]);
    expect((await listInbox(viewer(outsider), 'open')).rows).toEqual([]);
  });

  it('lets only those who see the client mark an item handled, once, and put it back', async () => {
    await everythingComesBack(await ask());
    const ids = (await listInbox(viewer(admin), 'open')).rows.map((r) => r.id);
    expect(await setInboxHandled(viewer(hugo), ids, true)).toBe(0);
    expect(await setInboxHandled(viewer(outsider), ids, true)).toBe(0);
    expect((await items()).every((i) => i.handled_at === null)).toBe(true);

    expect(await setInboxHandled(viewer(lea), ids.slice(0, 2), true)).toBe(2);
    expect(await setInboxHandled(viewer(lea), ids.slice(0, 2), true)).toBe(0);
    expect(await countOpenInbox(viewer(admin))).toBe(1);
    const handled = (await listInbox(viewer(admin), 'handled')).rows;
    expect(handled.map((r) => r.handledBy)).toEqual(['Léa Martin', 'Léa Martin']);
    expect(await setInboxHandled(viewer(admin), [handled[0]!.id], false)).toBe(1);
    expect(await countOpenInbox(viewer(lea))).toBe(2);
  });

  it('answers bad input next to the field and changes nothing', async () => {
    await everythingComesBack(await ask());
    const [first] = (await listInbox(viewer(lea), 'open')).rows;
    signInAs(lea);
    for (const itemIds of ['', 'pas-un-id', 'x\u0000', '__proto__']) {
      const result = await setInboxHandledAction(idle, formData({ itemIds, handled: 'oui' }));
      expect(result.status).toBe('error');
      expect(result.fieldErrors?.itemIds?.[0]).toMatch(/élément|caractères non autorisés/);
    }
    expect((await setInboxHandledAction(idle, formData({ itemIds: first!.id, handled: 'peut-être' }))).status).toBe(
      'error',
    );
    expect(await countOpenInbox(viewer(lea))).toBe(3);
    // Hugo's action on an item he cannot see: told nothing changed, and nothing did.
    signInAs(hugo);
    // (Back to the tab, which says « Rien n’a changé… » for 0 and « 1 élément marqué… » for 1.)
    expect(await nextSignal(setInboxHandledAction(idle, formData({ itemIds: first!.id, handled: 'oui' })))).toMatch(
      /^NEXT_REDIRECT;[a-z]+;\/boite\?fait=0;/,
    );
    expect(await countOpenInbox(viewer(lea))).toBe(3);
    signInAs(lea);
    expect(await nextSignal(setInboxHandledAction(idle, formData({ itemIds: first!.id, handled: 'oui' })))).toMatch(
      /^NEXT_REDIRECT;[a-z]+;\/boite\?fait=1;/,
    );
    expect(await countOpenInbox(viewer(lea))).toBe(2);
    expect(await nextSignal(setInboxHandledAction(idle, formData({ itemIds: first!.id, handled: 'non' })))).toMatch(
      /^NEXT_REDIRECT;[a-z]+;\/boite\?etat=traites&remis=1;/,
    );
    expect(await countOpenInbox(viewer(lea))).toBe(3);
  });

  it('pages newest first without losing or repeating an item', async () => {
    const token = await ask();
    await everythingComesBack(token);
    // More items than a page: copies of the receipt's item on other expenses of the client, a second
    // apart, and ten more from one transaction (one instant to the microsecond, as a link's receipts
    // arrive together), which the page's end falls among.
    const extra = await addExpenses(clientId, INBOX_PAGE + 10, { receipt: 'attached' });
    await db.execute(sql`
      INSERT INTO inbox_items (firm_id, client_id, expense_id, request_id, kind, sender, created_at)
      SELECT i.firm_id, i.client_id, x.id, i.request_id, 'receipt', 'Camille Durand',
        timestamptz '2026-11-20 10:00:00.123456+00' - least(x.n, ${INBOX_PAGE - 5}) * interval '1 second'
      FROM inbox_items i, unnest(${`{${extra.map((r) => r.id).join(',')}}`}::uuid[]) WITH ORDINALITY AS x(id, n)
      WHERE i.kind = 'receipt'`);
    const first = await listInbox(viewer(lea), 'open');
    expect(first.rows).toHaveLength(INBOX_PAGE);
    const second = await listInbox(viewer(lea), 'open', first.next);
    expect(second.next).toBeUndefined();
    const all = [...first.rows, ...second.rows];
    expect(all).toHaveLength(INBOX_PAGE + 13);
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
    const times = all.map((r) => r.arrivedAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    // The URL's cursor: a hand-edited one is the first page, not an error.
    expect(first.next!.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    expect(parseInboxParams({ apres: `${first.next!.at}_${first.next!.id}` }).after).toEqual(first.next);
    for (const apres of ['0000-01-01T00:00:00Z_x', 'nimporte', `2026-13-45T00:00:00Z_${first.next!.id}`, '__proto__']) {
      expect(parseInboxParams({ apres })).toEqual({ state: 'open' });
    }
    expect(parseInboxParams({ etat: 'traites' })).toEqual({ state: 'handled' });
    expect(parseInboxParams({ fait: '2' })).toEqual({ state: 'open', done: { handled: true, count: 2 } });
    expect(parseInboxParams({ etat: 'traites', remis: '1' })).toEqual({
      state: 'handled',
      done: { handled: false, count: 1 },
    });
    for (const fait of ['-1', '51', '1e3', '__proto__', '\u0000'])
      expect(parseInboxParams({ fait })).toEqual({ state: 'open' });
  });
});
