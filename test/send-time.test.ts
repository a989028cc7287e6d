import { signInAs } from './session';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { sql } from 'drizzle-orm';
import { queryRows } from '@/db';
import { firmSendTimeAction, userSendTimeAction } from '@/lib/notifications/actions';
import { planDeliveries } from '@/lib/notifications/digest-queue';
import { runDigests } from '@/lib/notifications/digests';
import { dueFrequencies, firstSlotAfter, nextDelivery, parisDay } from '@/lib/notifications/schedule';
import { saveSubscription } from '@/lib/notifications/subscriptions';
import { resendTransport } from '@/lib/server/mail/transport';
import { withTestDatabase } from './db';
import { FakeResend } from './fake-resend';
import { createClient, createFirm, createUser, formData, viewer } from './factories';

jest.mock('next/cache', () => ({ revalidatePath: jest.fn() }));

const db = withTestDatabase();
const fake = new FakeResend();
beforeAll(() => fake.start());
afterAll(() => fake.stop());
const idle = { status: 'idle' as const };

// Zones of long-settled rules (no change in the tz database for years, so that the runtime's copy
// and the database's agree), chosen for their odd cases: half and quarter hours, southern summers,
// a 30-minute DST (Lord Howe), Dublin's « negative » DST, UTC+14 and UTC−11, no DST at all.
const ZONES = [
  'Europe/Paris',
  'Europe/London',
  'Europe/Dublin',
  'America/New_York',
  'America/Los_Angeles',
  'America/St_Johns',
  'America/Sao_Paulo',
  'America/Martinique',
  'Indian/Reunion',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Asia/Tokyo',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'Pacific/Auckland',
  'Pacific/Chatham',
  'Pacific/Noumea',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
];

async function setUp() {
  await db.execute(
    sql`TRUNCATE firms, users, clients, assignments, notification_subscriptions, digest_deliveries CASCADE`,
  );
  const firm = await createFirm('Cabinet Démo');
  const hugo = await createUser(firm.id, { name: 'Hugo Bernard', email: 'hugo@cabinet.fr' });
  const client = await createClient(firm.id, { name: 'Zinc Café', team: [hugo.id] });
  return { firm, hugo, client };
}

const setTime = (userId: string, hour: number | null, zone: string | null) =>
  queryRows(sql`UPDATE users SET digest_hour = ${hour}, digest_zone = ${zone} WHERE id = ${userId}`);

