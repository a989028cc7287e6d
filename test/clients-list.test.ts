import { sql } from 'drizzle-orm';
import { notificationSubscriptions } from '@/db/schema';
import { COUNT_CAP, listClients, listTabs, listVisibleTabs } from '@/lib/clients/queries';
import { parseClientListParams, PAGE_SIZE, type ClientListParams } from '@/lib/clients/schemas';
import { withTestDatabase } from './db';
import { addExpenses, createClient, createFirm, createUser, viewer } from './factories';

const db = withTestDatabase();

function params(change: Partial<ClientListParams> = {}): ClientListParams {
  return { ...parseClientListParams({}), ...change };
}

async function names(v: ReturnType<typeof viewer>, change: Partial<ClientListParams> = {}) {
  return (await listClients(v, params(change))).rows.map((row) => row.name);
}

describe('Clients page tabs', () => {
  let firm: { id: string };
  let admin: ReturnType<typeof viewer>;
  let lea: ReturnType<typeof viewer>;
  let hugo: ReturnType<typeof viewer>;

  beforeAll(async () => {
    firm = await createFirm();
    admin = viewer(await createUser(firm.id, { role: 'admin' }));
    lea = viewer(await createUser(firm.id));
    hugo = viewer(await createUser(firm.id));
    await createClient(firm.id, { name: 'Invité Un', status: 'invitation' });
    await createClient(firm.id, {
      name: 'Intégration Léa',
      status: 'onboarding',
      verification: 'directors',
      team: [lea.id],
    });
    await createClient(firm.id, { name: 'Intégration Libre', status: 'onboarding', verification: 'in_review' });
    await createClient(firm.id, { name: 'Connecté Léa', team: [lea.id] });
    await createClient(firm.id, { name: 'Connecté Hugo', team: [hugo.id] });
    await createClient(firm.id, { name: 'Connecté Duo', team: [lea.id, hugo.id, admin.id] });
    await createClient(firm.id, { name: 'Connecté Personne' });
    await createClient(firm.id, { name: 'Refusé', status: 'declined' });
    // Another firm whose clients must never show.
    const other = await createFirm();
    const stranger = await createUser(other.id, { role: 'admin' });
    await createClient(other.id, { name: 'Connecté Ailleurs', team: [stranger.id] });
    await createClient(other.id, { name: 'Invité Ailleurs', status: 'invitation' });
  });

  it('shows an admin the four tabs, each with its clients of the firm only', async () => {
    expect(await listVisibleTabs(admin)).toEqual(['invitations', 'integration', 'mes-clients', 'tous']);
    expect(await names(admin, { tab: 'invitations' })).toEqual(['Invité Un']);
    expect(await names(admin, { tab: 'integration' })).toEqual(['Intégration Léa', 'Intégration Libre']);
    expect(await names(admin, { tab: 'mes-clients' })).toEqual(['Connecté Duo']);
    expect(await names(admin, { tab: 'tous' })).toEqual([
      'Connecté Duo',
      'Connecté Hugo',
      'Connecté Léa',
      'Connecté Personne',
    ]);
  });

  it('counts each tab the way its list does, in one statement', async () => {
    for (const v of [admin, lea, hugo]) {
      const tabs = await listTabs(v);
      for (const { tab, count, capped } of tabs) {
        const list = await listClients(v, params({ tab }));
        expect([tab, count, capped]).toEqual([tab, list.total, false]);
      }
    }
    expect((await listTabs(lea)).map((t) => [t.tab, t.count])).toEqual([
      ['integration', 1],
      ['mes-clients', 2],
    ]);
  });

  it('counts, in the page’s own statement, only what the viewer may see', async () => {
    // The other firm's « Connecté Ailleurs » and « Invité Ailleurs » are never counted.
    expect((await listClients(admin, params({ tab: 'tous' }))).total).toBe(4);
    expect((await listClients(admin, params({ tab: 'invitations' }))).total).toBe(1);
    expect((await listClients(admin, params({ tab: 'tous', q: 'ailleurs' }))).total).toBe(0);
    // An accountant: her own clients, and nothing from the firm-wide tabs whatever the URL says.
    expect((await listClients(lea, params({ tab: 'mes-clients' }))).total).toBe(2);
    expect(await listClients(lea, params({ tab: 'tous' }))).toMatchObject({ total: 0, rows: [] });
    expect(await listClients(hugo, params({ tab: 'invitations' }))).toMatchObject({ total: 0, rows: [] });
    // The same rights through a page past the end (counted again, exactly).
    expect(await listClients(lea, params({ tab: 'mes-clients', page: 9 }))).toMatchObject({ page: 1, total: 2 });
  });

  it('counts an accountant’s lists from her clients as they change: « Reçus manquants », status', async () => {
    const own = await createFirm();
    const boss = viewer(await createUser(own.id, { role: 'admin' }));
    const nina = viewer(await createUser(own.id));
    const late = await createClient(own.id, { name: 'Retard Nina', team: [nina.id] });
    await createClient(own.id, { name: 'Calme Nina', team: [nina.id] });
    const joining = await createClient(own.id, { name: 'Arrivée Nina', status: 'onboarding', team: [nina.id] });
    const elsewhere = await createClient(own.id, { name: 'Retard Libre' });
    await addExpenses(elsewhere.id, 1, { receipt: 'missing' });
    const missing = params({ tab: 'mes-clients', missingOnly: true });
    const count = async (v: ReturnType<typeof viewer>, change: Partial<ClientListParams>) =>
      (await listClients(v, params(change))).total;

    expect(await listClients(nina, missing)).toMatchObject({ total: 0, rows: [] });
    const [expense] = await addExpenses(late.id, 2, { receipt: 'missing' });
    expect(await listClients(nina, missing)).toMatchObject({ total: 1, rows: [{ name: 'Retard Nina' }] });
    expect(await listTabs(nina)).toEqual([
      { tab: 'integration', count: 1, capped: false },
      { tab: 'mes-clients', count: 2, capped: false },
    ]);
    // One receipt of two: still missing; both: no longer.
    await db.execute(sql`UPDATE expenses SET receipt_state = 'attached' WHERE id = ${expense!.id}`);
    expect(await count(nina, missing)).toBe(1);
    await db.execute(sql`UPDATE expenses SET receipt_state = 'attached' WHERE client_id = ${late.id}`);
    expect(await listClients(nina, missing)).toMatchObject({ total: 0, rows: [] });
    // The onboarding client connects: it leaves Intégration for Mes clients.
    await db.execute(sql`UPDATE clients SET status = 'active' WHERE id = ${joining.id}`);
    expect(await listTabs(nina)).toEqual([{ tab: 'mes-clients', count: 3, capped: false }]);
    expect(await count(nina, { tab: 'integration' })).toBe(0);
    // The admin's own « Mes clients » holds none of them; « Tous » has the unassigned one missing.
    expect(await count(boss, { tab: 'mes-clients', missingOnly: true })).toBe(0);
    expect(await count(boss, { tab: 'tous', missingOnly: true })).toBe(1);
  });

  it('shows an accountant only their clients, and Intégration only when one of theirs is onboarding', async () => {
    expect(await listVisibleTabs(lea)).toEqual(['integration', 'mes-clients']);
    expect(await names(lea, { tab: 'integration' })).toEqual(['Intégration Léa']);
    expect(await names(lea, { tab: 'mes-clients' })).toEqual(['Connecté Duo', 'Connecté Léa']);
    expect(await listVisibleTabs(hugo)).toEqual(['mes-clients']);
    expect(await names(hugo)).toEqual(['Connecté Duo', 'Connecté Hugo']);
  });

  it('never lets an accountant list the firm-wide tabs, even by asking for them', async () => {
    // The query itself restricts an accountant to their own clients …
    expect(await names(hugo, { tab: 'integration' })).toEqual([]);
    expect(await names(hugo, { tab: 'tous' })).toEqual([]);
    expect(await names(lea, { tab: 'invitations' })).toEqual([]);
    // … and the page falls back to "Mes clients" for tabs the role does not have.
    expect(await listVisibleTabs(hugo)).not.toContain('tous');
    expect(await listVisibleTabs(hugo)).not.toContain('invitations');
  });

  it('hides Invitations and Intégration for an admin whose firm has none, but always shows Mes clients', async () => {
    const quiet = await createFirm();
    const boss = viewer(await createUser(quiet.id, { role: 'admin' }));
    expect(await listVisibleTabs(boss)).toEqual(['mes-clients']);
    await createClient(quiet.id, { name: 'Seul client' });
    expect(await listVisibleTabs(boss)).toEqual(['mes-clients', 'tous']);
    expect(await names(boss)).toEqual([]);
  });

  it('lists the active assigned accountants of each row', async () => {
    const page = await listClients(admin, params({ tab: 'tous' }));
    const duo = page.rows.find((row) => row.name === 'Connecté Duo')!;
    expect(duo.accountants.map((a) => a.id).sort()).toEqual([lea.id, hugo.id, admin.id].sort());
    expect(page.rows.find((row) => row.name === 'Connecté Personne')!.accountants).toEqual([]);
  });
});

