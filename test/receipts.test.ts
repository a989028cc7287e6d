import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { signInAs } from './session';
import { queryRows } from '@/db';
import { GET as receiptGet } from '@/app/(app)/clients/[clientId]/recus/[expenseId]/route';
import { POST as uploadPost } from '@/app/recus/[token]/envoyer/route';
import { POST as noReceiptPost } from '@/app/recus/[token]/sans-recu/route';
import { resendTransport } from '@/lib/server/mail/transport';
import { runDigests } from '@/lib/notifications/digests';
import { saveSubscription } from '@/lib/notifications/subscriptions';
import { runReceiptFollowups } from '@/lib/receipts/followups';
import { setCadenceAction } from '@/lib/receipts/actions';
import { openRequest } from '@/lib/receipts/links';
import { cancelRequest, requestReceipts } from '@/lib/receipts/requests';
import { withTestDatabase } from './db';
import { png } from './files';
import { FakeResend } from './fake-resend';
import { addExpenses, createClient, createFirm, createUser, formData, viewer } from './factories';

jest.mock('next/cache', () => ({ revalidatePath: jest.fn() }));

const db = withTestDatabase();
const fake = new FakeResend();
const transport = () =>
  resendTransport({ apiKey: 're_test_key', baseUrl: fake.baseUrl, from: 'Portail <n@portail.test>' });
beforeAll(() => fake.start());
afterAll(() => fake.stop());

/** A real 1×1 PNG, built byte by byte. */
const MONDAY = new Date('2026-11-30T14:00:00Z');
let lea: Awaited<ReturnType<typeof createUser>>;
let hugo: Awaited<ReturnType<typeof createUser>>;
let admin: Awaited<ReturnType<typeof createUser>>;
let clientId: string;
let otherClientId: string;
let expenseIds: string[];
let otherExpenseId: string;

beforeEach(async () => {
  fake.reset();
  await db.execute(
    sql`TRUNCATE firms, users, clients, assignments, expenses, receipt_requests, stored_files, outbox_emails, notification_subscriptions, digest_deliveries CASCADE`,
  );
  const firm = await createFirm('Cabinet Démo');
  lea = await createUser(firm.id, { name: 'Léa Martin', email: 'lea@cabinet.fr' });
  hugo = await createUser(firm.id, { name: 'Hugo Bernard', email: 'hugo@cabinet.fr' });
  admin = await createUser(firm.id, { name: 'Claire Admin', email: 'claire@cabinet.fr', role: 'admin' });
  clientId = (await createClient(firm.id, { name: 'Boulangerie Soleil', team: [lea.id] })).id;
  otherClientId = (await createClient(firm.id, { name: 'Zinc Café', team: [lea.id] })).id;
  const rows = await addExpenses(clientId, 3, { receipt: 'missing' });
  expenseIds = rows.map((r) => r.id);
  // Two expenses with a card holder, one without (it goes to the client's contact).
  await db.execute(sql`UPDATE expenses SET card_holder_name = 'Camille Durand', card_holder_email = 'camille@soleil.fr'
                       WHERE id IN (${expenseIds[0]}, ${expenseIds[1]})`);
  otherExpenseId = (await addExpenses(otherClientId, 1, { receipt: 'missing' }))[0]!.id;
});

const linkIn = (email: Record<string, unknown>) => {
  const match = /\/recus\/([A-Za-z0-9_-]{43})/.exec(String(email.text));
  if (!match) throw new Error('no link in the e-mail');
  return match[1]!;
};
const ask = (ids = expenseIds, formToken = randomUUID(), now = MONDAY) =>
  requestReceipts(
    viewer(lea),
    { clientId, ids, comment: 'Avant la clôture, merci.', formToken },
    { transport: transport(), now },
  );

function upload(token: string, expenseId: string, file: Buffer, name: string, type: string) {
  const form = new FormData();
  form.append('expenseId', expenseId);
  form.append('receipt', new Blob([new Uint8Array(file)], { type }), name);
  return uploadPost(new Request(`http://localhost/recus/${token}/envoyer`, { method: 'POST', body: form }), {
    params: Promise.resolve({ token }),
  });
}
const counters = async () =>
  (
    await queryRows<{ missing: number }>(sql`SELECT missing_receipts AS missing FROM clients WHERE id = ${clientId}`)
  )[0]!.missing;
const storedFiles = async () =>
  (await queryRows<{ n: number }>(sql`SELECT count(*)::int AS n FROM stored_files`))[0]!.n;

