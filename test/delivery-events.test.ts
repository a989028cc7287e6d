import './delivery-secret';
import { signInAs } from './session';
import { eq, sql } from 'drizzle-orm';
import { queryRows } from '@/db';
import { reminderRecipients, users } from '@/db/schema';
import { POST as resendWebhook } from '@/app/api/webhooks/resend/route';
import ClientDetailsPage from '@/app/(app)/clients/[clientId]/details/page';
import TeamPage from '@/app/(app)/equipe/page';
import { resendTransport } from '@/lib/server/mail/transport';
import { runDigests } from '@/lib/notifications/digests';
import { saveSubscription } from '@/lib/notifications/subscriptions';
import { sendReminder } from '@/lib/reminders/send';
import { clearSuppressionAction } from '@/lib/team/actions';
import { withTestDatabase } from './db';
import { FakeResend } from './fake-resend';
import { addExpenses, createClient, createFirm, createUser, formData, viewer } from './factories';
import { SECRET } from './delivery-secret';
import { renderPage } from './render';

jest.mock('next/cache', () => ({ revalidatePath: jest.fn() }));

const db = withTestDatabase();
const fake = new FakeResend();
const transport = () =>
  resendTransport({ apiKey: 're_test_key', baseUrl: fake.baseUrl, from: 'Portail <n@portail.test>' });
type User = Awaited<ReturnType<typeof createUser>>;
let admin: User;
let lea: User;
let hugo: User;
let client: { id: string };

beforeAll(async () => {
  await fake.start();
  const firm = await createFirm('Cabinet Démo');
  admin = await createUser(firm.id, { role: 'admin', name: 'Claire Dubois', email: 'claire@livraison.fr' });
  lea = await createUser(firm.id, { name: 'Léa Martin', email: 'lea@livraison.fr' });
  hugo = await createUser(firm.id, { name: 'Hugo Bernard', email: 'hugo@livraison.fr' });
  client = await createClient(firm.id, { name: 'Boulangerie Soleil', team: [lea.id, hugo.id] });
  await addExpenses(client.id, 2, { receipt: 'missing', export: 'ready' });
});
afterAll(() => fake.stop());

const post = (signed: { body: string; headers: Record<string, string> }) =>
  resendWebhook(
    new Request('http://localhost/api/webhooks/resend', { method: 'POST', body: signed.body, headers: signed.headers }),
  );
const remind = () =>
  sendReminder(
    { id: admin.id, firmId: admin.firmId, role: 'admin', name: admin.name },
    { clientId: client.id, formToken: crypto.randomUUID(), tasks: ['missing_receipts'], comment: '' },
    { transport: transport() },
  );
const messageIdOf = async (email: string) =>
  (await db.select().from(reminderRecipients).where(eq(reminderRecipients.email, email)))[0]!.providerMessageId!;

describe('POST /api/webhooks/resend', () => {
  it('refuses a bad signature, a stale timestamp and a missing one: nothing recorded', async () => {
    const good = FakeResend.signedEvent(SECRET, { type: 'email.delivered', emailId: 'x', to: 'a@b.fr' });
    expect((await post({ body: good.body, headers: { ...good.headers, 'webhook-signature': 'v1,AAAA' } })).status).toBe(
      401,
    );
    expect(
      (
        await post(
          FakeResend.signedEvent(
            SECRET,
            { type: 'email.delivered', emailId: 'x', to: 'a@b.fr' },
            new Date(Date.now() - 10 * 60_000),
          ),
        )
      ).status,
    ).toBe(401);
    expect((await post({ body: good.body, headers: {} })).status).toBe(401);
    expect(await queryRows(sql`SELECT * FROM email_events`)).toEqual([]);
  });

  it('records delivered and bounced per recipient, once, never going back, and ignores unknown messages', async () => {
    await remind();
    const toLea = await messageIdOf('lea@livraison.fr');
    const toHugo = await messageIdOf('hugo@livraison.fr');
    const delivered = FakeResend.signedEvent(SECRET, {
      type: 'email.delivered',
      emailId: toLea,
      to: 'lea@livraison.fr',
    });
    expect((await post(delivered)).status).toBe(200);
    // The same event again changes nothing.
    expect(await (await post(delivered)).json()).toEqual({ ok: true, duplicate: true });
    const bounced = FakeResend.signedEvent(SECRET, {
      type: 'email.bounced',
      emailId: toHugo,
      to: 'hugo@livraison.fr',
      createdAt: '2026-11-28T10:00:05Z',
    });
    expect((await post(bounced)).status).toBe(200);
    // A late « delivered » for Hugo does not hide the bounce.
    const late = FakeResend.signedEvent(SECRET, {
      type: 'email.delivered',
      emailId: toHugo,
      to: 'hugo@livraison.fr',
      createdAt: '2026-11-28T10:00:01Z',
    });
    expect((await post(late)).status).toBe(200);
    const states = await queryRows<{ email: string; delivery_status: string }>(
      sql`SELECT email, delivery_status FROM reminder_recipients ORDER BY email`,
    );
    expect(states).toEqual([
      { email: 'hugo@livraison.fr', delivery_status: 'bounced' },
      { email: 'lea@livraison.fr', delivery_status: 'delivered' },
    ]);
    expect(
      await (
        await post(FakeResend.signedEvent(SECRET, { type: 'email.delivered', emailId: 'unknown', to: 'x@y.fr' }))
      ).json(),
    ).toEqual({ ok: true, matched: 0 });
    signInAs(admin);
    const html = renderPage(await ClientDetailsPage({ params: Promise.resolve({ clientId: client.id }) }));
    expect(html).toContain('Léa Martin (remis)');
    expect(html).toContain('Hugo Bernard (en échec (adresse invalide))');
  });

  it('a bounced address gets no reminder and no digest, the Équipe page says so, and an admin clears it', async () => {
    fake.reset();
    await remind();
    expect(fake.delivered.map((e) => e.to)).toEqual(['lea@livraison.fr']);
    const [skipped] = await db.select().from(reminderRecipients).where(eq(reminderRecipients.lastError, 'suppressed'));
    expect(skipped?.email).toBe('hugo@livraison.fr');
    fake.reset();
    const subscribed = new Date('2026-11-25T12:00:00Z');
    for (const user of [lea, hugo])
      await saveSubscription(viewer(user), { clientId: client.id, enabled: true, frequency: 'daily' }, subscribed);
    await runDigests({ now: new Date('2026-11-30T09:05:00Z'), transport: transport(), sleep: async () => {} });
    expect(fake.delivered.map((e) => e.to)).toEqual(['lea@livraison.fr']);
    signInAs(admin);
    expect(renderPage(await TeamPage())).toContain('adresse e-mail en échec');
    signInAs(lea);
    expect((await clearSuppressionAction({ status: 'idle' }, formData({ userId: hugo.id }))).status).toBe('error');
    signInAs(admin);
    expect((await clearSuppressionAction({ status: 'idle' }, formData({ userId: hugo.id }))).status).toBe('success');
    expect(renderPage(await TeamPage())).not.toContain('adresse e-mail en échec');
    fake.reset();
    await remind();
    expect(fake.delivered.map((e) => e.to).sort()).toEqual(['hugo@livraison.fr', 'lea@livraison.fr']);
    expect((await db.select().from(users).where(eq(users.id, hugo.id))).length).toBe(1);
  });
});