describe('Rechercher des clients', () => {
  let admin: ReturnType<typeof viewer>;
  const all = [
    'Société Générale',
    'SOCIETE DU PORT',
    "L'Œuvre d'Art",
    '100% Bio',
    'Taux_Zéro',
    'Crème 🍰 Glacée',
    'Back\\Slash',
  ];

  beforeAll(async () => {
    const firm = await createFirm();
    admin = viewer(await createUser(firm.id, { role: 'admin' }));
    for (const name of all) await createClient(firm.id, { name });
  });

  const search = (q: string) => names(admin, { tab: 'tous', q });

  it('ignores case and accents, both ways', async () => {
    expect(await search('societe')).toEqual(['SOCIETE DU PORT', 'Société Générale']);
    expect(await search('SOCIÉTÉ')).toEqual(['SOCIETE DU PORT', 'Société Générale']);
    expect(await search('générale')).toEqual(['Société Générale']);
    expect(await search('oeuvre')).toEqual(["L'Œuvre d'Art"]);
    expect(await search('creme')).toEqual(['Crème 🍰 Glacée']);
  });

  it('takes %, _, backslashes, quotes and emoji literally', async () => {
    expect(await search('%')).toEqual(['100% Bio']);
    expect(await search('_')).toEqual(['Taux_Zéro']);
    expect(await search('\\')).toEqual(['Back\\Slash']);
    expect(await search("l'oeuvre")).toEqual(["L'Œuvre d'Art"]);
    expect(await search('l’œuvre')).toEqual(["L'Œuvre d'Art"]);
    expect(await search('🍰')).toEqual(['Crème 🍰 Glacée']);
    expect(await search("'; DROP TABLE clients; --")).toEqual([]);
    expect((await search('')).length).toBe(all.length);
  });

  it('cuts a 10,000-character search to a harmless length', async () => {
    const parsed = parseClientListParams({ tab: 'tous', q: 'é'.repeat(10_000) });
    expect(parsed.q.length).toBeLessThanOrEqual(100);
    expect((await listClients(admin, parsed)).rows).toEqual([]);
  });
});

