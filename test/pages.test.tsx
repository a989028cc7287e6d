import { renderPage } from './render';
import { NextRequest } from 'next/server';
import { signInAs, nextSignal } from './session';
import ClientsPage from '@/app/(app)/clients/(list)/page';
import ClientWorkspacePage from '@/app/(app)/clients/[clientId]/page';
import ClientDetailsPage from '@/app/(app)/clients/[clientId]/details/page';
import { GET as openClient } from '@/app/(app)/clients/ouvrir/route';
import { GET as searchClients } from '@/app/(app)/clients/recherche/route';
import NotifyAccountantsPage from '@/app/(app)/clients/[clientId]/notifier/page';
import RequestReceiptsPage from '@/app/(app)/clients/[clientId]/demander-recus/page';
import { rowMenuItems } from '@/components/client-table';
import { clientTableLabels } from '@/components/client-table-labels';
import { firms, type ClientStatus } from '@/db/schema';
import { sql } from 'drizzle-orm';
import { queryRows } from '@/db';
import { withTestDatabase } from './db';
import { fr } from './i18n';
import { addExpenses, createClient, createFirm, createUser } from './factories';

const db = withTestDatabase();

type Row = Awaited<ReturnType<typeof createUser>>;
let admin: Row;
let lea: Row;
let hugo: Row;
let retired: Row;
let strangerAdmin: Row;
let leaClient: { id: string };
let hugoClient: { id: string };
let invitation: { id: string };
let foreignClient: { id: string };

beforeAll(async () => {
  const firm = await createFirm('Cabinet Démo');
  admin = await createUser(firm.id, { role: 'admin', name: 'Claire Dubois' });
  lea = await createUser(firm.id, { name: 'Léa Martin' });
  hugo = await createUser(firm.id, { name: 'Hugo Bernard' });
  retired = await createUser(firm.id, { name: 'Paul Ancien', active: false });
  leaClient = await createClient(firm.id, {
    name: 'Boulangerie Léa',
    team: [lea.id, retired.id],
    balanceCents: 123456,
  });
  hugoClient = await createClient(firm.id, { name: 'Garage Hugo', team: [hugo.id] });
  invitation = await createClient(firm.id, { name: 'Invité', status: 'invitation' });
  await addExpenses(leaClient.id, 3, { receipt: 'missing', export: 'ready', spentOn: '2026-10-01' });
  const other = await createFirm('Autre cabinet');
  strangerAdmin = await createUser(other.id, { role: 'admin' });
  foreignClient = await createClient(other.id, { name: 'Client Étranger', team: [strangerAdmin.id] });
});

async function renderClients(search: Record<string, string>) {
  const element = await ClientsPage({ searchParams: Promise.resolve(search) });
  return renderPage(element);
}

describe('the Clients page', () => {
  it('renders the list with French figures', async () => {
    signInAs(admin);
    const html = await renderClients({ tab: 'tous' });
    expect(html).toContain('Boulangerie Léa');
    expect(html).toContain('1\u202f234,56\u00a0€');
    // The server's HTML has one "⋯" link per row, to the details page (the menu itself is built in
    // the browser, see the next test and the browser tests).
    expect(html).toContain(
      `<a href="/clients/${leaClient.id}/details" class="row-menu-button" aria-label="Actions pour Boulangerie Léa">⋯</a>`,
    );
    expect(html).not.toContain('Client Étranger');
    // A deactivated accountant is not listed as working on the client.
    expect(html).not.toContain('Paul Ancien');
  });

  it.each([
    ['a page of -1', { page: '-1' }],
    ['a page of 10^9', { page: '1000000000' }],
    ['a page of "abc"', { page: 'abc' }],
    ['an unknown sort and direction', { sort: 'password', dir: 'up' }],
    ['a 10,000-character search', { q: 'x'.repeat(10_000) }],
    ['a search of wildcards, quotes and emoji', { q: '%_\'"\\🙂' }],
    ['unknown parameters', { tab: 'nimporte', foo: 'bar' }],
  ])('answers %s with a sane default', async (_label, search) => {
    signInAs(admin);
    await expect(renderClients(search)).resolves.toContain('Rechercher des clients');
  });

  it('gives an accountant "Mes clients" when they ask for an admin tab', async () => {
    signInAs(hugo);
    const html = await renderClients({ tab: 'tous' });
    expect(html).toContain('Garage Hugo');
    expect(html).not.toContain('Boulangerie Léa');
    expect(html).not.toContain('>Tous<');
    expect(html).not.toContain('>Invitations<');
  });

  it('sends anonymous and deactivated users to the login page', async () => {
    signInAs(undefined);
    expect(await nextSignal(ClientsPage({ searchParams: Promise.resolve({}) }))).toMatch(
      /^NEXT_REDIRECT;.*\/connexion/,
    );
    signInAs(retired);
    expect(await nextSignal(ClientsPage({ searchParams: Promise.resolve({}) }))).toMatch(
      /^NEXT_REDIRECT;.*\/connexion/,
    );
  });
});

