import { eq, sql } from 'drizzle-orm';
import { queryRows, timestamptz } from '@/db';
import { assignments, clients, digestDeliveries, users } from '@/db/schema';
import { runDigests } from '@/lib/notifications/digests';
import { saveSubscription, unsubscribe } from '@/lib/notifications/subscriptions';
import { readUnsubscribeToken } from '@/lib/notifications/tokens';
import { resendTransport } from '@/lib/server/mail/transport';
import { withTestDatabase } from './db';
import { FakeResend } from './fake-resend';
import { addExpenses, createClient, createFirm, createUser, viewer } from './factories';

const db = withTestDatabase();
const fake = new FakeResend();
const transport = () =>
  resendTransport({ apiKey: 're_test_key', baseUrl: fake.baseUrl, from: 'Portail <n@portail.test>' });
const noWait = async () => {};

// Wednesday 25 November 2026, noon: the first slot is Monday 30 November, 10:00 Paris (09:00Z).
const SUBSCRIBED = new Date('2026-11-25T12:00:00Z');
const MONDAY_1005 = new Date('2026-11-30T09:05:00Z');

let lea: ReturnType<typeof viewer> & { email: string };
let hugo: ReturnType<typeof viewer> & { email: string };
let clientA: { id: string };
let clientB: { id: string };
let clientC: { id: string };

beforeAll(() => fake.start());
afterAll(() => fake.stop());

beforeEach(async () => {
  fake.reset();
  await db.execute(
    sql`TRUNCATE firms, users, clients, assignments, expenses, notification_subscriptions, digest_deliveries, digest_delivery_items, outbox_emails CASCADE`,
  );
  const firm = await createFirm('Cabinet Démo');
  const leaRow = await createUser(firm.id, { name: 'Léa Martin', email: 'lea@cabinet.fr' });
  const hugoRow = await createUser(firm.id, { name: 'Hugo Bernard', email: 'hugo@cabinet.fr' });
  lea = { ...viewer(leaRow), email: leaRow.email };
  hugo = { ...viewer(hugoRow), email: hugoRow.email };
  clientA = await createClient(firm.id, { name: 'Atelier Équinoxe', team: [lea.id], balanceCents: 123_456 });
  clientB = await createClient(firm.id, { name: 'Boulangerie Soleil', team: [lea.id, hugo.id], balanceCents: -500 });
  clientC = await createClient(firm.id, { name: 'Zinc Café', team: [hugo.id] });
  // Three receipts missing, three others ready (an expense without its receipt is never ready).
  await addExpenses(clientB.id, 3, { receipt: 'missing' });
  await addExpenses(clientB.id, 3, { receipt: 'attached', export: 'ready' });
  for (const clientId of [clientA.id, clientB.id])
    await saveSubscription(lea, { clientId, enabled: true, frequency: 'daily' }, SUBSCRIBED);
  await saveSubscription(hugo, { clientId: clientC.id, enabled: true, frequency: 'weekly' }, SUBSCRIBED);
});

// A fake clock for the run's time budget: the machine's speed never decides what is sent.
const run = (now: Date, extra: Partial<Parameters<typeof runDigests>[0]> = {}) =>
  runDigests({ now, transport: transport(), sleep: noWait, elapsed: () => 0, ...extra });
const recipients = () => fake.delivered.map((e) => e.to).sort();