describe('each person’s send time', () => {
  it('the run plans the very slot schedule.ts computes, for random zones, hours and instants', async () => {
    const { hugo, client } = await setUp();
    // Daily since long ago: due on every weekday, at the user's hour of their day.
    await saveSubscription(
      viewer(hugo),
      { clientId: client.id, enabled: true, frequency: 'daily' },
      new Date('2025-12-01T00:00:00Z'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ZONES),
        fc.integer({ min: 8, max: 18 }),
        fc.date({ min: new Date('2026-01-05T00:00:00Z'), max: new Date('2026-12-20T00:00:00Z'), noInvalidDate: true }),
        async (zone, hour, now) => {
          await db.execute(sql`TRUNCATE digest_deliveries CASCADE`);
          await setTime(hugo.id, hour, zone);
          await planDeliveries(now);
          const rows = await queryRows<{ day: string; slot_at: string | Date; due_until: string | Date }>(
            sql`SELECT d.paris_day::text AS day, i.slot_at, d.due_until FROM digest_deliveries d
                JOIN digest_delivery_items i ON i.delivery_id = d.id`,
          );
          const expected = dueFrequencies(now, { zone, hour });
          if (!expected.frequencies.includes('daily')) {
            expect(rows).toEqual([]);
            return;
          }
          expect(rows).toHaveLength(1);
          expect(rows[0]!.day).toBe(parisDay(now, zone));
          expect(new Date(rows[0]!.slot_at).getTime()).toBe(expected.slot.toMillis());
          const dayEnd = DateTime.fromJSDate(now, { zone }).startOf('day').plus({ days: 1 });
          expect(new Date(rows[0]!.due_until).getTime()).toBe(dayEnd.toMillis());
        },
      ),
      { numRuns: 60 },
    );
  });

  it('Hugo at 8 h Europe/Paris gets his digest at 8 h, once a weekday, through the October clock change', async () => {
    const { hugo, client } = await setUp();
    await setTime(hugo.id, 8, 'Europe/Paris');
    await saveSubscription(
      viewer(hugo),
      { clientId: client.id, enabled: true, frequency: 'daily' },
      new Date('2026-10-14T12:00:00Z'),
    );
    const transport = resendTransport({
      apiKey: 're_test_key',
      baseUrl: fake.baseUrl,
      from: 'Portail <n@portail.test>',
    });
    fake.reset();
    // A run every half hour from Thursday 22 to Tuesday 27 October 2026 (clocks go back on
    // Sunday 25 at 3:00).
    for (let t = Date.parse('2026-10-22T00:00:00Z'); t <= Date.parse('2026-10-27T12:00:00Z'); t += 30 * 60_000)
      await runDigests({ now: new Date(t), transport, sleep: async () => {}, elapsed: () => 0 });
    const sent = await queryRows<{ day: string; sent_at: string | Date }>(
      sql`SELECT paris_day::text AS day, sent_at FROM digest_deliveries WHERE state = 'sent' ORDER BY paris_day`,
    );
    expect(sent.map((r) => r.day)).toEqual(['2026-10-22', '2026-10-23', '2026-10-26', '2026-10-27']);
    for (const row of sent)
      expect(DateTime.fromJSDate(new Date(row.sent_at), { zone: 'Europe/Paris' }).toFormat('HH:mm')).toBe('08:00');
    // Summer time before the change (06:00Z), winter time after (07:00Z).
    expect(sent.map((r) => new Date(r.sent_at).toISOString().slice(11, 16))).toEqual([
      '06:00',
      '06:00',
      '07:00',
      '07:00',
    ]);
    expect(fake.delivered.filter((e) => e.to === 'hugo@cabinet.fr')).toHaveLength(4);
  });

  it('a change of hour or zone within a day never sends a second digest that day, and takes effect the next', async () => {
    const { hugo, client } = await setUp();
    await setTime(hugo.id, 8, 'Europe/Paris');
    await saveSubscription(
      viewer(hugo),
      { clientId: client.id, enabled: true, frequency: 'daily' },
      new Date('2026-11-18T12:00:00Z'),
    );
    const transport = resendTransport({
      apiKey: 're_test_key',
      baseUrl: fake.baseUrl,
      from: 'Portail <n@portail.test>',
    });
    const run = (iso: string) => runDigests({ now: new Date(iso), transport, sleep: async () => {}, elapsed: () => 0 });
    const sentDays = async () =>
      (
        await queryRows<{ day: string }>(
          sql`SELECT paris_day::text AS day FROM digest_deliveries WHERE state = 'sent' ORDER BY paris_day`,
        )
      ).map((r) => r.day);

    // Monday 30 November, 8:00 Paris (07:00Z): sent.
    await run('2026-11-30T07:00:00Z');
    expect(await sentDays()).toEqual(['2026-11-30']);
    // Later hour the same day: nothing more that day.
    await setTime(hugo.id, 17, 'Europe/Paris');
    await run('2026-11-30T16:00:00Z');
    // New York: still Monday there at 8:00 (13:00Z): nothing more that day.
    await setTime(hugo.id, 8, 'America/New_York');
    await run('2026-11-30T13:00:00Z');
    expect(await sentDays()).toEqual(['2026-11-30']);
    // Tuesday 8:00 in New York (13:00Z), not at 8:00 Paris.
    await run('2026-12-01T07:00:00Z');
    expect(await sentDays()).toEqual(['2026-11-30']);
    await run('2026-12-01T13:00:00Z');
    expect(await sentDays()).toEqual(['2026-11-30', '2026-12-01']);
    // Nouméa (UTC+11): Wednesday 8:00 there is Tuesday 21:00Z; Paris's Wednesday 8:00 sends nothing more.
    await setTime(hugo.id, 8, 'Pacific/Noumea');
    await run('2026-12-01T21:00:00Z');
    await run('2026-12-02T07:00:00Z');
    expect(await sentDays()).toEqual(['2026-11-30', '2026-12-01', '2026-12-02']);
  });

  it('a digest not sent by the end of its day is not sent a day late', async () => {
    const { hugo, client } = await setUp();
    await saveSubscription(
      viewer(hugo),
      { clientId: client.id, enabled: true, frequency: 'daily' },
      new Date('2026-11-18T12:00:00Z'),
    );
    const transport = resendTransport({
      apiKey: 're_test_key',
      baseUrl: fake.baseUrl,
      from: 'Portail <n@portail.test>',
    });
    // Monday's planned at 10:00 Paris, then the provider is down all day.
    await planDeliveries(new Date('2026-11-30T09:00:00Z'));
    await runDigests({ now: new Date('2026-12-01T09:05:00Z'), transport, sleep: async () => {}, elapsed: () => 0 });
    const rows = await queryRows<{ day: string; state: string }>(
      sql`SELECT paris_day::text AS day, state::text FROM digest_deliveries ORDER BY paris_day`,
    );
    expect(rows).toEqual([
      { day: '2026-11-30', state: 'pending' },
      { day: '2026-12-01', state: 'sent' },
    ]);
  });

  it('the first slot and the next delivery follow the person’s send time', () => {
    const at = { zone: 'America/New_York', hour: 8 };
    // Switched on Wednesday 25 November: the first Monday, 8:00 in New York.
    const first = firstSlotAfter(new Date('2026-11-25T12:00:00Z'), 'daily', at);
    expect(first.toUTC().toISO()).toBe('2026-11-30T13:00:00.000Z');
    // Moved to 17:00 afterwards: the same first day, at the new hour.
    expect(
      nextDelivery(new Date('2026-11-26T12:00:00Z'), first.toJSDate(), 'daily', { ...at, hour: 17 })
        .toUTC()
        .toISO(),
    ).toBe('2026-11-30T22:00:00.000Z');
  });

  it('is chosen from the lists; bad input is a French message next to its field; the firm’s default is an admin’s', async () => {
    const { firm, hugo } = await setUp();
    const admin = await createUser(firm.id, { role: 'admin' });
    signInAs(hugo);
    for (const [hour, zone, field] of [
      ['7', 'Europe/Paris', 'hour'],
      ['19', 'Europe/Paris', 'hour'],
      ['8.5', 'Europe/Paris', 'hour'],
      ['__proto__', 'Europe/Paris', 'hour'],
      ['8', 'Mars/Olympus', 'zone'],
      ['8', '__proto__', 'zone'],
      ['8', '../../etc/passwd', 'zone'],
      ['8', 'Europe/Paris\u0000', 'zone'],
    ] as const) {
      const result = await userSendTimeAction(idle, formData({ hour, zone }));
      expect(result.status).toBe('error');
      expect(result.fieldErrors?.[field]?.[0]).toMatch(/Choisissez|caractère/);
    }
    expect(await queryRows(sql`SELECT 1 FROM users WHERE digest_hour IS NOT NULL OR digest_zone IS NOT NULL`)).toEqual(
      [],
    );
    expect(await userSendTimeAction(idle, formData({ hour: '8', zone: 'Europe/Paris' }))).toMatchObject({
      status: 'success',
      message: 'Vos récapitulatifs partiront à 8 h, fuseau Europe/Paris.',
    });
    expect(await firmSendTimeAction(idle, formData({ hour: '9', zone: 'Indian/Reunion' }))).toMatchObject({
      message: 'Cette action est réservée aux administrateurs.',
    });
    signInAs(admin);
    expect(await firmSendTimeAction(idle, formData({ hour: '9', zone: 'Indian/Reunion' }))).toMatchObject({
      status: 'success',
    });
    // Back to the firm's: the empty choice.
    signInAs(hugo);
    expect(await userSendTimeAction(idle, formData({ hour: '', zone: '' }))).toMatchObject({
      message: 'Vos récapitulatifs partiront à 9 h, fuseau Indian/Reunion.',
    });
    const journal = await queryRows<{ details: Record<string, unknown> }>(
      sql`SELECT details FROM activity_log WHERE action = 'send_time_changed' ORDER BY at`,
    );
    expect(journal.map((r) => r.details)).toEqual([
      { hour: 8, zone: 'Europe/Paris' },
      { hour: 9, zone: 'Indian/Reunion', firmDefault: true },
      { hour: null, zone: null },
    ]);
  });
});
