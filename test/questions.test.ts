import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { signInAs } from './session';
import { queryRows } from '@/db';
import { POST as answerPost } from '@/app/recus/[token]/repondre/route';
import { POST as uploadPost } from '@/app/recus/[token]/envoyer/route';
import { describeActor, describeDetails } from '@/lib/activity/describe';
import { listActivity } from '@/lib/activity/queries';
import { resendTransport } from '@/lib/server/mail/transport';
import { i18nFor } from '@/lib/server/i18n/translator';
import { requestReceiptsAction } from '@/lib/receipts/actions';
import { openRequest } from '@/lib/receipts/links';
import { listExpenseQuestions } from '@/lib/receipts/queries';
import { requestReceipts } from '@/lib/receipts/requests';
import { receiptRequestSchema } from '@/lib/receipts/schemas';
import { runReceiptFollowups } from '@/lib/receipts/followups';
import { findWorkspaceClient } from '@/lib/clients/queries';
import { withTestDatabase } from './db';
import { FakeResend } from './fake-resend';
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
let lea: Awaited<ReturnType<typeof createUser>>;
let hugo: Awaited<ReturnType<typeof createUser>>;
let firmId: string;
let clientId: string;
/** [missing receipt, Camille] [receipt there, Camille] [receipt there, the contact] [receipt there, Camille] */
let e: string[];

beforeEach(async () => {
  fake.reset();
  await db.execute(
    sql`TRUNCATE firms, users, clients, assignments, expenses, receipt_requests, stored_files, outbox_emails CASCADE`,
  );
  const firm = await createFirm('Cabinet Démo');
  firmId = firm.id;
  lea = await createUser(firm.id, { name: 'Léa Martin', email: 'lea@cabinet.fr' });
  hugo = await createUser(firm.id, { name: 'Hugo Bernard', email: 'hugo@cabinet.fr' });
  clientId = (await createClient(firm.id, { name: 'Boulangerie Soleil', team: [lea.id] })).id;
  const missing = await addExpenses(clientId, 1, { receipt: 'missing', spentOn: '2026-11-02' });
  const there = await addExpenses(clientId, 3, { receipt: 'attached', spentOn: '2026-11-03' });
  e = [missing[0]!.id, ...there.map((r) => r.id)];
  await db.execute(sql`UPDATE expenses SET card_holder_name = 'Camille Durand', card_holder_email = 'camille@soleil.fr'
                       WHERE id IN (${e[0]}, ${e[1]}, ${e[3]})`);
});

/** The form of « Demander les reçus » as the page sends it: every expense shown, each with its question fields. */
function form(asks: [string, string, string][], formToken: string = randomUUID()) {
  return {
    clientId,
    ids: asks.map(([id]) => id),
    comment: '',
    formToken,
    qid: asks.map(([id]) => id),
    qkind: asks.map(([, kind]) => kind),
    qtext: asks.map(([, , text]) => text),
  };
}
const ask = (asks: [string, string, string][], formToken?: string) =>
  requestReceipts(viewer(lea), receiptRequestSchema.parse(form(asks, formToken)), {
    transport: transport(),
    now: MONDAY,
  });
const linkIn = (email: Record<string, unknown>) => /\/recus\/([A-Za-z0-9_-]{43})/.exec(String(email.text))![1]!;
const answer = (token: string, fields: Record<string, string>) =>
  answerPost(
    new Request(`http://localhost/recus/${token}/repondre`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    }),
    { params: Promise.resolve({ token }) },
  ).then((response) => response.headers.get('location') ?? '');
const itemCount = async () =>
  (await queryRows<{ n: number }>(sql`SELECT count(*)::int AS n FROM receipt_request_items`))[0]!.n;