describe('filter, sorts and pages', () => {
  let admin: ReturnType<typeof viewer>;

  beforeAll(async () => {
    const firm = await createFirm();
    admin = viewer(await createUser(firm.id, { role: 'admin' }));
    const specs = [
      { name: 'Delta', missing: 2, ready: 0, balance: 500 },
      { name: 'alpha', missing: 0, ready: 3, balance: -100 },
      { name: 'Écho', missing: 2, ready: 1, balance: 0 },
      { name: 'Bravo', missing: 5, ready: 3, balance: 500 },
      { name: 'Charlie', missing: 0, ready: 0, balance: 9_999_999_999 },
    ];
    for (const spec of specs) {
      const client = await createClient(firm.id, { name: spec.name, balanceCents: spec.balance });
      await addExpenses(client.id, spec.missing, { receipt: 'missing', export: 'exported' });
      await addExpenses(client.id, spec.ready, { receipt: 'attached', export: 'ready' });
    }
  });

  const list = (change: Partial<ClientListParams>) => names(admin, { tab: 'tous', ...change });

  it('filters on missing receipts', async () => {
    expect(await list({ missingOnly: true })).toEqual(['Bravo', 'Delta', 'Écho']);
    const rows = (await listClients(admin, params({ tab: 'tous', missingOnly: true }))).rows;
    expect(rows.every((row) => row.missingReceipts > 0)).toBe(true);
  });

  it('sorts by name A→Z and Z→A, accents and case aside', async () => {
    expect(await list({ sort: 'name', dir: 'asc' })).toEqual(['alpha', 'Bravo', 'Charlie', 'Delta', 'Écho']);
    expect(await list({ sort: 'name', dir: 'desc' })).toEqual(['Écho', 'Delta', 'Charlie', 'Bravo', 'alpha']);
  });

  it('sorts by missing receipts, expenses to export and balance both ways, ties by name', async () => {
    expect(await list({ sort: 'missing', dir: 'desc' })).toEqual(['Bravo', 'Delta', 'Écho', 'alpha', 'Charlie']);
    expect(await list({ sort: 'missing', dir: 'asc' })).toEqual(['alpha', 'Charlie', 'Delta', 'Écho', 'Bravo']);
    expect(await list({ sort: 'ready', dir: 'desc' })).toEqual(['alpha', 'Bravo', 'Écho', 'Charlie', 'Delta']);
    expect(await list({ sort: 'ready', dir: 'asc' })).toEqual(['Charlie', 'Delta', 'Écho', 'alpha', 'Bravo']);
    expect(await list({ sort: 'balance', dir: 'desc' })).toEqual(['Charlie', 'Bravo', 'Delta', 'Écho', 'alpha']);
    expect(await list({ sort: 'balance', dir: 'asc' })).toEqual(['alpha', 'Écho', 'Bravo', 'Delta', 'Charlie']);
  });

  it('combines search, filter and sort', async () => {
    expect(await list({ q: 'e', missingOnly: true, sort: 'missing', dir: 'desc' })).toEqual(['Delta', 'Écho']);
  });
});