describe('Accéder au client', () => {
  const open = (clientId: string) =>
    ClientWorkspacePage({ params: Promise.resolve({ clientId }), searchParams: Promise.resolve({}) });

  it('opens an assigned client for an accountant, any connected client for an admin', async () => {
    signInAs(lea);
    const html = renderPage(await open(leaClient.id));
    expect(html).toContain('Boulangerie Léa');
    expect(html).toContain('Reçus manquants');
    signInAs(admin);
    expect(renderPage(await open(hugoClient.id))).toContain('Garage Hugo');
  });

  it.each([
    ['an accountant, a client not assigned to them', () => [hugo, leaClient.id] as const],
    ['an admin, another firm’s client', () => [admin, foreignClient.id] as const],
    ['an accountant, another firm’s client', () => [lea, foreignClient.id] as const],
    ['an admin, a client that is only an invitation', () => [admin, invitation.id] as const],
    ['an admin, an unknown id', () => [admin, '00000000-0000-4000-8000-000000000000'] as const],
    ['an admin, a malformed id', () => [admin, "1' OR '1'='1"] as const],
  ])('is a 404 for %s', async (_label, pick) => {
    const [user, clientId] = pick();
    signInAs(user);
    expect(await nextSignal(open(clientId))).toBe('NEXT_HTTP_ERROR_FALLBACK;404');
  });

  it('is a 404 for a client the accountant was unassigned from, a redirect once deactivated', async () => {
    signInAs(retired);
    expect(await nextSignal(open(leaClient.id))).toMatch(/^NEXT_REDIRECT;/);
  });
});

describe('Afficher les détails', () => {
  const details = (clientId: string) => ClientDetailsPage({ params: Promise.resolve({ clientId }) });

  it('shows the status, contact and assigned accountants', async () => {
    signInAs(lea);
    const html = renderPage(await details(leaClient.id));
    expect(html).toContain('Connecté');
    expect(html).toContain('contact@client.test');
    expect(html).toContain('Léa Martin');
  });

  it('lets an admin see an invitation, and nobody see another firm’s client', async () => {
    signInAs(admin);
    expect(renderPage(await details(invitation.id))).toContain('Invitation');
    expect(await nextSignal(details(foreignClient.id))).toBe('NEXT_HTTP_ERROR_FALLBACK;404');
    signInAs(hugo);
    expect(await nextSignal(details(leaClient.id))).toBe('NEXT_HTTP_ERROR_FALLBACK;404');
    expect(await nextSignal(details(invitation.id))).toBe('NEXT_HTTP_ERROR_FALLBACK;404');
  });
});

describe('GET /clients/ouvrir (the client switcher)', () => {
  const request = (id: string) => new NextRequest(`http://localhost/clients/ouvrir?id=${encodeURIComponent(id)}`);

  it('sends an anonymous caller to the login page', async () => {
    signInAs(undefined);
    const response = await openClient(request(leaClient.id));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('http://localhost:3000/connexion');
  });

  it('redirects to a client the user may open, and 404s anything else', async () => {
    signInAs(lea);
    const ok = await openClient(request(leaClient.id));
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe(`http://localhost:3000/clients/${leaClient.id}`);
    expect((await openClient(request(hugoClient.id))).status).toBe(404);
    expect((await openClient(request(foreignClient.id))).status).toBe(404);
    expect((await openClient(request('pas-un-id'))).status).toBe(404);
  });
});

