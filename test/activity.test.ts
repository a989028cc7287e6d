import { signInAs, nextSignal } from './session';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { queryRows } from '@/db';
import ClientWorkspacePage from '@/app/(app)/clients/[clientId]/page';
import JournalPage from '@/app/(app)/journal/page';
import { GET as exportJournal } from '@/app/(app)/journal/export/route';
import { listActivity } from '@/lib/activity/queries';
import { purgeActivity, recordActivity, type ActivityAction } from '@/lib/activity/record';
import { parseJournalParams } from '@/lib/activity/schemas';
import { assignAction } from '@/lib/assignments/actions';
import { checkCredentials } from '@/lib/auth/authorize';
import { exportExpensesAction } from '@/lib/exports/actions';
import { changeRoleAction } from '@/lib/team/actions';
import { withTestDatabase } from './db';
import { addExpenses, createClient, createFirm, createUser, formData, TEST_PASSWORD } from './factories';
import { renderPage } from './render';

jest.mock('next/cache', () => ({ revalidatePath: jest.fn() }));

const db = withTestDatabase();
type User = Awaited<ReturnType<typeof createUser>>;
let firmId: string;
let admin: User;
let lea: User;
let stranger: User;
let client: { id: string };
let foreignClient: { id: string };

beforeAll(async () => {
  firmId = (await createFirm('Cabinet Démo')).id;
  admin = await createUser(firmId, { role: 'admin', name: 'Claire Dubois', email: 'claire@journal.fr' });
  lea = await createUser(firmId, { name: 'Léa Martin', email: 'lea@journal.fr' });
  client = await createClient(firmId, { name: 'Boulangerie Soleil', team: [lea.id] });
  const other = await createFirm('Autre cabinet');
  stranger = await createUser(other.id, { role: 'admin', name: 'Intrus', email: 'intrus@autre.fr' });
  foreignClient = await createClient(other.id, { name: 'Client Secret', team: [stranger.id] });
});

const idle = { status: 'idle' as const };
const actions = async (action: ActivityAction) =>
  queryRows<{ actor_name: string; client_name: string | null; details: Record<string, unknown> }>(
    sql`SELECT actor_name, client_name, details FROM activity_log WHERE firm_id = ${firmId} AND action = ${action} ORDER BY at`,
  );

describe('what the Journal records, in the same transaction', () => {
  it('logins, without the password', async () => {
    await checkCredentials('lea@journal.fr', 'wrong-password');
    await checkCredentials('lea@journal.fr', TEST_PASSWORD);
    expect((await actions('login_failed')).map((r) => r.actor_name)).toEqual(['Léa Martin']);
    expect((await actions('login_succeeded')).map((r) => r.actor_name)).toEqual(['Léa Martin']);
    const all = await queryRows<{ details: string }>(sql`SELECT details::text FROM activity_log`);
    expect(all.map((r) => r.details).join()).not.toContain(TEST_PASSWORD);
    expect(all.map((r) => r.details).join()).not.toContain('wrong-password');
  });

  it('every opening of a client’s account', async () => {
    signInAs(lea);
    await ClientWorkspacePage({ params: Promise.resolve({ clientId: client.id }), searchParams: Promise.resolve({}) });
    await ClientWorkspacePage({ params: Promise.resolve({ clientId: client.id }), searchParams: Promise.resolve({}) });
    const rows = await actions('client_opened');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ actor_name: 'Léa Martin', client_name: 'Boulangerie Soleil' });
    // A client she may not open: a 404, and nothing logged.
    expect(
      await nextSignal(
        ClientWorkspacePage({
          params: Promise.resolve({ clientId: foreignClient.id }),
          searchParams: Promise.resolve({}),
        }),
      ),
    ).toMatch(/404/);
    expect(await actions('client_opened')).toHaveLength(2);
  });

  it('an export, and nothing when the export fails', async () => {
    signInAs(lea);
    const failed = await exportExpensesAction(idle, formData({ clientId: client.id }));
    expect(failed.status).toBe('error');
    expect(await actions('export_created')).toEqual([]);
    await addExpenses(client.id, 2, { receipt: 'attached', export: 'ready', amountCents: 1000 });
    expect((await exportExpensesAction(idle, formData({ clientId: client.id }))).status).toBe('success');
    const [row] = await actions('export_created');
    expect(row).toMatchObject({
      actor_name: 'Léa Martin',
      client_name: 'Boulangerie Soleil',
      details: { expenses: 2, totalCents: 2000 },
    });
  });

  it('an assignment and a role change, and nothing when they are refused', async () => {
    signInAs(admin);
    expect((await changeRoleAction(idle, formData({ userId: admin.id, role: 'accountant' }))).status).toBe('error');
    expect(await actions('member_role_changed')).toEqual([]);
    const other = await createUser(firmId, { name: 'Hugo Bernard' });
    expect((await assignAction(idle, formData({ clientId: client.id, userId: other.id }))).status).toBe('success');
    expect(await actions('assignment_added')).toEqual([
      expect.objectContaining({
        actor_name: 'Claire Dubois',
        client_name: 'Boulangerie Soleil',
        details: { detail: 'Hugo Bernard' },
      }),
    ]);
    signInAs(lea);
    expect((await assignAction(idle, formData({ clientId: client.id, userId: lea.id }))).status).toBe('error');
    expect(await actions('assignment_added')).toHaveLength(1);
  });
});