describe('pagination', () => {
  let admin: ReturnType<typeof viewer>;
  const total = PAGE_SIZE * 2 + 3;

  beforeAll(async () => {
    const firm = await createFirm();
    admin = viewer(await createUser(firm.id, { role: 'admin' }));
    for (let i = 0; i < total; i += 1) {
      // Every client ties on missing receipts: only the name and id keep the order stable.
      await createClient(firm.id, { name: `Client ${String(i).padStart(3, '0')}` });
    }
  });

  it('pages through every client once, in a stable order, whatever the sort', async () => {
    for (const sort of ['name', 'missing', 'ready', 'balance'] as const) {
      for (const dir of ['asc', 'desc'] as const) {
        const seen: string[] = [];
        for (let page = 1; page <= 3; page += 1) {
          const result = await listClients(admin, params({ tab: 'tous', sort, dir, page }));
          expect(result.total).toBe(total);
          expect(result.pageCount).toBe(3);
          seen.push(...result.rows.map((row) => row.id));
        }
        expect(seen).toHaveLength(total);
        expect(new Set(seen).size).toBe(total);
      }
    }
  });

  it('shows the exact edges: a full first page, three rows on the last', async () => {
    expect((await listClients(admin, params({ tab: 'tous', page: 1 }))).rows).toHaveLength(PAGE_SIZE);
    const last = await listClients(admin, params({ tab: 'tous', page: 3 }));
    expect(last.rows.map((row) => row.name)).toEqual(
      [0, 1, 2].map((i) => `Client ${String(PAGE_SIZE * 2 + i).padStart(3, '0')}`),
    );
  });

  it('stops counting past the cap, and still pages forward', async () => {
    const big = await createFirm();
    const boss = viewer(await createUser(big.id, { role: 'admin' }));
    await db.execute(
      sql`INSERT INTO clients (firm_id, name, status) SELECT ${big.id}::uuid, 'Client ' || lpad(i::text, 4, '0'), 'active' FROM generate_series(1, ${COUNT_CAP + 30}::int) AS i`,
    );
    const first = await listClients(boss, params({ tab: 'tous' }));
    expect(first).toMatchObject({ total: COUNT_CAP + 1, totalIsExact: false, pageCount: undefined, hasNext: true });
    // The tab says « Tous (1 000+) », counted no further.
    expect((await listTabs(boss)).find((t) => t.tab === 'tous')).toEqual({
      tab: 'tous',
      count: COUNT_CAP,
      capped: true,
    });
    const lastPage = Math.ceil((COUNT_CAP + 30) / PAGE_SIZE);
    const last = await listClients(boss, params({ tab: 'tous', page: lastPage }));
    expect(last.rows.at(-1)!.name).toBe(`Client ${COUNT_CAP + 30}`);
    expect(last.hasNext).toBe(false);
    // Past the end: the exact count places the user on the real last page.
    const past = await listClients(boss, params({ tab: 'tous', page: lastPage + 50 }));
    expect(past).toMatchObject({ page: lastPage, total: COUNT_CAP + 30, totalIsExact: true });
  });

  it('answers a page past the end with the last page', async () => {
    const far = await listClients(admin, parseClientListParams({ tab: 'tous', page: '99999' }));
    expect(far.page).toBe(3);
    expect(far.rows).toHaveLength(3);
  });
});

