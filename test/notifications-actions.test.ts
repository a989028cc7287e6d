import { sql } from 'drizzle-orm';
import { signInAs } from './session';
import { queryRows } from '@/db';
import { notificationSubscriptions } from '@/db/schema';
import { GET as cronGet } from '@/app/api/cron/digests/route';
import { GET as unsubscribeGet, POST as unsubscribePost } from '@/app/api/unsubscribe/[token]/route';
import { saveNotificationPreference } from '@/lib/notifications/actions';
import { saveSubscription } from '@/lib/notifications/subscriptions';
import { unsubscribeToken } from '@/lib/notifications/tokens';
import { outboxTransport } from '@/lib/server/mail/transport';
import { sendEmailBatch } from '@/lib/server/mail/send';
import { withTestDatabase } from './db';
import { createClient, createFirm, createUser, formData } from './factories';

jest.mock('next/cache', () => ({ revalidatePath: jest.fn() }));

const db = withTestDatabase();

let admin: Awaited<ReturnType<typeof createUser>>;
let lea: Awaited<ReturnType<typeof createUser>>;
let hugo: Awaited<ReturnType<typeof createUser>>;
let stranger: Awaited<ReturnType<typeof createUser>>;
let leaClient: { id: string };
let foreignClient: { id: string };

beforeAll(async () => {
  const firm = await createFirm();
  admin = await createUser(firm.id, { role: 'admin' });
  lea = await createUser(firm.id);
  hugo = await createUser(firm.id);
  leaClient = await createClient(firm.id, { team: [lea.id] });
  const other = await createFirm();
  stranger = await createUser(other.id, { role: 'admin' });
  foreignClient = await createClient(other.id, { team: [stranger.id] });
});

beforeEach(async () => {
  await db.delete(notificationSubscriptions);
});

const form = formData;

async function subscriptions() {
  return db.select().from(notificationSubscriptions);
}

describe('saving the notification preference', () => {
  it('stores the choice and says when the first e-mail comes', async () => {
    signInAs(lea);
    const state = await saveNotificationPreference(
      { status: 'idle' },
      form({ clientId: leaClient.id, email: 'on', frequency: 'daily' }),
    );
    expect(state.status).toBe('success');
    expect(state.message).toMatch(/^Préférence enregistrée\. Prochain envoi\u202f: lundi \d+ \p{L}+ à 10\u00a0h\.$/u);
    const [row] = await subscriptions();
    expect(row).toMatchObject({ userId: lea.id, clientId: leaClient.id, enabled: true, frequency: 'daily' });
    // Unticking "E-mail" turns it off with the same form.
    const off = await saveNotificationPreference(
      { status: 'idle' },
      form({ clientId: leaClient.id, frequency: 'daily' }),
    );
    expect(off.message).toBe('Notifications par e-mail désactivées pour ce client.');
    expect((await subscriptions())[0]!.enabled).toBe(false);
  });

  it('lets an admin subscribe to any connected client of the firm', async () => {
    signInAs(admin);
    const state = await saveNotificationPreference(
      { status: 'idle' },
      form({ clientId: leaClient.id, email: 'on', frequency: 'monthly' }),
    );
    expect(state.status).toBe('success');
  });

  it.each([
    ['an unknown frequency', () => lea, () => ({ clientId: leaClient.id, email: 'on', frequency: 'hourly' })],
    ['a malformed client id', () => lea, () => ({ clientId: 'abc', email: 'on', frequency: 'daily' })],
    ['a client of another firm', () => lea, () => ({ clientId: foreignClient.id, email: 'on', frequency: 'daily' })],
    [
      'an accountant not assigned to the client',
      () => hugo,
      () => ({ clientId: leaClient.id, email: 'on', frequency: 'daily' }),
    ],
    ['another firm’s admin', () => stranger, () => ({ clientId: leaClient.id, email: 'on', frequency: 'daily' })],
    ['an anonymous caller', () => undefined, () => ({ clientId: leaClient.id, email: 'on', frequency: 'daily' })],
  ])('refuses %s and stores nothing', async (_label, who, fields) => {
    signInAs(who());
    const state = await saveNotificationPreference({ status: 'idle' }, form(fields()));
    expect(state.status).toBe('error');
    expect(state.message).toBeTruthy();
    expect(await subscriptions()).toEqual([]);
  });

  it('puts the frequency message next to its field', async () => {
    signInAs(lea);
    const state = await saveNotificationPreference(
      { status: 'idle' },
      form({ clientId: leaClient.id, email: 'on', frequency: 'x' }),
    );
    expect(state.fieldErrors?.frequency?.[0]).toBe(
      'Sélectionnez une fréquence\u202f: quotidienne, hebdomadaire ou mensuelle.',
    );
  });
});