describe('the database keeps the Journal as written', () => {
  it('refuses UPDATE, DELETE and TRUNCATE', async () => {
    for (const statement of [
      sql`UPDATE activity_log SET actor_name = 'Quelqu’un d’autre'`,
      sql`DELETE FROM activity_log`,
      sql`TRUNCATE activity_log`,
    ]) {
      await expect(db.execute(statement)).rejects.toThrow();
    }
    const [count] = await queryRows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM activity_log WHERE actor_name = 'Quelqu’un d’autre'`,
    );
    expect(count!.n).toBe(0);
  });

  it('removes only rows past the retention, through pp_purge_activity()', async () => {
    await db.execute(
      sql`INSERT INTO activity_log (firm_id, actor_kind, action, at) VALUES (${firmId}, 'system', 'login_failed', now() - interval '500 days')`,
    );
    const before = await queryRows<{ n: number }>(sql`SELECT count(*)::int AS n FROM activity_log`);
    expect(await purgeActivity(400)).toBe(1);
    const after = await queryRows<{ n: number }>(sql`SELECT count(*)::int AS n FROM activity_log`);
    expect(after[0]!.n).toBe(before[0]!.n - 1);
    // After the purge, deleting is refused again.
    await expect(db.execute(sql`DELETE FROM activity_log`)).rejects.toThrow();
  });
});

(process.env.DATABASE_URL ? describe : describe.skip)('the application’s database role (PostgreSQL)', () => {
  it('reads and appends to the Journal, and cannot rewrite it even by setting the purge cutoff itself', async () => {
    const [{ name }] = (await queryRows<{ name: string }>(sql`SELECT current_database() AS name`)) as [
      { name: string },
    ];
    const role = `pp_app_${name.slice(-12)}`;
    await db.execute(sql.raw(`CREATE ROLE ${role} LOGIN IN ROLE portail_app`));
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${name}`;
    url.username = role;
    url.password = '';
    const app = postgres(url.toString(), { max: 1, onnotice: () => {} });
    try {
      await app`INSERT INTO activity_log (firm_id, actor_kind, action) VALUES (${firmId}, 'system', 'login_failed')`;
      expect((await app`SELECT count(*)::int AS n FROM activity_log`)[0]!.n).toBeGreaterThan(0);
      await app`INSERT INTO activity_log (firm_id, actor_kind, action, at) VALUES (${firmId}, 'system', 'login_failed', now() - interval '500 days')`;
      // The bypass the attack pass found: the cutoff set by hand, then DELETE. Refused by privilege.
      await expect(
        app.begin(async (tx) => {
          await tx`SELECT set_config('portail.activity_purge_before', '2100-01-01', true)`;
          await tx`DELETE FROM activity_log`;
        }),
      ).rejects.toThrow(/permission denied/);
      await expect(app`UPDATE activity_log SET actor_name = 'x'`).rejects.toThrow(/permission denied/);
      await expect(app`TRUNCATE activity_log`).rejects.toThrow(/permission denied/);
      // The retention purge, through its SECURITY DEFINER function, still removes what is past it.
      expect((await app`SELECT pp_purge_activity(400) AS removed`)[0]!.removed).toBe(1);
      // Everything else the app does stays open to it.
      await app`UPDATE clients SET balance_cents = balance_cents WHERE firm_id = ${firmId}`;
    } finally {
      await app.end();
      await db.execute(sql.raw(`DROP ROLE ${role}`));
    }
  });
});

