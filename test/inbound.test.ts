import './delivery-secret';
import { nextSignal, signInAs } from './session';
import { sql } from 'drizzle-orm';
import { queryRows, timestamptz } from '@/db';
import { POST as resendWebhook } from '@/app/api/webhooks/resend/route';
import { GET as documentGet } from '@/app/(app)/boite/documents/[documentId]/route';
import { handleInboundDocumentAction } from '@/lib/inbox/actions';
import { attachDocument, countOpenDocuments, dismissDocument, listOpenDocuments } from '@/lib/inbox/documents';
import { parseInboxParams } from '@/lib/inbox/schemas';
import { randomUUID } from 'node:crypto';
import { POST as uploadPost } from '@/app/recus/[token]/envoyer/route';
import { countOpenInbox } from '@/lib/inbox/inbox';
import { runDigests } from '@/lib/notifications/digests';
import { saveSubscription } from '@/lib/notifications/subscriptions';
import { authenticatedSender, codeFromRecipients, dropDocument } from '@/lib/receipts/inbound';
import { requestReceipts } from '@/lib/receipts/requests';
import { receiptRequestSchema } from '@/lib/receipts/schemas';
import { resendTransport } from '@/lib/server/mail/transport';
import { withTestDatabase } from './db';
import { FakeResend, type InboundEmail } from './fake-resend';
import { png } from './files';
import { addExpenses, createClient, createFirm, createUser, formData, viewer } from './factories';
import { facturXml, facturXPdf } from './facturx-fixture';
import { SECRET } from './delivery-secret';

jest.mock('next/cache', () => ({ revalidatePath: jest.fn() }));

const db = withTestDatabase();
const fake = new FakeResend();
const DOMAIN = 'recus.portail.test';
const idle = { status: 'idle' as const };
type User = Awaited<ReturnType<typeof createUser>>;
let lea: User;
let hugo: User;
let admin: User;
let outsider: User;
let clientId: string;
let code: string;
/** SNCF 120,00 € on 3 November (the Factur-X's), Monoprix 45,90 € on 10 November, both missing. */
let sncf: string;
let monoprix: string;

beforeAll(async () => {
  await fake.start();
  process.env.RESEND_API_KEY = 're_test_key';
  process.env.RESEND_BASE_URL = fake.baseUrl;
  process.env.RECEIVING_DOMAIN = DOMAIN;
});
afterAll(async () => {
  delete process.env.RECEIVING_DOMAIN;
  await fake.stop();
});

beforeEach(async () => {
  fake.reset();
  await db.execute(sql`TRUNCATE firms, users, clients, assignments, expenses, stored_files, email_events CASCADE`);
  const firm = await createFirm('Cabinet Démo');
  lea = await createUser(firm.id, { name: 'Léa Martin', email: 'lea@cabinet.fr' });
  hugo = await createUser(firm.id, { name: 'Hugo Bernard', email: 'hugo@cabinet.fr' });
  admin = await createUser(firm.id, { name: 'Claire Admin', email: 'claire@cabinet.fr', role: 'admin' });
  outsider = await createUser((await createFirm('Autre Cabinet')).id, { name: 'Admin Ailleurs', role: 'admin' });
  clientId = (await createClient(firm.id, { name: 'Boulangerie Soleil', team: [lea.id] })).id;
  sncf = (await addExpenses(clientId, 1, { receipt: 'missing', spentOn: '2026-11-03', amountCents: 12000 }))[0]!.id;
  monoprix = (await addExpenses(clientId, 1, { receipt: 'missing', spentOn: '2026-11-10', amountCents: 4590 }))[0]!.id;
  await db.execute(sql`UPDATE expenses SET merchant = 'SNCF Connect' WHERE id = ${sncf}`);
  await db.execute(sql`UPDATE expenses SET merchant = 'Monoprix' WHERE id = ${monoprix}`);
  await db.execute(sql`UPDATE expenses SET card_holder_name = 'Camille Durand', card_holder_email = 'camille@soleil.fr'
                       WHERE client_id = ${clientId}`);
  code = (await queryRows<{ code: string }>(sql`SELECT receipt_code AS code FROM clients WHERE id = ${clientId}`))[0]!
    .code;
});