describe('GET /api/cron/digests', () => {
  const call = (authorization?: string) =>
    cronGet(new Request('http://localhost/api/cron/digests', { headers: authorization ? { authorization } : {} }));
  const saved = process.env.CRON_SECRET;
  afterEach(() => {
    process.env.CRON_SECRET = saved;
  });

  it('refuses every call while CRON_SECRET is unset', async () => {
    delete process.env.CRON_SECRET;
    for (const header of [undefined, 'Bearer ', 'Bearer undefined', 'Bearer null']) {
      expect((await call(header)).status).toBe(401);
    }
  });

  it('refuses a missing or wrong secret, and answers a summary to the right one', async () => {
    process.env.CRON_SECRET = 'le-secret-du-cron';
    expect((await call()).status).toBe(401);
    expect((await call('Bearer le-secret-du-cro')).status).toBe(401);
    expect((await call('le-secret-du-cron')).status).toBe(401);
    const ok = await call('Bearer le-secret-du-cron');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual(
      expect.objectContaining({ due: expect.any(Number), sent: expect.any(Number), failed: 0 }),
    );
  });
});

describe('unsubscribe links', () => {
  const post = (token: string, accept = '*/*') =>
    unsubscribePost(
      new Request(`http://localhost/api/unsubscribe/${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept },
        body: 'List-Unsubscribe=One-Click',
      }),
      { params: Promise.resolve({ token }) },
    );

  it('turns a subscription off on a one-click POST without a cookie, idempotently', async () => {
    const sub = await saveSubscription(lea, { clientId: leaClient.id, enabled: true, frequency: 'weekly' });
    const token = unsubscribeToken({ kind: 'client', subscriptionId: sub.id });
    expect((await post(token)).status).toBe(200);
    expect((await subscriptions())[0]!.enabled).toBe(false);
    expect((await post(token)).status).toBe(200);
    expect((await subscriptions())[0]!.enabled).toBe(false);
  });

  it('changes nothing on a GET, or with a forged token', async () => {
    const sub = await saveSubscription(lea, { clientId: leaClient.id, enabled: true, frequency: 'weekly' });
    const token = unsubscribeToken({ kind: 'client', subscriptionId: sub.id });
    const get = await unsubscribeGet(new Request(`http://localhost/api/unsubscribe/${token}`), {
      params: Promise.resolve({ token }),
    });
    expect(get.status).toBe(303);
    expect(get.headers.get('location')).toBe(`http://localhost:3000/desabonnement/${token}`);
    const forged = `s.${sub.id}.${'A'.repeat(43)}`;
    expect((await post(forged)).status).toBe(404);
    expect((await post('n-importe-quoi')).status).toBe(404);
    expect((await subscriptions())[0]!.enabled).toBe(true);
  });

  it('sends a browser back to the confirmation page', async () => {
    const sub = await saveSubscription(lea, { clientId: leaClient.id, enabled: true, frequency: 'weekly' });
    const token = unsubscribeToken({ kind: 'client', subscriptionId: sub.id });
    const response = await post(token, 'text/html');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`http://localhost:3000/desabonnement/${token}?fait=1`);
  });
});