describe('« Tout sélectionner (n) » on the Clients page', () => {
  it('is offered with the list’s exact count when it is longer than the page, and explained past 1,000', async () => {
    const firm = await createFirm();
    const manager = await createUser(firm.id, { role: 'admin' });
    await queryRows(
      sql`INSERT INTO clients (firm_id, name, status) SELECT ${firm.id}::uuid, 'Lot ' || i, 'active' FROM generate_series(1, 1010) AS i`,
    );
    signInAs(manager);
    // « lot 1 » matches Lot 1, Lot 10–19, Lot 100–199 and Lot 1000–1010: 122 clients, 5 pages.
    let html = await renderClients({ tab: 'tous', q: 'lot 1' });
    expect(html).toContain('Tout sélectionner (122)');
    expect(html).toContain('name="expected" value="122"');
    expect(html).toContain('name="scope" value="filter"');
    // The whole firm is past what one action may touch: not offered, and said why.
    html = await renderClients({ tab: 'tous' });
    expect(html).not.toContain('Tout sélectionner');
    expect(html).toContain(fr.t('clients.selectAllTooMany', { max: 1000 }));
    // A search counts its matches exactly, past 1,000 too (the whole list is read to sort it).
    html = await renderClients({ tab: 'tous', q: 'lot' });
    expect(html).toContain('1–25 sur 1\u202f010 clients');
    expect(html).toContain(fr.t('clients.selectAllTooMany', { max: 1000 }));
    // A list that fits on its page needs no « Tout sélectionner ».
    html = await renderClients({ tab: 'tous', q: 'lot 1000' });
    expect(html).not.toContain('Tout sélectionner');
    expect(html).not.toContain(fr.t('clients.selectAllTooMany', { max: 1000 }));
  });
});

describe('the client switcher without JavaScript (GET /clients/ouvrir?q=)', () => {
  const request = (q: string) => new NextRequest(`http://localhost/clients/ouvrir?q=${encodeURIComponent(q)}`);

  it('opens the one client the text names, otherwise shows the Clients page searched for it', async () => {
    signInAs(lea);
    expect((await openClient(request('boulangerie'))).headers.get('location')).toBe(
      `http://localhost:3000/clients/${leaClient.id}`,
    );
    // « Garage Hugo » is not hers and « Client Étranger » another firm's: the list, not the client.
    expect((await openClient(request('garage'))).headers.get('location')).toBe(
      'http://localhost:3000/clients?q=garage',
    );
    expect((await openClient(request('étranger'))).headers.get('location')).toBe(
      'http://localhost:3000/clients?q=%C3%A9tranger',
    );
    signInAs(admin);
    expect((await openClient(request('garage'))).headers.get('location')).toBe(
      `http://localhost:3000/clients/${hugoClient.id}`,
    );
    // Several matches (or none, or no text): the firm's list, searched.
    expect((await openClient(request('a'))).headers.get('location')).toBe('http://localhost:3000/clients?tab=tous&q=a');
    expect((await openClient(request(''))).headers.get('location')).toBe('http://localhost:3000/clients?tab=tous');
    expect((await openClient(request('nul\u0000%'))).status).toBe(303);
  });
});

describe('the client switcher’s search (GET /clients/recherche)', () => {
  const search = async (q: string) => {
    const response = await searchClients(
      new NextRequest(`http://localhost/clients/recherche?q=${encodeURIComponent(q)}`),
    );
    return { status: response.status, cache: response.headers.get('cache-control'), body: await response.json() };
  };

  it('answers an anonymous caller with nothing', async () => {
    signInAs(undefined);
    expect(await search('a')).toEqual({ status: 401, cache: 'private, no-store', body: { error: 'unauthorized' } });
  });

  it('answers nothing to a user who must first set up two-factor login', async () => {
    const strict = await createFirm();
    await db
      .update(firms)
      .set({ requireTwoFactor: true })
      .where(sql`id = ${strict.id}`);
    const pending = await createUser(strict.id, { role: 'admin' });
    await createClient(strict.id, { name: 'Client Protégé' });
    signInAs(pending);
    expect(await search('protégé')).toEqual({
      status: 401,
      cache: 'private, no-store',
      body: { error: 'unauthorized' },
    });
  });

  it('lists only the connected clients the user may open, a few at a time', async () => {
    signInAs(lea);
    expect((await search('')).body).toEqual({ clients: [{ id: leaClient.id, name: 'Boulangerie Léa' }], more: false });
    expect((await search('GARAGE')).body.clients).toEqual([]);
    expect((await search('étranger')).body.clients).toEqual([]);
    signInAs(admin);
    // Accents and case folded; an invitation is not a client one opens.
    expect((await search('lea')).body.clients).toEqual([{ id: leaClient.id, name: 'Boulangerie Léa' }]);
    expect((await search('invité')).body.clients).toEqual([]);
    expect((await search('%')).body.clients).toEqual([]);
    expect((await search('\u0000\u0000')).status).toBe(200);
    const many = await createFirm();
    const manager = await createUser(many.id, { role: 'admin' });
    for (let i = 0; i < 10; i += 1) await createClient(many.id, { name: `Société ${i}` });
    signInAs(manager);
    const first = await search('societe');
    expect(first.body.more).toBe(true);
    expect(first.body.clients.map((c: { name: string }) => c.name)).toEqual(
      ['0', '1', '2', '3', '4', '5', '6', '7'].map((n) => `Société ${n}`),
    );
    expect((await search('société 9')).body).toMatchObject({ clients: [{ name: 'Société 9' }], more: false });
  });
});