// The list's statements are built once per shape (role, tab, filter, search or not, sort) and run
// with the viewer's ids, the search and the page as parameters: one built for one viewer must
// answer another with the other's clients only, whatever order they come in.
describe('statements prepared once per shape', () => {
  type V = ReturnType<typeof viewer>;
  const firms: { admin: V; accountant: V; stranger: V; prefix: string }[] = [];

  beforeAll(async () => {
    for (const prefix of ['Alpha', 'Bêta']) {
      const firm = await createFirm();
      const admin = viewer(await createUser(firm.id, { role: 'admin' }));
      const accountant = viewer(await createUser(firm.id));
      const stranger = viewer(await createUser(firm.id));
      await createClient(firm.id, { name: `${prefix} Commun Un`, team: [accountant.id] });
      await createClient(firm.id, { name: `${prefix} Commun Deux`, team: [stranger.id] });
      const missing = await createClient(firm.id, { name: `${prefix} Commun Reçus`, team: [accountant.id] });
      await addExpenses(missing.id, 2, { receipt: 'missing' });
      await createClient(firm.id, { name: `${prefix} Invité`, status: 'invitation' });
      firms.push({ admin, accountant, stranger, prefix });
    }
  });

  it('gives each viewer of the same shape their own clients, with the same search', async () => {
    const shapes: Partial<ClientListParams>[] = [
      { tab: 'tous' },
      { tab: 'tous', q: 'commun' },
      { tab: 'tous', q: 'commun', missingOnly: true, sort: 'missing', dir: 'desc' },
      { tab: 'mes-clients' },
      { tab: 'mes-clients', q: 'commun' },
      { tab: 'invitations' },
    ];
    for (const shape of shapes) {
      for (const { admin, accountant, prefix } of [...firms, ...[...firms].reverse()]) {
        const all = await names(admin, shape);
        if (shape.tab !== 'mes-clients') expect(all.length).toBeGreaterThan(0);
        expect(all.every((name) => name.startsWith(prefix))).toBe(true);
        const mine = await names(accountant, shape);
        expect(mine.every((name) => name.startsWith(prefix) && !name.includes('Deux'))).toBe(true);
      }
    }
    const [alpha, beta] = firms as [(typeof firms)[0], (typeof firms)[0]];
    expect(await names(alpha.accountant, { tab: 'mes-clients', q: 'commun' })).toEqual([
      'Alpha Commun Reçus',
      'Alpha Commun Un',
    ]);
    expect(await names(beta.stranger, { tab: 'mes-clients', q: 'commun' })).toEqual(['Bêta Commun Deux']);
    // An accountant asking for a firm-wide tab still gets nothing, after an admin's statement of it.
    expect(await names(beta.admin, { tab: 'tous' })).toHaveLength(3);
    expect(await names(beta.accountant, { tab: 'tous' })).toEqual([]);
  });

  it('counts the tabs of each viewer in their own firm', async () => {
    const [alpha, beta] = firms as [(typeof firms)[0], (typeof firms)[0]];
    for (let round = 0; round < 2; round += 1) {
      expect(await listTabs(alpha.admin)).toEqual([
        { tab: 'invitations', count: 1, capped: false },
        { tab: 'mes-clients', count: 0, capped: false },
        { tab: 'tous', count: 3, capped: false },
      ]);
      expect(await listTabs(beta.stranger)).toEqual([{ tab: 'mes-clients', count: 1, capped: false }]);
      expect(await listTabs(beta.accountant)).toEqual([{ tab: 'mes-clients', count: 2, capped: false }]);
    }
  });

  it('shows the bell of the viewer who follows, not of another', async () => {
    const [alpha] = firms as [(typeof firms)[0]];
    const [row] = (await listClients(alpha.accountant, params({ q: 'alpha commun un' }))).rows;
    await db.insert(notificationSubscriptions).values({
      firmId: alpha.accountant.firmId,
      userId: alpha.accountant.id,
      clientId: row!.id,
      enabled: true,
      frequency: 'daily',
      firstSlotAt: new Date(),
    });
    const followed = async (v: V) =>
      (await listClients(v, params({ tab: 'tous', q: 'alpha commun un' }))).rows.map((r) => r.followed);
    expect(await followed(alpha.admin)).toEqual([null]);
    expect((await listClients(alpha.accountant, params({ q: 'alpha commun un' }))).rows[0]!.followed).toBe('daily');
  });
});