let counter = 0;
async function forward(
  email: Partial<Omit<InboundEmail, 'attachments'>> & { attachments?: InboundEmail['attachments'] },
  webhookId?: string,
) {
  const id = email.id ?? `rcv_${(counter += 1)}`;
  const signed = fake.receive(SECRET, {
    id,
    from: email.from ?? 'Camille Durand <camille@soleil.fr>',
    to: email.to ?? [`recus+${code}@${DOMAIN}`],
    subject: email.subject ?? 'Fwd: Votre facture',
    authenticated: email.authenticated,
    text: email.text ?? '',
    attachments: email.attachments ?? [
      {
        id: 'att_1',
        filename: 'facture.pdf',
        content_type: 'application/pdf',
        bytes: Buffer.from(await facturXPdf(facturXml(INVOICE))),
      },
    ],
  });
  if (webhookId) signed.headers['webhook-id'] = webhookId;
  const resigned = webhookId
    ? FakeResend.signedPayload(SECRET, JSON.parse(signed.body), new Date(), webhookId)
    : signed;
  const response = await resendWebhook(
    new Request('http://localhost/api/webhooks/resend', {
      method: 'POST',
      body: resigned.body,
      headers: resigned.headers,
    }),
  );
  return { id, status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const INVOICE = {
  issued: '20261103',
  seller: 'SNCF Voyageurs',
  lines: [{ rate: '10.00', basis: '109.09', vat: '10.91' }],
  net: '109.09',
  vat: '10.91',
  total: '120.00',
};

const expense = async (id: string) =>
  (
    await queryRows<{ receipt_state: string; receipt_file_id: string | null }>(
      sql`SELECT receipt_state, receipt_file_id FROM expenses WHERE id = ${id}`,
    )
  )[0]!;
const documents = () =>
  queryRows<{ id: string; state: string; expense_id: string | null; sender_name: string | null }>(
    sql`SELECT id, state, expense_id, sender_name FROM inbound_documents ORDER BY created_at, id`,
  );
const journal = () =>
  queryRows<{ action: string; actor_name: string }>(
    sql`SELECT action, actor_name FROM activity_log WHERE firm_id = ${lea.firmId}
          AND action IN ('receipt_emailed', 'inbound_confirmed', 'inbound_dismissed') ORDER BY at, id`,
  );

describe('the receipt address', () => {
  it('is read from the recipients, its domain and its code only', () => {
    expect(codeFromRecipients([`Reçus <RECUS+${'a'.repeat(12)}@Recus.Portail.Test>`], DOMAIN)).toBe('a'.repeat(12));
    expect(codeFromRecipients([`recus+${'a'.repeat(12)}@autre.test`], DOMAIN)).toBeUndefined();
    expect(codeFromRecipients(['recus+__proto__@recus.portail.test', 'x\u0000@y'], DOMAIN)).toBeUndefined();
    expect(codeFromRecipients([`recus+${'a'.repeat(12)}@${DOMAIN}`], undefined)).toBeUndefined();
  });
});

describe('who sent it', () => {
  it('is a card holder only when the receiving server vouched for the From address', () => {
    const pass = { 'Authentication-Results': 'mx; dkim=pass header.d=soleil.fr; spf=none' };
    expect(authenticatedSender(pass, 'camille@soleil.fr')).toBe(true);
    expect(
      authenticatedSender({ 'authentication-results': 'mx; spf=pass smtp.mailfrom=x@mail.soleil.fr' }, 'c@soleil.fr'),
    ).toBe(false);
    expect(
      authenticatedSender({ 'authentication-results': 'mx; dmarc=pass header.from=soleil.fr' }, 'c@soleil.fr'),
    ).toBe(true);
    // Another domain's signature, a failure, nothing at all, a header the sender wrote in another name.
    expect(authenticatedSender({ 'Authentication-Results': 'mx; dkim=pass header.d=ailleurs.fr' }, 'c@soleil.fr')).toBe(
      false,
    );
    expect(authenticatedSender({ 'Authentication-Results': 'mx; dkim=fail header.d=soleil.fr' }, 'c@soleil.fr')).toBe(
      false,
    );
    expect(authenticatedSender(null, 'c@soleil.fr')).toBe(false);
    expect(authenticatedSender({ 'X-Authentication-Results': 'dkim=pass header.d=soleil.fr' }, 'c@soleil.fr')).toBe(
      false,
    );
    expect(authenticatedSender(pass, '__proto__')).toBe(false);
  });
});

describe('a receipt forwarded to the client’s address', () => {
  it('holds a card holder’s address the receiving server could not vouch for (a forged From)', async () => {
    await forward({ authenticated: false });
    expect(await documents()).toEqual([expect.objectContaining({ state: 'held', sender_name: null })]);
    expect(await expense(sncf)).toMatchObject({ receipt_state: 'missing' });
  });

  it('lands on its expense with its VAT when a card holder sends a Factur-X, once whatever the retries', async () => {
    // A rule suggested 6251 at 20 %: the invoice's VAT per rate replaces the rate, on that account.
    await db.execute(sql`INSERT INTO expense_lines (expense_id, line_no, account, vat_rate_bp, gross_cents, deductible_pct)
                         VALUES (${sncf}, 1, '6251', 2000, 12000, 100)`);
    await db.execute(sql`UPDATE expenses SET coding_suggested = true WHERE id = ${sncf}`);
    const first = await forward({}, 'msg_first');
    expect(first.status).toBe(200);
    expect(await documents()).toEqual([
      expect.objectContaining({ state: 'attached', expense_id: sncf, sender_name: 'Camille Durand' }),
    ]);
    expect(await expense(sncf)).toMatchObject({ receipt_state: 'attached' });
    expect(await expense(monoprix)).toMatchObject({ receipt_state: 'missing' });
    // Its VAT is the expense's suggested coding, as on an upload.
    const lines = await queryRows<{ account: string; vat_rate_bp: number; gross_cents: number }>(
      sql`SELECT account, vat_rate_bp, gross_cents::int AS gross_cents FROM expense_lines WHERE expense_id = ${sncf}`,
    );
    expect(lines).toEqual([{ account: '6251', vat_rate_bp: 1000, gross_cents: 12000 }]);
    expect(await journal()).toEqual([{ action: 'receipt_emailed', actor_name: 'Camille Durand' }]);
    // The same event again, and the same e-mail under another event id: nothing more.
    expect((await forward({ id: first.id }, 'msg_first')).status).toBe(200);
    expect((await forward({ id: first.id }, 'msg_again')).status).toBe(200);
    expect(await documents()).toHaveLength(1);
    expect(await journal()).toHaveLength(1);
    expect((await queryRows(sql`SELECT 1 FROM stored_files`)).length).toBe(1);
  });

  it('holds what a stranger sends, even a perfect match, until an accountant of the client attaches it', async () => {
    await forward({ from: 'inconnu@ailleurs.fr' });
    const [held] = await documents();
    expect(held).toMatchObject({ state: 'held', expense_id: sncf });
    expect(await expense(sncf)).toMatchObject({ receipt_state: 'missing' });
    // Who may not see the client sees nothing and changes nothing.
    expect((await listOpenDocuments(viewer(hugo))).rows).toEqual([]);
    expect((await listOpenDocuments(viewer(outsider))).rows).toEqual([]);
    expect(await attachDocument(viewer(hugo), held!.id, sncf)).toBe('not_found');
    expect(await attachDocument(viewer(outsider), held!.id, sncf)).toBe('not_found');
    expect(await dismissDocument(viewer(outsider), held!.id)).toBe('not_found');
    expect(await expense(sncf)).toMatchObject({ receipt_state: 'missing' });
    // Léa sees it in her inbox and its count, with the expense the portal thinks of.
    const [shown] = (await listOpenDocuments(viewer(lea))).rows;
    expect(shown).toMatchObject({ state: 'held', clientName: 'Boulangerie Soleil', suggestion: { id: sncf } });
    expect(shown!.evidence.invoice).toEqual({ number: 'F2026-0042', seller: 'SNCF Voyageurs' });
    expect(await countOpenDocuments(viewer(lea), 100)).toBe(1);
    expect(await countOpenDocuments(viewer(admin), 100)).toBe(1);
    expect(await attachDocument(viewer(lea), held!.id, sncf)).toBe('attached');
    expect(await expense(sncf)).toMatchObject({ receipt_state: 'attached' });
    expect(await countOpenDocuments(viewer(lea), 100)).toBe(0);
    // Sent twice: the second finds it handled.
    expect(await attachDocument(viewer(lea), held!.id, monoprix)).toBe('not_found');
    expect(await expense(monoprix)).toMatchObject({ receipt_state: 'missing' });
    expect(await journal()).toEqual([{ action: 'inbound_confirmed', actor_name: 'Léa Martin' }]);
  });

  it('pages the open documents newest first, to the microsecond, without losing or repeating one', async () => {
    await forward({ from: 'inconnu@ailleurs.fr' });
    const [held] = await documents();
    // 59 more: 44 a second apart, then 15 of one instant (one transaction), where the first page ends.
    await db.execute(sql`
      INSERT INTO inbound_documents (firm_id, client_id, email_id, attachment_id, sender, subject, filename, file_id,
          state, evidence, received_at)
      SELECT d.firm_id, d.client_id, 'copie-' || n, 'att', d.sender, d.subject, d.filename, d.file_id, 'held', d.evidence,
        timestamptz '2026-11-20 10:00:00.123456+00' - least(n, 45) * interval '1 second'
      FROM inbound_documents d, generate_series(1, 59) AS n WHERE d.id = ${held!.id}`);
    const first = await listOpenDocuments(viewer(lea));
    expect(first.rows).toHaveLength(50);
    expect(first.next!.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    const second = await listOpenDocuments(viewer(lea), first.next);
    expect(second.next).toBeUndefined();
    const all = [...first.rows, ...second.rows];
    expect(all).toHaveLength(60);
    expect(new Set(all.map((d) => d.id)).size).toBe(60);
    // The page's URL carries the cursor; one another accountant forges shows her nothing.
    expect(parseInboxParams({ documents: `${first.next!.at}_${first.next!.id}` }).documentsAfter).toEqual(first.next);
    expect((await listOpenDocuments(viewer(hugo), first.next)).rows).toEqual([]);
    for (const value of ['0000-01-01T00:00:00Z_' + held!.id, '2026-02-30T00:00:00Z_' + held!.id, '__proto__', 'a_b_c'])
      expect(parseInboxParams({ documents: value }).documentsAfter).toBeUndefined();
  });

  it('suggests when the evidence is thin, and « Rattacher » takes another expense picked from the list', async () => {
    await forward({
      subject: 'Fwd: 45,90 €',
      attachments: [{ id: 'att_1', filename: 'IMG_2041.png', content_type: 'image/png', bytes: png() }],
    });
    const [doc] = await documents();
    expect(doc).toMatchObject({ state: 'suggested', expense_id: monoprix });
    const [shown] = (await listOpenDocuments(viewer(lea))).rows;
    expect(shown!.choices.map((c) => c.id).sort()).toEqual([sncf, monoprix].sort());
    signInAs(lea);
    // Bad input: a French message next to the field, nothing changed.
    for (const expenseId of ['', 'pas-un-id', 'x\u0000', '__proto__']) {
      const result = await handleInboundDocumentAction(
        idle,
        formData({ documentId: doc!.id, decision: 'rattacher', expenseId }),
      );
      expect(result.status).toBe('error');
      expect(result.fieldErrors?.expenseId?.[0]).toMatch(/dépense|caractères non autorisés/);
    }
    const other = await handleInboundDocumentAction(idle, formData({ documentId: '__proto__', decision: 'ecarter' }));
    expect(other.status).toBe('error');
    // An expense that already has its receipt: said so, nothing changed.
    await db.execute(sql`UPDATE expenses SET receipt_state = 'not_required' WHERE id = ${sncf}`);
    const taken = await handleInboundDocumentAction(
      idle,
      formData({ documentId: doc!.id, decision: 'rattacher', expenseId: sncf }),
    );
    expect(taken.fieldErrors?.expenseId?.[0]).toMatch(/déjà un reçu/);
    expect((await documents())[0]).toMatchObject({ state: 'suggested' });
    await db.execute(sql`UPDATE expenses SET receipt_state = 'missing' WHERE id = ${sncf}`);
    expect(
      await nextSignal(
        handleInboundDocumentAction(idle, formData({ documentId: doc!.id, decision: 'rattacher', expenseId: sncf })),
      ),
    ).toMatch(/^NEXT_REDIRECT;[a-z]+;\/boite\?document=rattache;/);
    expect(await expense(sncf)).toMatchObject({ receipt_state: 'attached' });
    expect(await expense(monoprix)).toMatchObject({ receipt_state: 'missing' });
  });

  it('« Écarter » takes a document out of the inbox, for someone who may see its client only', async () => {
    await forward({
      subject: 'Newsletter',
      text: 'Rien à voir',
      attachments: [{ id: 'a', filename: 'promo.png', content_type: 'image/png', bytes: png() }],
    });
    const [doc] = await documents();
    expect(doc).toMatchObject({ state: 'unmatched', expense_id: null });
    signInAs(hugo);
    expect(
      (await handleInboundDocumentAction(idle, formData({ documentId: doc!.id, decision: 'ecarter' }))).status,
    ).toBe('error');
    signInAs(admin);
    expect(
      await nextSignal(handleInboundDocumentAction(idle, formData({ documentId: doc!.id, decision: 'ecarter' }))),
    ).toMatch(/^NEXT_REDIRECT;[a-z]+;\/boite\?document=ecarte;/);
    expect((await documents())[0]).toMatchObject({ state: 'dismissed' });
    expect(await countOpenDocuments(viewer(admin), 100)).toBe(0);
  });

  it('serves a document to who may see its client only', async () => {
    await forward({ from: 'inconnu@ailleurs.fr' });
    const [doc] = await documents();
    const read = (user: { id: string }, documentId = doc!.id) => {
      signInAs(user);
      return documentGet(new Request('http://localhost/x'), { params: Promise.resolve({ documentId }) });
    };
    const ok = await read(lea);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('application/pdf');
    expect(ok.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await read(hugo)).status).toBe(404);
    expect((await read(outsider)).status).toBe(404);
    expect((await read(lea, '__proto__')).status).toBe(404);
  });

  it('answers 503 while Resend cannot be reached, so that its retry finishes the work, once', async () => {
    fake.failNext({ status: 500 }, { status: 500 });
    const failed = await forward({}, 'msg_retry');
    expect(failed.status).toBe(503);
    expect(await documents()).toEqual([]);
    expect((await queryRows(sql`SELECT 1 FROM email_events`)).length).toBe(0);
    expect((await forward({ id: failed.id }, 'msg_retry')).status).toBe(200);
    expect(await documents()).toEqual([expect.objectContaining({ state: 'attached', expense_id: sncf })]);
  });

  it('ignores an address of no client, another domain, and a file that is not a receipt', async () => {
    expect((await forward({ to: [`recus+000000000000@${DOMAIN}`] })).body).toMatchObject({ ignored: 'no_client' });
    expect((await forward({ to: [`recus+${code}@autre.test`] })).body).toMatchObject({ ignored: 'no_client' });
    const text = await forward({
      attachments: [
        { id: 'x', filename: 'facture.pdf', content_type: 'application/pdf', bytes: Buffer.from('pas un PDF') },
      ],
    });
    expect(text.body).toMatchObject({ documents: [{ attachmentId: 'x', state: 'refused' }] });
    expect(await documents()).toEqual([]);
    expect((await queryRows(sql`SELECT 1 FROM stored_files`)).length).toBe(0);
  });
});

describe('a receipt sent through a link without naming its expense', () => {
  async function ask(): Promise<string> {
    await requestReceipts(
      viewer(lea),
      receiptRequestSchema.parse({ clientId, ids: [sncf, monoprix], comment: '', formToken: randomUUID() }),
      {
        transport: resendTransport({ apiKey: 're_test_key', baseUrl: fake.baseUrl, from: 'Portail <n@portail.test>' }),
      },
    );
    return /\/recus\/([A-Za-z0-9_-]{43})/.exec(String(fake.delivered.at(-1)!.text))![1]!;
  }
  const send = (token: string, bytes: Buffer, name: string) => {
    const form = new FormData();
    form.append('expenseId', 'inconnue');
    form.append('receipt', new Blob([new Uint8Array(bytes)]), name);
    return uploadPost(new Request(`http://localhost/recus/${token}/envoyer`, { method: 'POST', body: form }), {
      params: Promise.resolve({ token }),
    });
  };

  it('is attached where it is sure, through the request (Journal, inbox), else waits for the firm', async () => {
    const token = await ask();
    const done = await send(token, Buffer.from(await facturXPdf(facturXml(INVOICE))), 'facture.pdf');
    expect(new URL(done.headers.get('location')!).searchParams.get('document')).toBe('rattache');
    expect(await expense(sncf)).toMatchObject({ receipt_state: 'attached' });
    const journal = await queryRows<{ actor_name: string }>(
      sql`SELECT actor_name FROM activity_log WHERE firm_id = ${lea.firmId} AND action = 'receipt_received'`,
    );
    expect(journal).toEqual([{ actor_name: 'Camille Durand' }]);
    expect(await countOpenInbox(viewer(lea))).toBe(1);

    const photo = await send(token, png(), 'IMG_0001.png');
    expect(new URL(photo.headers.get('location')!).searchParams.get('document')).toBe('recu');
    expect(await expense(monoprix)).toMatchObject({ receipt_state: 'missing' });
    expect((await listOpenDocuments(viewer(lea))).rows.map((d) => [d.state, d.senderName])).toEqual([
      ['unmatched', 'Camille Durand'],
    ]);
    // A wrong link: nothing kept.
    const wrong = await send('x'.repeat(43), png(), 'IMG_0002.png');
    expect(new URL(wrong.headers.get('location')!).searchParams.get('document')).toBeNull();
    expect((await documents()).length).toBe(2);
  });
});

describe('the digest of the client’s accountants', () => {
  it('names the client documents arrived for by e-mail, not those dismissed or dropped by the firm', async () => {
    await saveSubscription(
      viewer(lea),
      { clientId, enabled: true, frequency: 'daily' },
      new Date('2026-11-25T12:00:00Z'),
    );
    const at = new Date('2026-11-30T12:00:00Z');
    const photo = (id: string) => [{ id, filename: `${id}.png`, content_type: 'image/png', bytes: png() }];
    await forward({ attachments: photo('a') });
    await forward({ attachments: photo('b') });
    await forward({ attachments: photo('c') });
    const [, , third] = await documents();
    await dismissDocument(viewer(lea), third!.id);
    await dropDocument(viewer(lea), clientId, { bytes: png(), contentType: 'image/png', filename: 'depose.png' });
    expect(await documents()).toHaveLength(4);
    await db.execute(sql`UPDATE inbound_documents SET created_at = ${timestamptz(at)}`);
    fake.reset();
    await runDigests({
      now: new Date('2026-12-01T09:05:00Z'),
      transport: resendTransport({ apiKey: 're_test_key', baseUrl: fake.baseUrl, from: 'Portail <n@portail.test>' }),
      sleep: async () => {},
    });
    const text = String(fake.delivered.find((e) => e.to === 'lea@cabinet.fr')!.text);
    expect(text).toContain('Reçus et réponses arrivés ces 7 derniers jours\u202f: Boulangerie Soleil (2).');
  });
});