describe('« Demander les reçus »', () => {
  it('writes once to each card holder and to the client’s contact, with one link each and the expenses listed', async () => {
    const result = await ask();
    expect(result.recipients.sort()).toEqual(['camille@soleil.fr', 'contact@client.test']);
    expect(fake.delivered).toHaveLength(2);
    const toCamille = fake.delivered.find((e) => e.to === 'camille@soleil.fr')!;
    expect(toCamille.subject).toBe('2 reçus à envoyer pour Boulangerie Soleil');
    expect(toCamille.reply_to).toBe('lea@cabinet.fr');
    expect(String(toCamille.text)).toContain('Léa Martin, de Cabinet Démo,');
    expect(String(toCamille.text)).toContain('Avant la clôture, merci.');
    const opened = await openRequest(linkIn(toCamille), MONDAY);
    expect(opened?.expenses.map((e) => e.id).sort()).toEqual([expenseIds[0], expenseIds[1]].sort());
    // The same form sent again: no second request, no second e-mail.
    fake.reset();
    const [{ n }] = (await queryRows<{ n: number }>(sql`SELECT count(*)::int AS n FROM receipt_requests`)) as [
      { n: number },
    ];
    expect(n).toBe(2);
  });

  it('a second submission of the same form sends nothing twice; after a failure it sends what did not go', async () => {
    const formToken = randomUUID();
    fake.failNext({ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 });
    await expect(ask(expenseIds, formToken)).rejects.toThrow('errors.receiptRequestSendFailed');
    expect(fake.delivered).toHaveLength(0);
    await ask(expenseIds, formToken);
    expect(fake.delivered).toHaveLength(2);
    await ask(expenseIds, formToken);
    expect(fake.delivered).toHaveLength(2);
    const [{ n }] = (await queryRows<{ n: number }>(sql`SELECT count(*)::int AS n FROM receipt_requests`)) as [
      { n: number },
    ];
    expect(n).toBe(2);
  });

  it('refuses an accountant not assigned to the client, and changes nothing', async () => {
    await expect(
      requestReceipts(
        viewer(hugo),
        { clientId, ids: expenseIds, comment: '', formToken: randomUUID() },
        { transport: transport() },
      ),
    ).rejects.toThrow('errors.clientNotFound');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('the upload page’s link', () => {
  it('takes a real PNG: the expense is attached in the same step, counters drop, and only allowed users read it', async () => {
    await ask();
    const token = linkIn(fake.delivered.find((e) => e.to === 'camille@soleil.fr')!);
    expect(await counters()).toBe(3);
    const response = await upload(token, expenseIds[0]!, png(), 'photo.png', 'image/png');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toContain(`recu=${expenseIds[0]}`);
    expect(await counters()).toBe(2);
    const [row] = await queryRows<{ receipt_state: string }>(
      sql`SELECT receipt_state FROM expenses WHERE id = ${expenseIds[0]}`,
    );
    expect(row!.receipt_state).toBe('attached');
    // Léa (assigned) and an admin read it inline with its type; Hugo (not assigned) does not.
    const read = (user: { id: string }) => {
      signInAs(user);
      return receiptGet(new Request('http://localhost/x'), {
        params: Promise.resolve({ clientId, expenseId: expenseIds[0]! }),
      });
    };
    const ok = await read(lea);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('image/png');
    expect(ok.headers.get('x-content-type-options')).toBe('nosniff');
    expect(ok.headers.get('content-disposition')).toMatch(/^inline; filename="recu-2026-11-02-fournisseur-test\.png"$/);
    expect(Buffer.from(await ok.arrayBuffer()).equals(png())).toBe(true);
    expect((await read(admin)).status).toBe(200);
    expect((await read(hugo)).status).toBe(404);
    // Another firm's admin, even with the right ids.
    const elsewhere = await createUser((await createFirm('Autre Cabinet')).id, { role: 'admin' });
    expect((await read(elsewhere)).status).toBe(404);
  });

  it('refuses a file whose name says PDF but whose content is HTML, and 10 MB + 1, storing nothing', async () => {
    await ask();
    const token = linkIn(fake.delivered.find((e) => e.to === 'camille@soleil.fr')!);
    const html = Buffer.from('<!DOCTYPE html><html><body><script>alert(1)</script></body></html>');
    const fakePdf = await upload(token, expenseIds[0]!, html, 'recu.pdf', 'application/pdf');
    expect(fakePdf.headers.get('location')).toContain('erreur=type');
    const big = Buffer.concat([png(), Buffer.alloc(10 * 1024 * 1024 + 1 - png().length)]);
    const tooBig = await upload(token, expenseIds[0]!, big, 'grand.png', 'image/png');
    expect(tooBig.headers.get('location')).toContain('erreur=size');
    expect(await storedFiles()).toBe(0);
    expect(await counters()).toBe(3);
  });

  it('wrong, expired, cancelled or another request’s links open nothing and change nothing', async () => {
    await ask();
    const token = linkIn(fake.delivered.find((e) => e.to === 'camille@soleil.fr')!);
    expect(await openRequest('x'.repeat(43), MONDAY)).toBeUndefined();
    expect(await openRequest(token, new Date(MONDAY.getTime() + 31 * 86_400_000))).toBeUndefined();
    // An expense the request does not hold (the contact's one, another client's one).
    for (const expenseId of [expenseIds[2]!, otherExpenseId]) {
      const refused = await upload(token, expenseId, png(), 'photo.png', 'image/png');
      expect(refused.headers.get('location')).toContain('erreur=not_requested');
    }
    await cancelRequest(viewer(lea), clientId, (await openRequest(token, MONDAY))!.id);
    expect(await openRequest(token)).toBeUndefined();
    const afterCancel = await upload(token, expenseIds[0]!, png(), 'photo.png', 'image/png');
    expect(afterCancel.headers.get('location')).not.toContain('recu=');
    expect(await storedFiles()).toBe(0);
    expect(await counters()).toBe(3);
  });

  it('« Pas de reçu » needs a reason and makes the expense not required, with it', async () => {
    await ask();
    const token = linkIn(fake.delivered.find((e) => e.to === 'camille@soleil.fr')!);
    const post = (fields: Record<string, string>) =>
      noReceiptPost(
        new Request(`http://localhost/recus/${token}/sans-recu`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(fields).toString(),
        }),
        { params: Promise.resolve({ token }) },
      );
    expect((await post({ expenseId: expenseIds[1]!, reason: '' })).headers.get('location')).toContain('erreur=reason');
    expect((await post({ expenseId: expenseIds[1]!, reason: 'ok\u0000' })).headers.get('location')).toContain(
      'erreur=',
    );
    expect((await post({ expenseId: expenseIds[1]!, reason: 'Péage sans ticket' })).headers.get('location')).toContain(
      `sans=${expenseIds[1]}`,
    );
    const [row] = await queryRows<{ receipt_state: string; receipt_reason: string }>(
      sql`SELECT receipt_state, receipt_reason FROM expenses WHERE id = ${expenseIds[1]}`,
    );
    expect(row).toEqual({ receipt_state: 'not_required', receipt_reason: 'Péage sans ticket' });
    expect(await counters()).toBe(2);
  });
});

describe('the digest of the client’s accountants', () => {
  it('names the clients receipts came back for, whoever asked for them', async () => {
    for (const [who, client] of [
      [lea, clientId],
      [lea, otherClientId],
      [admin, clientId],
    ] as const) {
      await saveSubscription(
        viewer(who),
        { clientId: client, enabled: true, frequency: 'daily' },
        new Date('2026-11-25T12:00:00Z'),
      );
    }
    await ask();
    const token = linkIn(fake.delivered.find((e) => e.to === 'camille@soleil.fr')!);
    for (const id of [expenseIds[0]!, expenseIds[1]!]) await upload(token, id, png(), 'photo.png', 'image/png');
    fake.reset();
    const summary = await runDigests({
      now: new Date('2026-12-01T09:05:00Z'),
      transport: transport(),
      sleep: async () => {},
    });
    expect(summary.sent).toBe(2);
    const line = 'Reçus et réponses arrivés ces 7 derniers jours\u202f: Boulangerie Soleil (2).';
    for (const to of ['lea@cabinet.fr', 'claire@cabinet.fr']) {
      const text = String(fake.delivered.find((e) => e.to === to)!.text);
      expect(text).toContain(line);
      expect(text).toContain('Ouvrir la boîte de réception\u202f: http://localhost:3000/boite');
    }
    expect(String(fake.delivered.find((e) => e.to === 'lea@cabinet.fr')!.text)).toContain('Reçus manquants\u202f: 1');
  });
});

describe('follow-ups at D+3 and D+7', () => {
  // Requested Monday 30 November: D+3 is Thursday 3 December, D+7 Monday 7 December (10:00 Paris).
  const at = (iso: string) => new Date(iso);
  const run = (now: Date) => runReceiptFollowups({ now, transport: transport() });

  it('go once each, through repeated and concurrent runs, and stop once everything arrived', async () => {
    await ask();
    fake.reset();
    expect((await run(at('2026-12-02T12:00:00Z'))).sent).toBe(0); // D+2
    expect((await run(at('2026-12-03T08:30:00Z'))).sent).toBe(0); // D+3 before 10:00 Paris
    const [one, two] = await Promise.all([run(at('2026-12-03T09:10:00Z')), run(at('2026-12-03T09:10:00Z'))]);
    expect(one.sent + two.sent).toBe(2);
    expect((await run(at('2026-12-03T15:00:00Z'))).sent).toBe(0);
    expect(fake.delivered.map((e) => e.to).sort()).toEqual(['camille@soleil.fr', 'contact@client.test']);
    expect(String(fake.delivered[0]!.subject)).toMatch(/^Rappel/);
    // The card holder answers everything; the contact does not.
    const token = linkIn(fake.delivered.find((e) => e.to === 'camille@soleil.fr')!);
    for (const id of [expenseIds[0]!, expenseIds[1]!]) await upload(token, id, png(), 'photo.png', 'image/png');
    fake.reset();
    const d7 = at('2026-12-07T09:30:00Z');
    const [a, b] = await Promise.all([run(d7), run(d7)]);
    expect(a.sent + b.sent).toBe(1);
    expect((await run(at('2026-12-08T09:30:00Z'))).sent).toBe(0);
    expect(fake.delivered.map((e) => e.to)).toEqual(['contact@client.test']);
  });

  it('follow the client’s cadence, set by an admin: « ferme » goes at D+3, D+7 and D+10, a missed one is skipped', async () => {
    const form = (fields: Record<string, string>) => formData({ clientId, ...fields });
    signInAs(lea);
    expect(await setCadenceAction({ status: 'idle' }, form({ preset: 'ferme' }))).toMatchObject({
      message: 'Cette action est réservée aux administrateurs.',
    });
    signInAs(admin);
    for (const days of ['0', '29', '1, 2, 3, 4, 5', 'trois', '__proto__'])
      expect(await setCadenceAction({ status: 'idle' }, form({ preset: 'custom', days }))).toMatchObject({
        fieldErrors: { days: [expect.stringMatching(/^De 1 à 4 jours différents/)] },
      });
    expect(await setCadenceAction({ status: 'idle' }, form({ preset: 'custom', days: '10; 3 7 3' }))).toMatchObject({
      message: 'Relances enregistrées\u202f: J+3, J+7, J+10.',
    });
    await ask();
    // The client's cadence changes after the request: the request keeps the one it was sent with.
    expect(await setCadenceAction({ status: 'idle' }, form({ preset: 'doux' }))).toMatchObject({ status: 'success' });
    fake.reset();
    expect((await run(at('2026-12-03T09:10:00Z'))).sent).toBe(2); // D+3
    // D+7 missed: the run on D+10 sends the D+10 one alone.
    expect((await run(at('2026-12-10T09:10:00Z'))).sent).toBe(2);
    expect((await run(at('2026-12-11T09:10:00Z'))).sent).toBe(0);
    const steps = await queryRows<{ step: number }>(sql`SELECT DISTINCT step FROM receipt_followups ORDER BY step`);
    expect(steps.map((s) => s.step)).toEqual([1, 3]);
  });

  it('only someone who may open the client cancels its request', async () => {
    await ask();
    const [request] = await queryRows<{ id: string }>(sql`SELECT id FROM receipt_requests LIMIT 1`);
    const elsewhere = await createUser((await createFirm('Autre Cabinet')).id, { role: 'admin' });
    for (const intruder of [hugo, elsewhere])
      await expect(cancelRequest(viewer(intruder), clientId, request!.id)).rejects.toThrow('errors.clientNotFound');
    // The right client in the URL, a request of another client: refused too.
    await expect(cancelRequest(viewer(lea), otherClientId, request!.id)).rejects.toThrow('errors.requestNotFound');
    const [row] = await queryRows<{ cancelled: boolean }>(
      sql`SELECT cancelled_at IS NOT NULL AS cancelled FROM receipt_requests WHERE id = ${request!.id}`,
    );
    expect(row!.cancelled).toBe(false);
  });

  it('a cancelled request gets no follow-up', async () => {
    await ask();
    const [request] = await queryRows<{ id: string }>(sql`SELECT id FROM receipt_requests LIMIT 1`);
    await cancelRequest(viewer(admin), clientId, request!.id);
    fake.reset();
    expect((await run(at('2026-12-03T09:10:00Z'))).sent).toBe(1);
  });
});