describe('the digest run', () => {
  it('sends one e-mail per user with each due client, in one batch call', async () => {
    const summary = await run(MONDAY_1005);
    expect(summary).toMatchObject({ due: 2, sent: 2, skipped: 0, failed: 0, stoppedBy: 'done' });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.path).toBe('/emails/batch');
    expect(recipients()).toEqual(['hugo@cabinet.fr', 'lea@cabinet.fr']);
    const toLea = fake.delivered.find((e) => e.to === 'lea@cabinet.fr')!;
    const text = toLea.text as string;
    // Clients with open tasks first; French amounts; a link into each client.
    expect(text.indexOf('Boulangerie Soleil')).toBeLessThan(text.indexOf('Atelier Équinoxe'));
    expect(text).toContain('Solde du compte\u202f: 1\u202f234,56\u00a0€');
    expect(text).toContain('Reçus manquants\u202f: 3');
    expect(text).toContain(`/clients/${clientA.id}`);
    expect(toLea.html).toEqual(expect.stringContaining('Boulangerie Soleil'));
    const headers = toLea.headers as Record<string, string>;
    expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(headers['List-Unsubscribe']).toMatch(/^<http.*\/api\/unsubscribe\/d\.[0-9a-f-]+\.[\w-]+>$/);
  });

  it('sends nothing before 10:00 Paris, on a weekend, or before the first Monday', async () => {
    expect((await run(new Date('2026-11-30T08:59:59Z'))).sent).toBe(0);
    expect((await run(new Date('2026-11-28T12:00:00Z'))).sent).toBe(0);
    expect((await run(new Date('2026-11-26T12:00:00Z'))).sent).toBe(0); // Thursday: daily, but before the first Monday
    expect(fake.requests).toHaveLength(0);
  });

  it('never sends a slot twice when called twice, or twice at once', async () => {
    await run(MONDAY_1005);
    const again = await run(new Date('2026-11-30T09:30:00Z'));
    expect(again.sent).toBe(0);
    expect(fake.delivered).toHaveLength(2);

    // Tuesday: only Léa's daily subscriptions are due; two runs race.
    fake.reset();
    const tuesday = new Date('2026-12-01T09:00:00Z');
    const [one, two] = await Promise.all([run(tuesday), run(tuesday)]);
    expect(one.sent + two.sent).toBe(1);
    expect(recipients()).toEqual(['lea@cabinet.fr']);
  });

  it('does not send again after a crash once the provider had accepted', async () => {
    await expect(
      run(MONDAY_1005, {
        afterSend: () => {
          throw new Error('le processus s’arrête ici');
        },
      }),
    ).rejects.toThrow('le processus');
    expect(fake.delivered).toHaveLength(2);
    // Later the same day the batch's lease has run out: the batch is resent as it was, same key.
    const later = await run(new Date('2026-11-30T09:20:00Z'));
    expect(later.sent).toBe(2);
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1]!.headers['idempotency-key']).toBe(fake.requests[0]!.headers['idempotency-key']);
    expect(fake.requests[1]!.body).toEqual(fake.requests[0]!.body);
    expect(fake.delivered).toHaveLength(2);
    const states = await db.select({ state: digestDeliveries.state }).from(digestDeliveries);
    expect(states.map((s) => s.state)).toEqual(['sent', 'sent']);
  });

  it('two runs racing to resend the same stale batch neither deadlock nor send it twice', async () => {
    await expect(
      run(MONDAY_1005, {
        chunkSize: 1,
        afterSend: () => {
          throw new Error('le processus s’arrête ici');
        },
      }),
    ).rejects.toThrow('le processus');
    fake.reset();
    // The first batch went but was not recorded; the second, claimed ahead, was given back.
    const later = new Date('2026-11-30T09:20:00Z');
    const [one, two] = await Promise.all([run(later, { chunkSize: 1 }), run(later, { chunkSize: 1 })]);
    expect(one.sent + two.sent).toBe(2);
    expect(fake.requests).toHaveLength(2);
    expect(recipients()).toEqual(['hugo@cabinet.fr', 'lea@cabinet.fr']);
  });

  it('retries a provider 500 with the same key and sends once', async () => {
    fake.failNext({ status: 500 });
    const summary = await run(MONDAY_1005);
    expect(summary.sent).toBe(2);
    expect(fake.requests).toHaveLength(2);
    expect(new Set(fake.requests.map((r) => r.headers['idempotency-key'])).size).toBe(1);
    expect(fake.delivered).toHaveLength(2);
  });

  it('leaves a batch the provider keeps refusing for the next run, with the same key', async () => {
    fake.failNext({ status: 503 as 500 }, { status: 500 }, { status: 500 }, { status: 500 });
    const first = await run(MONDAY_1005);
    expect(first).toMatchObject({ sent: 0, retryLater: 2 });
    const second = await run(new Date('2026-11-30T10:00:00Z'));
    expect(second.sent).toBe(2);
    expect(new Set(fake.requests.map((r) => r.headers['idempotency-key'])).size).toBe(1);
    expect(fake.delivered).toHaveLength(2);
  });

  it('catches up a missed 10:00 later the same day, but never sends a past day', async () => {
    // No run on Monday at all; Tuesday 16:00 Paris sends Tuesday's slot only.
    const summary = await run(new Date('2026-12-01T15:00:00Z'));
    expect(summary.sent).toBe(1);
    expect(recipients()).toEqual(['lea@cabinet.fr']);
    const slots = await queryRows<{ slot: string }>(
      sql`SELECT DISTINCT to_char(slot_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS slot FROM digest_delivery_items`,
    );
    expect(slots).toEqual([{ slot: '2026-12-01 09:00' }]);
  });

  it('leaves out clients the user can no longer see, and sends no empty digest', async () => {
    await db.delete(assignments).where(eq(assignments.userId, hugo.id));
    await db.update(users).set({ active: false }).where(eq(users.id, lea.id));
    const summary = await run(MONDAY_1005);
    expect(summary).toMatchObject({ sent: 0, skipped: 2 });
    expect(fake.requests).toHaveLength(0);
  });

  it('drops one unassigned client but keeps the others', async () => {
    await db.delete(assignments).where(eq(assignments.clientId, clientA.id));
    await run(MONDAY_1005);
    const text = fake.delivered.find((e) => e.to === 'lea@cabinet.fr')!.text as string;
    expect(text).toContain('Boulangerie Soleil');
    expect(text).not.toContain('Atelier Équinoxe');
  });

  it('stops at its time budget and lets the next run finish', async () => {
    const stopped = await run(MONDAY_1005, { budgetMs: 0 });
    expect(stopped).toMatchObject({ stoppedBy: 'budget', sent: 0, due: 2 });
    const next = await run(new Date('2026-11-30T09:10:00Z'));
    expect(next.sent).toBe(2);
  });

  it('works in chunks: every e-mail once, in batches of the chunk size', async () => {
    const summary = await run(MONDAY_1005, { chunkSize: 1 });
    expect(summary.sent).toBe(2);
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests.map((r) => (r.body as unknown[]).length)).toEqual([1, 1]);
  });

  it('renders the next batch while one is sent, and a run stopped with a batch ahead gives it back at once', async () => {
    // Two e-mails, one per batch: the second is claimed and rendered while the first is sent.
    const wrongKey = resendTransport({
      apiKey: 're_wrong_key',
      baseUrl: fake.baseUrl,
      from: 'Portail <n@portail.test>',
    });
    const first = await run(MONDAY_1005, { chunkSize: 1, transport: wrongKey });
    expect(first).toMatchObject({ sent: 0, retryLater: 2, stoppedBy: 'misconfigured' });
    // Both batches are released, not leased for five minutes: a run one minute later sends both, once.
    const leased = await queryRows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM digest_deliveries WHERE locked_until > ${timestamptz(MONDAY_1005)}`,
    );
    expect(leased[0]!.n).toBe(0);
    const next = await run(new Date('2026-11-30T09:06:00Z'), { chunkSize: 1 });
    expect(next).toMatchObject({ sent: 2, stoppedBy: 'done' });
    expect(recipients()).toEqual(['hugo@cabinet.fr', 'lea@cabinet.fr']);
  });

  it('keeps under the provider’s rate limit without a single 429', async () => {
    const paced = new FakeResend({ requestsPerSecond: 2 });
    await paced.start();
    try {
      const transport = resendTransport({
        apiKey: 're_test_key',
        baseUrl: paced.baseUrl,
        from: 'Portail <n@portail.test>',
        // A margin under the fake's limit: its arrival stamps are taken in this (busy) test process.
        requestsPerSecond: 1.6,
      });
      // Three more users so that the run makes five calls in a row: unpaced, the third would get a 429.
      const firm = await queryRows<{ firm_id: string }>(sql`SELECT firm_id FROM users WHERE id = ${lea.id}`);
      for (const n of [1, 2, 3]) {
        const user = await createUser(firm[0]!.firm_id, { name: `Comptable ${n}`, email: `c${n}@cabinet.fr` });
        await db.insert(assignments).values({ firmId: firm[0]!.firm_id, clientId: clientA.id, userId: user.id });
        await saveSubscription(viewer(user), { clientId: clientA.id, enabled: true, frequency: 'daily' }, SUBSCRIBED);
      }
      const summary = await runDigests({ now: MONDAY_1005, transport, chunkSize: 1 });
      expect(summary).toMatchObject({ sent: 5, retryLater: 0, stoppedBy: 'done' });
      expect(paced.rateLimited).toBe(0);
      expect(paced.delivered).toHaveLength(5);
    } finally {
      await paced.stop();
    }
  });

  it('one-click unsubscribe turns off every subscription of that digest', async () => {
    await run(MONDAY_1005);
    const header = (fake.delivered.find((e) => e.to === 'lea@cabinet.fr')!.headers as Record<string, string>)[
      'List-Unsubscribe'
    ]!;
    const token = header.slice(header.lastIndexOf('/') + 1, -1);
    const target = readUnsubscribeToken(token)!;
    expect(target.kind).toBe('digest');
    expect(await unsubscribe(target as { deliveryId: string })).toBe(2);
    expect(await unsubscribe(target as { deliveryId: string })).toBe(0);
    fake.reset();
    await run(new Date('2026-12-01T09:05:00Z'));
    expect(fake.delivered).toHaveLength(0);
    // A forged or altered token is refused.
    expect(readUnsubscribeToken(token.slice(0, -2) + 'xx')).toBeUndefined();
    expect(readUnsubscribeToken(`s.${clientA.id}.AAAA`)).toBeUndefined();
  });
});

describe('the digest run when the provider or the people change', () => {
  it('fails only the e-mail whose address the provider refuses (422); the others go', async () => {
    fake.invalidAddresses.add('hugo@cabinet.fr');
    const summary = await run(MONDAY_1005);
    expect(summary).toMatchObject({ sent: 1, failed: 1, stoppedBy: 'done' });
    expect(recipients()).toEqual(['lea@cabinet.fr']);
    const states = await queryRows<{ to_address: string; state: string }>(
      sql`SELECT to_address, state FROM digest_deliveries ORDER BY to_address`,
    );
    expect(states).toEqual([
      { to_address: 'hugo@cabinet.fr', state: 'failed' },
      { to_address: 'lea@cabinet.fr', state: 'sent' },
    ]);
  });

  it('stops the run on 401 (a wrong key), keeps everything, and the next run with the right key sends it once', async () => {
    const wrongKey = resendTransport({
      apiKey: 're_wrong_key',
      baseUrl: fake.baseUrl,
      from: 'Portail <n@portail.test>',
    });
    const first = await run(MONDAY_1005, { transport: wrongKey });
    expect(first).toMatchObject({ sent: 0, failed: 0, retryLater: 2, stoppedBy: 'misconfigured' });
    expect(fake.delivered).toEqual([]);
    const second = await run(new Date('2026-11-30T10:00:00Z'));
    expect(second).toMatchObject({ sent: 2, stoppedBy: 'done' });
    expect(recipients()).toEqual(['hugo@cabinet.fr', 'lea@cabinet.fr']);
  });

  it('accepted by the provider, then the run killed, then a recipient deactivated: the rerun sends nobody the digest twice', async () => {
    await expect(
      run(MONDAY_1005, {
        afterSend: () => {
          throw new Error('le processus est tué ici');
        },
      }),
    ).rejects.toThrow('tué');
    expect(recipients()).toEqual(['hugo@cabinet.fr', 'lea@cabinet.fr']);
    await db.update(users).set({ active: false }).where(eq(users.id, hugo.id));
    const rerun = await run(new Date('2026-11-30T09:20:00Z'));
    // The batch changed (Hugo is out) but kept its key: the provider had it, refuses the new payload, sends nothing.
    expect(fake.requests.map((r) => r.headers['idempotency-key'])).toEqual([
      fake.requests[0]!.headers['idempotency-key'],
      fake.requests[0]!.headers['idempotency-key'],
    ]);
    expect(rerun).toMatchObject({ sent: 1, failed: 0, retryLater: 0 });
    expect(recipients()).toEqual(['hugo@cabinet.fr', 'lea@cabinet.fr']);
    const states = await db.select({ state: digestDeliveries.state }).from(digestDeliveries);
    expect(states.map((s) => s.state).sort()).toEqual(['sent', 'skipped']);
    expect((await run(new Date('2026-11-30T11:00:00Z'))).sent).toBe(0);
    expect(fake.delivered).toHaveLength(2);
  });

  it('leaves out, at the resend, a user deactivated after the failure, and a client no longer visible', async () => {
    fake.failNext({ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 });
    const first = await run(MONDAY_1005);
    expect(first).toMatchObject({ sent: 0, retryLater: 2 });
    await db.update(users).set({ active: false }).where(eq(users.id, hugo.id));
    await db.delete(assignments).where(eq(assignments.clientId, clientA.id));
    const second = await run(new Date('2026-11-30T10:00:00Z'));
    expect(second).toMatchObject({ sent: 1, skipped: 1 });
    expect(recipients()).toEqual(['lea@cabinet.fr']);
    const toLea = fake.delivered[0] as { text: string };
    expect(toLea.text).toContain('Boulangerie Soleil');
    expect(toLea.text).not.toContain('Atelier Équinoxe');
    // The batch keeps its key for its whole life (the provider had never taken it), and a third run sends nothing more.
    const keys = new Set(fake.requests.map((r) => r.headers['idempotency-key']));
    expect(keys.size).toBe(1);
    expect((await run(new Date('2026-11-30T11:00:00Z'))).sent).toBe(0);
    expect(fake.delivered).toHaveLength(1);
  });
});

describe('the digest’s content', () => {
  it('says which clients’ closes are late and which are due this week (« La clôture du mois »)', async () => {
    // Monday 14 December 2026: November closes on Wednesday 16 for a monthly client on the 19th
    // (CA3 on the 21st, 3 working days before); on the 10th for one under franchise (the firm's 15th).
    await db.update(clients).set({ vatRegime: 'franchise' }).where(eq(clients.id, clientB.id));
    await run(new Date('2026-12-14T09:05:00Z'));
    const toLea = fake.delivered.find((e) => e.to === 'lea@cabinet.fr') as { text: string; html: string };
    expect(toLea.text).toContain('Clôture en retard : Boulangerie Soleil');
    expect(toLea.text).toContain('À clôturer cette semaine : Atelier Équinoxe');
    expect(toLea.text).toContain('Clôture de novembre 2026 : avant le 16/12/2026');
    expect(toLea.text).toContain('Clôture de novembre 2026 : en retard (prévue le 10/12/2026)');
    expect(toLea.html).toContain('Clôture en retard');
    // Closed, it is no longer said.
    await db.execute(sql`UPDATE client_months SET closed_at = now()
      WHERE client_id = ${clientB.id} AND month = '2026-11-01'`);
    fake.reset();
    await run(new Date('2026-12-15T09:05:00Z'));
    const tuesday = fake.delivered.find((e) => e.to === 'lea@cabinet.fr') as { text: string };
    expect(tuesday.text).not.toContain('Boulangerie Soleil : en retard');
    expect(tuesday.text).not.toContain('Clôture en retard');
    expect(tuesday.text).toContain('À clôturer cette semaine : Atelier Équinoxe');
  });

  it('orders the clients by urgency, gives the totals, and says what changed since the previous digest', async () => {
    // Monday: the first digest has nothing to compare with.
    await run(MONDAY_1005);
    const monday = fake.delivered.find((e) => e.to === 'lea@cabinet.fr') as { text: string; subject: string };
    expect(monday.subject).toBe('Vos clients au lundi 30 novembre\u202f: 3 reçus manquants, 3 dépenses à exporter');
    expect(monday.text).toContain('3 reçus manquants, 3 dépenses à exporter sur 2 clients.');
    expect(monday.text).not.toContain('depuis');
    // By Tuesday: two more missing receipts at Atelier Équinoxe, and its balance went below zero.
    await addExpenses(clientA.id, 2, { receipt: 'missing', export: 'not_ready' });
    await db.update(clients).set({ balanceCents: -10_000 }).where(eq(clients.id, clientA.id));
    fake.reset();
    await run(new Date('2026-12-01T09:05:00Z'));
    const tuesday = fake.delivered.find((e) => e.to === 'lea@cabinet.fr') as { text: string; html: string };
    expect(tuesday.text).toContain('5 reçus manquants, 3 dépenses à exporter sur 2 clients.');
    expect(tuesday.text).toContain('+2 reçus manquants depuis lundi');
    expect(tuesday.text).toContain('Atelier Équinoxe\u202f: solde passé sous zéro');
    // Most missing receipts first: Boulangerie Soleil has 3, Atelier Équinoxe 2.
    expect(tuesday.text.indexOf('Boulangerie Soleil')).toBeLessThan(tuesday.text.indexOf('\nAtelier Équinoxe\n'));
    expect(tuesday.html).toContain('Ouvrir le portail');
    expect(tuesday.html).toContain('/compte/notifications');
  });
});