describe('the outbox transport', () => {
  it('keeps each e-mail once, even when a batch is sent again with its key', async () => {
    const transport = outboxTransport('Portail <n@portail.test>');
    const email = { to: 'a@x.fr', subject: 'Sujet', html: '<p>x</p>', text: 'x' };
    await sendEmailBatch([email], 'same-key', { transport });
    await sendEmailBatch([email], 'same-key', { transport });
    const rows = await queryRows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM outbox_emails WHERE idempotency_key = 'same-key'`,
    );
    expect(rows[0]!.n).toBe(1);
  });
});

describe('« Mes notifications »', () => {
  const idle = { status: 'idle' as const };
  it('lists only the user’s own subscriptions, changes several at once, and turns all off', async () => {
    const { default: MyNotificationsPage } = await import('@/app/(app)/compte/notifications/page');
    const { updateSubscriptionsAction, disableAllSubscriptionsAction } = await import('@/lib/notifications/actions');
    const { renderPage } = await import('./render');
    const second = await createClient(lea.firmId, { name: 'Deuxième Client', team: [lea.id] });
    await saveSubscription(lea, { clientId: leaClient.id, enabled: true, frequency: 'daily' });
    await saveSubscription(admin, { clientId: leaClient.id, enabled: true, frequency: 'monthly' });
    signInAs(lea);
    let html = renderPage(await MyNotificationsPage({ searchParams: Promise.resolve({}) }));
    expect(html).toContain(`/clients/${leaClient.id}/details`);
    expect(html).not.toContain('Deuxième Client');
    // Someone else's subscription is not Léa's: one row only.
    expect(html.match(/type="checkbox" form="notifications-selection"/g)?.length).toBe(1);
    await saveSubscription(lea, { clientId: second.id, enabled: true, frequency: 'daily' });
    // Filtered by one of her groups: its clients only; a group she does not see filters nothing.
    const { createGroup, addToGroup } = await import('@/lib/groups/groups');
    const group = await createGroup(lea, { name: 'Mes urgences', firmWide: false });
    await addToGroup(lea, group, [leaClient.id]);
    const outsider = await createUser((await createFirm()).id, { role: 'admin' });
    const theirs = await createGroup(outsider, { name: 'Ailleurs', firmWide: true });
    html = renderPage(await MyNotificationsPage({ searchParams: Promise.resolve({ groupe: group }) }));
    expect(html).toContain(`/clients/${leaClient.id}/details`);
    expect(html).not.toContain('Deuxième Client');
    for (const groupe of [theirs, 'pas-un-id', ['a', 'b']])
      expect(renderPage(await MyNotificationsPage({ searchParams: Promise.resolve({ groupe }) }))).toContain(
        'Deuxième Client',
      );
    const bulk = await updateSubscriptionsAction(
      idle,
      form({ clientIds: [leaClient.id, second.id], frequency: 'monthly' }),
    );
    expect(bulk).toEqual({ status: 'success', message: '2 abonnements modifiés.' });
    const mine = (await subscriptions()).filter((s) => s.userId === lea.id);
    expect(mine.map((s) => [s.enabled, s.frequency])).toEqual([
      [true, 'monthly'],
      [true, 'monthly'],
    ]);
    // A client she may not see refuses the whole change.
    expect(
      await updateSubscriptionsAction(idle, form({ clientIds: [leaClient.id, foreignClient.id], frequency: 'off' })),
    ).toEqual({
      status: 'error',
      message: 'Client introuvable.',
    });
    expect((await subscriptions()).filter((s) => s.userId === lea.id && s.enabled)).toHaveLength(2);
    expect((await disableAllSubscriptionsAction(idle, form({}))).status).toBe('success');
    expect((await subscriptions()).filter((s) => s.userId === lea.id && s.enabled)).toHaveLength(0);
    // The admin's own subscription is untouched.
    expect((await subscriptions()).filter((s) => s.userId === admin.id && s.enabled)).toHaveLength(1);
    html = renderPage(await MyNotificationsPage({ searchParams: Promise.resolve({}) }));
    expect(html).toContain('Désactivées');
  });
});

describe('« Recevoir un récapitulatif… » from the Clients page', () => {
  const idle = { status: 'idle' as const };
  it('subscribes an accountant to the ticked clients they may see, shows the bell, and refuses any other client', async () => {
    const { bulkClientsAction } = await import('@/lib/clients/actions');
    const { default: ClientsPage } = await import('@/app/(app)/clients/(list)/page');
    const { renderPage } = await import('./render');
    await db.delete(notificationSubscriptions);
    const hugoClient = await createClient(hugo.firmId, { name: 'Client de Hugo', team: [hugo.id] });
    signInAs(lea);
    // A client of her firm she is not assigned to, and another firm's: refused, nothing saved.
    for (const other of [hugoClient.id, foreignClient.id]) {
      expect(
        await bulkClientsAction(idle, form({ op: 'subscribe', clientIds: [leaClient.id, other], frequency: 'daily' })),
      ).toEqual({
        status: 'error',
        message: 'Client introuvable.',
      });
    }
    expect(await subscriptions()).toEqual([]);
    // An accountant cannot assign.
    expect(await bulkClientsAction(idle, form({ op: 'assign', clientIds: [leaClient.id], userId: lea.id }))).toEqual({
      status: 'error',
      message: 'Cette action est réservée aux administrateurs.',
    });
    const done = await bulkClientsAction(
      idle,
      form({ op: 'subscribe', clientIds: [leaClient.id], frequency: 'weekly' }),
    );
    expect(done).toEqual({ status: 'success', message: 'Récapitulatif hebdomadaire activé pour 1 client.' });
    expect((await subscriptions()).map((s) => [s.userId, s.clientId, s.frequency, s.enabled])).toEqual([
      [lea.id, leaClient.id, 'weekly', true],
    ]);
    const html = renderPage(await ClientsPage({ searchParams: Promise.resolve({}) }));
    expect(html).toContain('Vous recevez un récapitulatif hebdomadaire');
    expect(html).toContain('Recevoir un récapitulatif…');
  });
});

describe('several subscriptions at once', () => {
  it('leaves each row as saving it alone would, and writes a Journal row for each', async () => {
    const { updateSubscriptions } = await import('@/lib/notifications/subscriptions');
    const firm = await createFirm();
    const one = await createUser(firm.id, { role: 'admin' });
    const many = await createUser(firm.id, { role: 'admin' });
    const [a, b, c] = [await createClient(firm.id), await createClient(firm.id), await createClient(firm.id)];
    const before = new Date('2026-11-02T08:00:00Z');
    const now = new Date('2026-11-18T08:00:00Z');
    // The same starting point for both users: a on daily, b off (monthly), c never subscribed.
    for (const user of [one, many]) {
      await saveSubscription(user, { clientId: a.id, enabled: true, frequency: 'daily' }, before);
      await saveSubscription(user, { clientId: b.id, enabled: false, frequency: 'monthly' }, before);
    }
    const state = async (userId: string) =>
      (await subscriptions())
        .filter((s) => s.userId === userId)
        .map((s) => ({ client: s.clientId, enabled: s.enabled, frequency: s.frequency, first: s.firstSlotAt }))
        .sort((x, y) => x.client.localeCompare(y.client));
    for (const choice of ['daily', 'weekly', 'off', 'monthly'] as const) {
      for (const id of [a.id, b.id, c.id]) {
        const existing = (await subscriptions()).find((s) => s.userId === one.id && s.clientId === id);
        await saveSubscription(
          one,
          {
            clientId: id,
            enabled: choice !== 'off',
            frequency: choice === 'off' ? (existing?.frequency ?? 'weekly') : choice,
          },
          now,
        );
      }
      expect(await updateSubscriptions(many, [a.id, b.id, c.id, a.id], choice, now)).toBe(3);
      expect(await state(many.id)).toEqual(await state(one.id));
    }
    const journal = await queryRows<{ actor_id: string; client_id: string; details: unknown }>(
      sql`SELECT actor_id, client_id, details FROM activity_log WHERE action = 'subscription_changed' AND actor_id = ANY(${`{${one.id},${many.id}}`}::uuid[]) `,
    );
    const byActor = (id: string) =>
      journal
        .filter((r) => r.actor_id === id)
        .map((r) => JSON.stringify([r.client_id, r.details]))
        .sort();
    expect(byActor(many.id)).toEqual(byActor(one.id));
    expect(byActor(many.id)).toHaveLength(2 + 12);
  });
});