describe('the Clients page and the month’s close', () => {
  it('shows « TVA à risque » (sortable) and « Échéance », and filters « En retard »', async () => {
    const firm = await createFirm();
    const admin = viewer(await createUser(firm.id, { role: 'admin' }));
    const a = await createClient(firm.id, { name: 'Alpha Clôture' });
    const b = await createClient(firm.id, { name: 'Bravo Clôture' });
    await createClient(firm.id, { name: 'Charlie Clôture' });
    // 120 € and 60 € without receipt, not coded: 20 € and 10 € of VAT at risk (20 %).
    await addExpenses(a.id, 1, { receipt: 'missing', amountCents: 12_000 });
    await addExpenses(b.id, 1, { receipt: 'missing', amountCents: 6_000 });
    const rows = (await listClients(admin, params({ tab: 'tous', sort: 'vat', dir: 'desc' }))).rows;
    expect(rows.map((r) => [r.name, r.vatAtRiskCents])).toEqual([
      ['Alpha Clôture', 2000],
      ['Bravo Clôture', 1000],
      ['Charlie Clôture', 0],
    ]);
    // Every client has its month to close's close date.
    expect(rows.every((r) => /^\d{4}-\d{2}-\d{2}$/.test(r.closeOn ?? ''))).toBe(true);
    // « En retard »: a close date in the past, not closed.
    const month = rows[0]!.closeOn!;
    await db.execute(sql`UPDATE client_months SET close_on = DATE '2000-01-03'
      WHERE client_id = ${b.id} AND close_on = ${month}::date`);
    expect(await names(admin, { tab: 'tous', lateOnly: true })).toEqual(['Bravo Clôture']);
    // Counted the same on « Mes clients » (not from the assignments, which know nothing of it).
    const accountant = viewer(await createUser(firm.id));
    await db.execute(sql`INSERT INTO assignments (firm_id, client_id, user_id)
      SELECT firm_id, id, ${accountant.id}::uuid FROM clients WHERE firm_id = ${firm.id}`);
    expect(await listClients(accountant, params({ tab: 'mes-clients', lateOnly: true }))).toMatchObject({
      total: 1,
      rows: [expect.objectContaining({ name: 'Bravo Clôture' })],
    });
    await db.execute(
      sql`UPDATE client_months SET closed_at = now() WHERE client_id = ${b.id} AND close_on = DATE '2000-01-03'`,
    );
    expect(await names(admin, { tab: 'tous', lateOnly: true })).toEqual([]);
  });
});