describe('Notifier les comptables (page)', () => {
  const page = (clientId: string) => NotifyAccountantsPage({ params: Promise.resolve({ clientId }) });

  it('is in the row menu of connected clients for admins only', () => {
    const labels = (status: ClientStatus, isAdmin: boolean) =>
      rowMenuItems({ id: leaClient.id, status }, isAdmin, clientTableLabels(fr).menu).map((item) => item.label);
    expect(labels('active', true)).toEqual(['Accéder au client', 'Afficher les détails', 'Notifier les comptables']);
    expect(labels('active', false)).toEqual(['Accéder au client', 'Afficher les détails']);
    expect(labels('onboarding', true)).toEqual(['Afficher les détails']);
    expect(
      rowMenuItems({ id: leaClient.id, status: 'active' }, true, clientTableLabels(fr).menu).map((item) => item.href),
    ).toEqual([`/clients/${leaClient.id}`, `/clients/${leaClient.id}/details`, `/clients/${leaClient.id}/notifier`]);
  });

  it('shows the form with the figures and the recipients to an admin', async () => {
    signInAs(admin);
    const html = renderPage(await page(leaClient.id));
    expect(html).toContain('Reçus manquants');
    expect(html).toContain('Dépenses prêtes à être exportées');
    expect(html).toContain('Solde du compte');
    expect(html).toContain('Envoyer un e-mail');
    expect(html).toContain('Léa Martin');
    expect(html).not.toContain('Paul Ancien');
  });

  it('tells the admin when nobody is assigned, with a way to assign', async () => {
    signInAs(admin);
    expect(renderPage(await page(hugoClient.id))).toContain('Hugo Bernard');
    const firm = await createFirm();
    const boss = await createUser(firm.id, { role: 'admin' });
    const alone = await createClient(firm.id, { name: 'Seul' });
    signInAs(boss);
    expect(renderPage(await page(alone.id))).toContain('Aucun comptable n’est attribué à ce client.');
  });

  it('is a 404 for an accountant, and for another firm’s client', async () => {
    signInAs(lea);
    expect(await nextSignal(page(leaClient.id))).toBe('NEXT_HTTP_ERROR_FALLBACK;404');
    signInAs(admin);
    expect(await nextSignal(page(foreignClient.id))).toBe('NEXT_HTTP_ERROR_FALLBACK;404');
  });
});

describe('the Clients page, small things', () => {
  it('words the order after the key, and leads an admin with no client of their own to the firm’s list', async () => {
    signInAs(admin);
    const byBalance = await renderClients({ tab: 'tous', sort: 'balance' });
    expect(byBalance).toContain('Du plus grand au plus petit');
    expect(byBalance).not.toContain('Décroissant (Z → A)');
    expect(await renderClients({ tab: 'tous' })).toContain('Décroissant (Z → A)');
    const mine = await renderClients({});
    expect(mine).toContain('Aucun client ne vous est attribué');
    expect(mine).toContain('href="/clients?tab=tous"');
    expect(mine).toContain('Voir tous les clients du cabinet');
  });
});

describe('« Demander tous les reçus manquants »', () => {
  it('plans every missing receipt of the client, for those who may open it only', async () => {
    const page = async (clientId: string, search: Record<string, string>) =>
      RequestReceiptsPage({ params: Promise.resolve({ clientId }), searchParams: Promise.resolve(search) });
    signInAs(lea);
    const workspace = renderPage(
      await ClientWorkspacePage({
        params: Promise.resolve({ clientId: leaClient.id }),
        searchParams: Promise.resolve({ vue: 'missing' }),
      }),
    );
    expect(workspace).toContain('Demander tous les reçus manquants (3)');
    const html = renderPage(await page(leaClient.id, { tous: '1' }));
    // The three missing receipts, to the client's contact (no card holder given).
    expect(html.match(/Fournisseur test/g)).toHaveLength(3);
    expect(html).toContain('contact@client.test');
    signInAs(hugo);
    expect(await nextSignal(page(leaClient.id, { tous: '1' }))).toBe('NEXT_HTTP_ERROR_FALLBACK;404');
  });
});