describe('the Journal page', () => {
  beforeAll(async () => {
    // 130 rows over three days, two actors, two actions, for keyset pages and filters.
    for (let i = 0; i < 130; i += 1) {
      await db.execute(sql`INSERT INTO activity_log (firm_id, actor_kind, actor_id, actor_name, action, client_id, client_name, at)
        VALUES (${firmId}, 'user', ${i % 2 ? admin.id : lea.id}, ${i % 2 ? 'Claire Dubois' : 'Léa Martin'},
                ${i % 3 ? 'client_opened' : 'reminder_sent'}, ${client.id}, 'Boulangerie Soleil',
                timestamptz '2026-11-20 12:00:00+01' + make_interval(mins => ${i * 30}))`);
    }
    await recordActivity(db, {
      firmId: stranger.firmId,
      actor: { kind: 'user', id: stranger.id },
      action: 'client_opened',
      client: foreignClient,
    });
  });

  it('pages by keyset, newest first, without a gap or a repeat', async () => {
    const seen: string[] = [];
    let params = parseJournalParams({ du: '2026-11-20', au: '2026-11-23' });
    for (;;) {
      const page = await listActivity(firmId, params);
      seen.push(...page.rows.map((r) => r.id));
      const times = page.rows.map((r) => r.at.getTime());
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      if (!page.next) break;
      params = { ...params, before: page.next };
    }
    expect(seen).toHaveLength(130);
    expect(new Set(seen).size).toBe(130);
  });

  it('filters by member, action, client and Paris days, within the firm only', async () => {
    const count = async (search: Record<string, string>) => {
      let total = 0;
      let params = parseJournalParams(search);
      for (;;) {
        const page = await listActivity(firmId, params);
        total += page.rows.length;
        if (!page.next) return total;
        params = { ...params, before: page.next };
      }
    };
    expect(await count({ membre: lea.id, du: '2026-11-20', au: '2026-11-23' })).toBe(65);
    expect(await count({ action: 'reminder_sent', du: '2026-11-20', au: '2026-11-23' })).toBe(44);
    // 20 Nov from 12:00 Paris, every 30 min: 24 rows that day.
    expect(await count({ du: '2026-11-20', au: '2026-11-20' })).toBe(24);
    // Another firm's client, member or rows: nothing.
    expect(await count({ client: foreignClient.id })).toBe(0);
    expect(await count({ membre: stranger.id })).toBe(0);
    expect((await listActivity(firmId, parseJournalParams({}), 500)).rows.map((r) => r.clientName)).not.toContain(
      'Client Secret',
    );
  });

  it('is an admin’s page: an accountant gets a 404, a malformed URL the whole Journal', async () => {
    signInAs(lea);
    expect(await nextSignal(JournalPage({ searchParams: Promise.resolve({}) }))).toMatch(/404/);
    signInAs(admin);
    const html = renderPage(
      await JournalPage({
        searchParams: Promise.resolve({ membre: 'x', avant: 'nope', du: '2026-13-45', action: '__proto__' }),
      }),
    );
    expect(html).toContain('Journal d’activité');
    expect(html).toContain('Boulangerie Soleil');
    expect(html).not.toContain('Client Secret');
  });

  it.each([
    ['a 30th of February', { du: '2026-02-30' }],
    ['year 0000', { au: '0000-01-01' }],
    ['a cursor in year 0000', { avant: '0000-01-01T00:00:00.000Z_00000000-0000-4000-8000-000000000000' }],
    ['a cursor on the 31st of April', { avant: '2026-04-31T10:00:00.000Z_00000000-0000-4000-8000-000000000000' }],
  ])(
    '%s: the page says which filter it ignored and shows the rows without it; the CSV is a 400 before any byte',
    async (_label, search) => {
      signInAs(admin);
      const html = renderPage(await JournalPage({ searchParams: Promise.resolve(search) }));
      expect(html).toContain('Filtre non compris, donc non appliqué');
      expect(html).toContain('Boulangerie Soleil');
      const query = new URLSearchParams(search as Record<string, string>).toString();
      const csv = await exportJournal(new Request(`http://localhost/journal/export?${query}`));
      expect(csv.status).toBe(400);
      expect(await csv.text()).toMatch(/^Filtre non compris/);
    },
  );

  it('exports the filtered rows as a French CSV; accountants get a 404', async () => {
    signInAs(lea);
    expect((await exportJournal(new Request('http://localhost/journal/export'))).status).toBe(404);
    signInAs(admin);
    const response = await exportJournal(
      new Request(`http://localhost/journal/export?membre=${lea.id}&du=2026-11-20&au=2026-11-23`),
    );
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM Excel needs
    const text = bytes.subarray(3).toString('utf8');
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toBe('Date;Qui;Action;Client;Détails');
    expect(lines).toHaveLength(66);
    expect(lines.slice(1).every((line) => line.includes(';Léa Martin;'))).toBe(true);
    expect(text).not.toContain('Client Secret');
  });
});