describe('questions about an expense', () => {
  it('go with the receipts in one e-mail per recipient, are answered on the same page, and show on the expense and in the Journal', async () => {
    const result = await ask([
      [e[0]!, '', ''],
      [e[1]!, 'purpose', ''],
      [e[2]!, '', ''],
      [e[3]!, 'other', 'Pour quel chantier ?'],
    ]);
    // The expense whose receipt is there and which has no question is not sent: no e-mail to the contact.
    expect(result.recipients).toEqual(['camille@soleil.fr']);
    expect(fake.delivered).toHaveLength(1);
    const mail = fake.delivered[0]!;
    expect(mail.subject).toBe('2 questions et 1 reçu sur vos dépenses pour Boulangerie Soleil');
    const text = String(mail.text);
    expect(text).toContain('Bonjour Camille,');
    expect(text).toContain('Reçu demandé');
    expect(text).toContain('Question\u202f: De quoi s’agit-il\u202f?');
    expect(text).toContain('Question\u202f: Pour quel chantier ?');
    const token = linkIn(mail);
    const opened = await openRequest(token, MONDAY);
    expect(opened!.expenses.map((x) => [x.id, x.needsReceipt, x.question, x.questionText]).sort()).toEqual(
      [
        [e[0], true, null, null],
        [e[1], false, 'purpose', null],
        [e[3], false, 'other', 'Pour quel chantier ?'],
      ].sort(),
    );

    // A receipt for an expense asked about only: refused, nothing stored.
    const upload = new FormData();
    upload.append('expenseId', e[1]!);
    upload.append(
      'receipt',
      new Blob([new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x34, 0x0a])], { type: 'application/pdf' }),
      'r.pdf',
    );
    const refused = await uploadPost(
      new Request(`http://localhost/recus/${token}/envoyer`, { method: 'POST', body: upload }),
      {
        params: Promise.resolve({ token }),
      },
    );
    expect(refused.headers.get('location')).toContain('erreur=');

    // Answers: empty, a NUL byte, too long: a message, nothing saved; then the answer, once.
    expect(await answer(token, { expenseId: e[1]!, answer: '   ' })).toContain('erreur=answer');
    expect(await answer(token, { expenseId: e[1]!, answer: 'ok\u0000' })).toContain('erreur=answer_chars');
    expect(await answer(token, { expenseId: e[1]!, answer: 'x'.repeat(1001) })).toContain('erreur=answer_long');
    expect(await answer(token, { expenseId: 'pas-un-id', answer: 'ok' })).toContain('erreur=answer');
    expect(await answer(token, { expenseId: e[2]!, answer: 'Jamais demandé' })).toContain('erreur=not_answerable');
    expect(await answer(token, { expenseId: e[1]!, answer: 'Déjeuner avec le client Dupont' })).toContain(
      `reponse=${e[1]}`,
    );
    // Sent again (a double tap): the first answer stays.
    expect(await answer(token, { expenseId: e[1]!, answer: 'Autre chose' })).toContain('erreur=not_answerable');
    expect(await answer('x'.repeat(43), { expenseId: e[3]!, answer: 'Chantier Lyon' })).not.toContain('reponse=');

    const client = (await findWorkspaceClient(viewer(lea), clientId))!;
    const questions = await listExpenseQuestions(client, [e[1]!, e[3]!]);
    expect(questions.map((q) => [q.expenseId, q.question, q.recipient, q.answer, q.askedBy])).toEqual(
      expect.arrayContaining([
        [e[1], 'purpose', 'Camille Durand', 'Déjeuner avec le client Dupont', 'Léa Martin'],
        [e[3], 'other', 'Camille Durand', null, 'Léa Martin'],
      ]),
    );
    // What is left on the page: the receipt and the other question.
    expect((await openRequest(token, MONDAY))!.expenses.map((x) => x.id).sort()).toEqual([e[0], e[3]].sort());

    // Her receipt, sent from the same page.
    const receipt = new FormData();
    receipt.append('expenseId', e[0]!);
    receipt.append(
      'receipt',
      new Blob([new Uint8Array(Buffer.from('%PDF-1.4\n%%EOF\n'))], { type: 'application/pdf' }),
      'r.pdf',
    );
    const sent = await uploadPost(
      new Request(`http://localhost/recus/${token}/envoyer`, { method: 'POST', body: receipt }),
      {
        params: Promise.resolve({ token }),
      },
    );
    expect(sent.headers.get('location')).toContain(`recu=${e[0]}`);

    // The Journal credits Camille, not « Système ».
    const fr = i18nFor('fr');
    const journal = await listActivity(firmId, {}, 20);
    const answered = journal.rows.find((r) => r.action === 'question_answered')!;
    expect(answered.actorKind).toBe('recipient');
    expect(describeActor(fr, answered)).toBe('Camille Durand (par lien)');
    expect(describeDetails(fr, answered.details)).toContain('De quoi s’agit-il');
    expect(
      describeActor(
        fr,
        journal.rows.find((r) => r.action === 'receipt_received')!,
      ),
    ).toBe('Camille Durand (par lien)');
    const requested = journal.rows.find((r) => r.action === 'receipts_requested')!;
    expect(describeDetails(fr, requested.details)).toContain('Questions');
  });

  it('« Est-ce une dépense personnelle ? » is answered Oui or Non, with details if one likes', async () => {
    await ask([[e[1]!, 'personal', '']]);
    const token = linkIn(fake.delivered[0]!);
    expect(await answer(token, { expenseId: e[1]!, answer: '' })).toContain('erreur=answer');
    expect(await answer(token, { expenseId: e[1]!, choice: 'peut-être', answer: '' })).toContain('erreur=answer');
    expect(await answer(token, { expenseId: e[1]!, choice: 'oui', answer: 'À rembourser sur ma note' })).toContain(
      'reponse=',
    );
    const [row] = await queryRows<{ answer: string }>(
      sql`SELECT answer FROM receipt_request_items WHERE expense_id = ${e[1]}`,
    );
    expect(row!.answer).toBe('Oui — À rembourser sur ma note');
  });

  it('a bad question changes nothing and says why next to the form; someone not on the client asks nothing', async () => {
    signInAs(lea);
    const submit = (asks: [string, string, string][]) =>
      requestReceiptsAction(idle, formData(form(asks) as unknown as Record<string, string | string[]>));
    expect(await submit([[e[1]!, 'other', '  ']])).toMatchObject({
      status: 'error',
      fieldErrors: { qtext: ['«\u202fAutre question\u202f»\u202f: écrivez la question à poser.'] },
    });
    expect(await submit([[e[1]!, '__proto__', '']])).toMatchObject({
      fieldErrors: { qkind: ['Choisissez une question de la liste.'] },
    });
    expect((await submit([[e[1]!, 'other', 'a\u0000b']])).status).toBe('error');
    expect((await submit([[e[1]!, 'other', 'x'.repeat(301)]])).status).toBe('error');
    // An expense whose receipt is there, without a question: nothing to ask.
    expect((await submit([[e[1]!, '', '']])).status).toBe('error');
    signInAs(hugo);
    expect(await submit([[e[1]!, 'purpose', '']])).toMatchObject({ status: 'error', message: 'Client introuvable.' });
    // Another firm's client's expense, slipped into the form: left out.
    const other = await createClient((await createFirm()).id, { name: 'Ailleurs' });
    const foreign = (await addExpenses(other.id, 1, { receipt: 'attached' }))[0]!.id;
    signInAs(lea);
    expect((await submit([[foreign, 'purpose', '']])).status).toBe('error');
    expect(await itemCount()).toBe(0);
    expect(fake.delivered).toHaveLength(0);
  });

  it('a question still open keeps the follow-ups going; once answered, they stop', async () => {
    await ask([[e[1]!, 'attendees', '']]);
    const token = linkIn(fake.delivered[0]!);
    fake.reset();
    // D+3 (Thursday 3 December), 10:00 Paris.
    const first = await runReceiptFollowups({ now: new Date('2026-12-03T09:05:00Z'), transport: transport() });
    expect(first.sent).toBe(1);
    expect(fake.delivered[0]!.subject).toBe('Rappel\u202f: 1 question toujours en attente pour Boulangerie Soleil');
    expect(String(fake.delivered[0]!.text)).toContain('Qui était présent');
    expect(await answer(linkIn(fake.delivered[0]!), { expenseId: e[1]!, answer: 'Jeanne Petit' })).toContain(
      'reponse=',
    );
    void token;
    fake.reset();
    const second = await runReceiptFollowups({ now: new Date('2026-12-07T09:05:00Z'), transport: transport() });
    expect(second.sent).toBe(0);
    expect(fake.delivered).toHaveLength(0);
  });
});