describe('« Échéance » on the Clients page', () => {
  it('sorts by the month to close’s close date, soonest or latest first, closed months last, following closes, reopenings and regimes', async () => {
    const { closeMonth, reopenMonth } = await import('@/lib/close/board');
    const { monthToClose, setVatRegime } = await import('@/lib/close/deadlines');
    const { markVisible } = await import('@/lib/access/visibility');
    const firm = await createFirm();
    const admin = viewer(await createUser(firm.id, { role: 'admin' }));
    const made = [];
    // Monthly returns on the 24th, the 15th and the 19th: three close dates.
    for (const [name, day] of [
      ['Écho Échéance', 24],
      ['Delta Échéance', 15],
      ['Fox Échéance', 19],
    ] as const) {
      const client = await createClient(firm.id, { name });
      await db.execute(sql`UPDATE clients SET vat_due_day = ${day} WHERE id = ${client.id}`);
      made.push(markVisible(client));
    }
    const [echo, delta] = made;
    const sorted = async (dir: 'asc' | 'desc') =>
      (await listClients(admin, params({ tab: 'tous', sort: 'echeance', dir }))).rows.map((r) => [r.name, r.closeOn]);
    const asc = await sorted('asc');
    expect(asc.map(([name]) => name)).toEqual(['Delta Échéance', 'Fox Échéance', 'Écho Échéance']);
    expect(asc.every(([, on]) => /^\d{4}-\d{2}-\d{2}$/.test(on ?? ''))).toBe(true);
    expect((await sorted('desc')).map(([name]) => name)).toEqual(['Écho Échéance', 'Fox Échéance', 'Delta Échéance']);
    // The URL's `sort=echeance` is read back (and an unknown sort falls back to the name).
    expect(parseClientListParams({ sort: 'echeance', dir: 'desc' })).toMatchObject({ sort: 'echeance', dir: 'desc' });

    // Delta's month closed (nothing blocks it: no expense): no date, last whichever the order.
    const month = monthToClose(new Date());
    expect(await closeMonth(admin, delta!, month, '')).toBe('closed');
    expect(await sorted('asc')).toEqual([
      ['Fox Échéance', asc[1]![1]],
      ['Écho Échéance', asc[2]![1]],
      ['Delta Échéance', null],
    ]);
    expect((await sorted('desc')).map(([name]) => name)).toEqual(['Écho Échéance', 'Fox Échéance', 'Delta Échéance']);
    expect(await reopenMonth(admin, delta!, month, 'Relevé manquant')).toBe('reopened');
    expect((await sorted('asc'))[0]).toEqual(['Delta Échéance', asc[0]![1]]);

    // Écho moves to returns on the 15th: its date is computed again, and the order follows.
    await setVatRegime(admin, echo!, { regime: 'mensuel', dueDay: 15, siren: '' });
    const after = await sorted('asc');
    expect(after.map(([name]) => name)).toEqual(['Delta Échéance', 'Écho Échéance', 'Fox Échéance']);
    expect(after[1]![1]).toBe(asc[0]![1]);

    // The month to close moves on (here: the firm's copy says another month): every copy is redone.
    await db.execute(sql`UPDATE firms SET close_month = DATE '2000-01-01' WHERE id = ${firm.id}`);
    await db.execute(sql`UPDATE clients SET close_on = NULL WHERE firm_id = ${firm.id}`);
    expect(await sorted('asc')).toEqual(after);
  });
});
