// The article's steps, in its own words, in Debian's Chromium against `next start`.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import DigestEmail from '../emails/digest';
import { renderHtml } from '../lib/server/mail/render';
import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { DEMO_CODING_CLIENT, DEMO_TOTP_SECRET } from '../db/seed';
import { validateFec } from '../scripts/fec-validate';
import { codeAt } from '../lib/two-factor/totp';
import {
  pageProblems,
  watchPage,
  BASE,
  PASSWORD,
  expectAccessible,
  listReady,
  login,
  newPage,
  rowMenu,
  screenshot,
  startWorld,
  type World,
} from './harness';

let world: World;
before(async () => {
  world = await startWorld();
});
after(async () => {
  await world?.stop();
});

/** The tabs' names, without their counts (« Tous (34) » → « Tous »). */
const tabNamesIn = async (page: Page, label: string) =>
  (await page.getByRole('navigation', { name: label }).getByRole('link').allTextContents()).map((t) =>
    t.replace(/\s*\([\d\s\u202f\u00a0,+]+\)$/, '').trim(),
  );
const tabCounts = async (page: Page) =>
  (await page.getByRole('navigation', { name: 'Onglets des clients' }).getByRole('link').allTextContents()).map((t) =>
    t.trim(),
  );
const tabNames = (page: Page) => tabNamesIn(page, 'Onglets des clients');
/** The balances of the listed rows, as numbers (« -4 500,75 € » → -4500.75). */
const balances = async (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('tbody tr')].map((row) => {
      const text = row.querySelector('td.balance')?.textContent ?? '';
      return Number(
        text
          .replace('\u2212', '-')
          .replace(/[^\d,-]/g, '')
          .replace(',', '.'),
      );
    }),
  );
const firstClient = async (page: Page) => {
  await listReady(page);
  return (await page.getByRole('rowheader').first().textContent())?.trim();
};
const clientNames = async (page: Page) => {
  await listReady(page);
  return (await page.getByRole('rowheader').allTextContents()).map((t) => t.trim());
};

/**
 * A confirmation dialog used by keyboard only: Enter on the button opens it, the focus is on
 * « Annuler », Escape closes it and gives the focus back, Enter opens it again and Tab reaches the
 * confirming button, which is left focused (the caller presses Enter). Returns the dialog's text.
 */
async function confirmByKeyboard(page: Page, button: ReturnType<Page['getByRole']>, title: string, confirm: string) {
  await button.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: title });
  await dialog.waitFor();
  const text = (await dialog.textContent()) ?? '';
  await expectAccessible(page);
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Annuler');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await button.evaluate((b) => b === document.activeElement), true);
  await page.keyboard.press('Enter');
  await dialog.waitFor();
  // Tab stays inside the dialog: « Annuler » → the confirming button.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), confirm);
  return text;
}

/**
 * Ctrl K, pressed again until it lands: right after a page loads, the keys come before its
 * scripts run (and then do nothing), which is the browser's business, not the shortcut's.
 */
async function openSwitcher(page: Page) {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    await page.keyboard.press('Control+k');
    if ((await page.evaluate(() => document.activeElement?.id)) === 'switch-client') return;
    await page.waitForTimeout(100);
  }
  assert.fail('Ctrl K never reached the client switcher');
}

/** Waits for the switcher's options to read `expected` (names joined by |); says what they were if not. */
async function optionsAre(page: Page, expected: string) {
  let seen = '';
  for (let attempt = 0; attempt < 100; attempt += 1) {
    seen = await page.evaluate(
      () =>
        `${(document.getElementById('switch-client') as HTMLInputElement | null)?.value}: ` +
        [...document.querySelectorAll('[role="option"]')].map((o) => o.textContent).join('|'),
    );
    if (seen.endsWith(`: ${expected}`)) return;
    await page.waitForTimeout(100);
  }
  assert.fail(`the switcher shows « ${seen} », not « ${expected} »`);
}

describe('Vue de la page Clients', { concurrency: 1 }, () => {
  it('shows the admin four tabs', async () => {
    const page = await newPage(world);
    await login(page, 'admin@cabinet-demo.fr');
    assert.deepEqual(await tabNames(page), ['Invitations', 'Intégration', 'Mes clients', 'Tous']);
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Tous' }).click();
    await page.waitForURL(/tab=tous/);
    await screenshot(page, 'clients-admin');
    await page.context().close();
  });

  it('shows an accountant Intégration only when one of their clients is onboarding', async () => {
    const lea = await newPage(world);
    await login(lea, 'lea.martin@cabinet-demo.fr');
    assert.deepEqual(await tabNames(lea), ['Intégration', 'Mes clients']);
    const hugo = await newPage(world);
    await login(hugo, 'hugo.bernard@cabinet-demo.fr');
    assert.deepEqual(await tabNames(hugo), ['Mes clients']);
    // An accountant asking for an admin tab by URL gets "Mes clients".
    await hugo.goto(`${BASE}/clients?tab=tous`);
    assert.match((await hugo.locator('.tab[aria-current="page"]').textContent()) ?? '', /^Mes clients \(\d+\)$/);
    await lea.context().close();
    await hugo.context().close();
  });

  it('refuses a wrong password with one generic message', async () => {
    const page = await newPage(world);
    await page.goto(`${BASE}/connexion`);
    await page.getByLabel('E-mail').fill('admin@cabinet-demo.fr');
    await page.getByLabel('Mot de passe').fill('mauvais');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('alert').filter({ hasText: 'E-mail ou mot de passe incorrect.' }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'connexion');
    await page.context().close();
  });
});

describe('Comment trier votre aperçu sur la page Clients', { concurrency: 1 }, () => {
  let page: Page;
  before(async () => {
    page = await newPage(world);
    await login(page, 'admin@cabinet-demo.fr');
    await page.goto(`${BASE}/clients?tab=tous`);
  });
  after(() => page.context().close());

  it('« Rechercher des clients » filters as one types, keeps the focus, and finds a client with or without accents', async () => {
    // With JavaScript the filters apply at once: no « Appliquer » to press (once the page is live).
    await page.locator('form[data-instant]').waitFor({ state: 'attached' });
    assert.equal(await page.getByRole('button', { name: 'Appliquer' }).isVisible(), false);
    const search = page.getByLabel('Rechercher des clients');
    for (const q of ['societe generale', 'Société Générale']) {
      await search.fill('');
      await search.pressSequentially(q, { delay: 20 });
      await page.waitForURL((url) => url.searchParams.get('q') === q);
      await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
      assert.deepEqual(await clientNames(page), ['Société Générale de Boulangerie']);
      // Still typing where it was: the focus and the caret stayed in the box.
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'q');
      assert.equal(await search.evaluate((input: HTMLInputElement) => input.selectionStart), q.length);
    }
    // The search shows as a chip that removes it.
    await page.getByRole('link', { name: 'Retirer la recherche «\u202fSociété Générale\u202f»' }).click();
    await page.waitForURL((url) => !url.searchParams.has('q'));
    // The URL changes before the list it names is rendered: wait for the rows.
    await page.waitForFunction(() => document.querySelectorAll('tbody tr th').length > 1);
    await expectAccessible(page);
  });

  it('a search is one history entry: « précédent » brings back the list before it', async () => {
    const before = page.url();
    const search = page.getByLabel('Rechercher des clients');
    await search.focus();
    // Slow enough that each letter is applied on its own: several URLs, one history entry.
    await search.pressSequentially('boul', { delay: 450 });
    await page.waitForURL((url) => url.searchParams.get('q') === 'boul');
    await page.goBack();
    await page.waitForURL((url) => !url.searchParams.has('q'));
    assert.equal(page.url(), before);
    // The URL changes before the list it names is rendered: wait for the rows (fails if they never come back).
    await page.waitForFunction(() => document.querySelectorAll('tbody tr th').length > 1);
    assert.equal(await page.getByLabel('Rechercher des clients').inputValue(), '');
  });

  it('« Plus de filtres » → « Reçus manquants » filters on the tick, and its chip removes it', async () => {
    assert.ok((await clientNames(page)).includes('Garage Peugeot-Dupont'));
    const searchWidth = () => page.locator('#q').evaluate((input) => input.getBoundingClientRect().width);
    const before = await searchWidth();
    await page.getByText('Plus de filtres').click();
    await page.getByRole('checkbox', { name: 'Reçus manquants', exact: true }).check();
    await page.waitForURL(/missing=1/);
    await page.waitForFunction(
      () => ![...document.querySelectorAll('tbody tr th')].some((th) => th.textContent === 'Garage Peugeot-Dupont'),
    );
    // The search box keeps its width with a filter on (its chip and « Réinitialiser » shown).
    assert.ok(Math.abs((await searchWidth()) - before) <= 1, `search box ${before}px, then ${await searchWidth()}px`);
    const names = await clientNames(page);
    assert.ok(names.length > 0);
    assert.ok(!names.includes('Garage Peugeot-Dupont'));
    const missing = await page.locator('tbody tr td:nth-of-type(3)').allTextContents();
    assert.ok(
      missing.every((n) => Number(n) > 0),
      `missing receipts: ${missing.join(', ')}`,
    );
    await page.getByRole('link', { name: 'Retirer le filtre Reçus manquants' }).click();
    await page.waitForURL((url) => !url.searchParams.has('missing'));
    await page
      .getByRole('cell', { name: 'Garage Peugeot-Dupont' })
      .or(page.getByRole('rowheader', { name: 'Garage Peugeot-Dupont' }))
      .first()
      .waitFor();
    await page.goto(`${BASE}/clients?tab=tous`);
  });

  it('« Colonnes affichées » hides a column, in the URL, and shows it again', async () => {
    await page.getByText('Plus de filtres').click();
    await page.getByRole('checkbox', { name: 'Colonne «\u202fSolde\u202f»' }).uncheck();
    await page.waitForURL(/colonnes=recus%2Cexport%2Ctva%2Cecheance%2Ccomptables/);
    await page.getByRole('columnheader', { name: /^Solde/ }).waitFor({ state: 'detached' });
    assert.ok((await clientNames(page)).length >= 15);
    await page.getByRole('checkbox', { name: 'Colonne «\u202fSolde\u202f»' }).check();
    await page.waitForURL((url) => !url.searchParams.has('colonnes'));
    await page.getByRole('columnheader', { name: /^Solde/ }).waitFor();
    await page.goto(`${BASE}/clients?tab=tous`);
  });

  it('« Trier par nom » sorts A→Z and Z→A on change, and the back button restores the order', async () => {
    await page.getByLabel('Ordre').selectOption('desc');
    await page.waitForURL(/dir=desc/);
    await page.waitForFunction(() => document.querySelector('tbody tr th')?.textContent === 'Zéphyr Informatique');
    assert.equal(await firstClient(page), 'Zéphyr Informatique');
    await page.goBack();
    await page.waitForURL((url) => !url.search.includes('dir=desc'));
    await page.waitForFunction(() => document.querySelector('tbody tr th')?.textContent === 'Agence Créa’Com');
    assert.equal(await firstClient(page), 'Agence Créa’Com');
  });

  it('shows at least 15 rows at 1280×800 on « Tous », the table inside its box, the header kept in view', async () => {
    const dense = await newPage(world, 1280, 800);
    await login(dense, 'admin@cabinet-demo.fr');
    await dense.goto(`${BASE}/clients?tab=tous`);
    await listReady(dense);
    const measured = await dense.evaluate(() => {
      const rows = [...document.querySelectorAll('tbody tr')];
      const box = document.querySelector('.table-wrap')!.getBoundingClientRect();
      const table = document.querySelector('table.table')!.getBoundingClientRect();
      return {
        visible: rows.filter((r) => r.getBoundingClientRect().bottom <= window.innerHeight).length,
        rowHeight: rows[0]!.getBoundingClientRect().height,
        overflow: table.width - box.width,
        sticky: getComputedStyle(document.querySelector('thead th')!).position,
      };
    });
    assert.ok(measured.visible >= 15, `${measured.visible} rows visible`);
    assert.ok(measured.rowHeight <= 42, `rows of ${measured.rowHeight}px`);
    assert.ok(measured.overflow <= 0, `the table overflows its box by ${measured.overflow}px`);
    assert.equal(measured.sticky, 'sticky');
    // 50 a page by choice, kept in the URL.
    await dense.getByLabel('Par page').selectOption('50');
    await dense.waitForURL(/taille=50/);
    await dense.waitForFunction(() => document.querySelectorAll('tbody tr').length > 25);
    await dense.context().close();
  });

  it('keyboard shortcuts: « / » to the search, « ? » lists them, Ctrl K to the switcher in a client', async () => {
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'q');
    await page.keyboard.press('Escape');
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('Shift+?');
    const help = page.getByRole('dialog', { name: 'Raccourcis' });
    await help.waitFor();
    await expectAccessible(page);
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });
    await rowMenu(page, 'Boucherie Lefèvre & Fils', 'Accéder au client');
    await page.getByRole('heading', { level: 1, name: 'Boucherie Lefèvre & Fils' }).waitFor();
    await openSwitcher(page);
    // Ctrl K opens the switcher: its list shows.
    await page.getByRole('listbox', { name: 'Clients' }).getByRole('option').first().waitFor();
    await page.keyboard.press('Escape');
    await page.goto(`${BASE}/clients?tab=tous`);
  });

  it('the column headers sort both ways, with ▲/▼ and aria-sort; the tabs carry their counts', async () => {
    const header = page.getByRole('columnheader', { name: /Solde/ });
    await header.getByRole('link').click();
    await page.waitForURL(/sort=balance&dir=desc/);
    // The list of that URL rendered (the header says how it sorts), then its rows read.
    await header.and(page.locator('[aria-sort="descending"]')).waitFor();
    const down = await balances(page);
    assert.deepEqual(
      down,
      [...down].sort((a, b) => b - a),
    );
    await header.getByRole('link').click();
    await page.waitForURL((url) => url.searchParams.get('sort') === 'balance' && !url.searchParams.has('dir'));
    await header.and(page.locator('[aria-sort="ascending"]')).waitFor();
    assert.match((await header.textContent()) ?? '', /▲/);
    const up = await balances(page);
    assert.deepEqual(
      up,
      [...up].sort((a, b) => a - b),
    );
    assert.ok(up[0]! < 0, 'the most negative balance first');
    assert.equal(await page.getByRole('columnheader', { name: /Nom/ }).getAttribute('aria-sort'), null);
    for (const label of await tabCounts(page)) assert.match(label, /^.+ \([\d\u202f]+\+?\)$/);
    await expectAccessible(page);
    await page.goto(`${BASE}/clients?tab=tous`);
  });

  it('works with the keyboard: the « ⋯ » menu opens, and Escape closes it and gives focus back', async () => {
    const summary = page.locator('details.row-menu summary').first();
    await summary.focus();
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('details.row-menu[open]').count(), 1);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Accéder au client');
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('details.row-menu[open]').count(), 0);
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'SUMMARY');
  });
});

describe('Without JavaScript', { concurrency: 1 }, () => {
  it('lists, searches, filters and pages the clients, and « ⋯ » leads to the client’s actions', async () => {
    const withScripts = await newPage(world);
    await withScripts.context().close();
    const context = await world.browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR' });
    const page = watchPage(await context.newPage());
    const urls: string[] = [];
    page.on('request', (request) => urls.push(request.url()));
    // The login form posts to next-auth's credentials callback: no password in any URL.
    await page.goto(`${BASE}/connexion`);
    await page.getByLabel('E-mail').fill('admin@cabinet-demo.fr');
    await page.getByLabel('Mot de passe').fill('wrong-password');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByText('E-mail ou mot de passe incorrect.').waitFor();
    await page.getByLabel('E-mail').fill('admin@cabinet-demo.fr');
    await page.getByLabel('Mot de passe').fill(PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('navigation', { name: 'Onglets des clients' }).waitFor();
    assert.ok(!urls.some((url) => /password|demo-password|wrong-password/.test(url)), urls.join('\n'));
    await page.goto(`${BASE}/clients?tab=tous`);
    await page.getByText('Plus de filtres').click();
    await page.getByRole('checkbox', { name: 'Reçus manquants', exact: true }).check();
    await page.getByRole('button', { name: 'Appliquer' }).click();
    await page.waitForURL(/missing=1/);
    const missing = await page.locator('tbody tr td:nth-of-type(3)').allTextContents();
    assert.ok(missing.length > 0 && missing.every((n) => Number(n) > 0), `missing receipts: ${missing.join(', ')}`);
    await page.goto(`${BASE}/clients?tab=tous`);
    await page.getByLabel('Rechercher des clients').fill('boucherie lefevre');
    await page.getByRole('button', { name: 'Appliquer' }).click();
    await page.waitForURL(/q=boucherie/);
    assert.deepEqual(await clientNames(page), ['Boucherie Lefèvre & Fils']);
    await page.getByRole('link', { name: 'Actions pour Boucherie Lefèvre & Fils' }).click();
    await page.waitForURL(/\/details$/);
    await page.getByRole('link', { name: 'Accéder au client' }).click();
    await page.getByRole('heading', { name: 'Boucherie Lefèvre & Fils' }).waitFor();
    await page.goto(`${BASE}/clients?tab=tous`);
    await page.getByRole('link', { name: 'Suivant' }).click();
    await page.waitForURL(/page=2/);
    assert.ok((await clientNames(page)).length > 0);
    // The bulk bar posts, then comes back to the same list with its result: an error next to its
    // field, then (Léa already has this client: nothing changes in the demo firm) a success.
    await page.goto(`${BASE}/clients?tab=tous&q=boucherie&sort=balance`);
    await page.getByLabel('Sélectionner Boucherie Lefèvre & Fils').check();
    await page.getByRole('button', { name: 'Attribuer', exact: true }).click();
    await page.waitForURL(/resultat=/);
    assert.match(page.url(), /\/clients\?tab=tous&q=boucherie&sort=balance&resultat=/);
    await page.getByText('Choisissez un comptable.').waitFor();
    assert.equal(await page.getByLabel('Attribuer à…').getAttribute('aria-invalid'), 'true');
    await page.getByLabel('Sélectionner Boucherie Lefèvre & Fils').check();
    await page.getByLabel('Attribuer à…').selectOption({ label: 'Léa Martin' });
    await page.getByRole('button', { name: 'Attribuer', exact: true }).click();
    await page.getByText('1 client sélectionné\u202f: aucune nouvelle attribution.').waitFor();
    assert.deepEqual(await clientNames(page), ['Boucherie Lefèvre & Fils']);
    await context.close();
  });
});

describe('Comment accéder au compte d’un client', { concurrency: 1 }, () => {
  it('« ⋯ » → « Accéder au client » opens the client workspace', async () => {
    const page = await newPage(world);
    await login(page, 'lea.martin@cabinet-demo.fr');
    await rowMenu(page, 'Boucherie Lefèvre & Fils', 'Accéder au client');
    await page.getByRole('heading', { level: 1, name: 'Boucherie Lefèvre & Fils' }).waitFor();
    await page.getByText('Solde du compte').first().waitFor();
    await expectAccessible(page);
    await screenshot(page, 'client-workspace');
    // Export the expenses that are ready.
    await page.getByRole('link', { name: /Prêtes à être exportées/ }).click();
    await page.waitForURL(/vue=ready/);
    // « Exporter » first says what will go, in a dialog used here with the keyboard only.
    const exportButton = page.getByRole('button', { name: /^Exporter/ });
    const said = await confirmByKeyboard(page, exportButton, 'Exporter ces dépenses\u202f?', 'Exporter');
    assert.match(said, /\d+ dépenses? pour un total de .+€/);
    const download = page.waitForEvent('download');
    await page.keyboard.press('Enter');
    const file = await download;
    assert.match(file.suggestedFilename(), /^export-boucherie-lefevre-fils-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}\.csv$/);
    await page.getByText(/Export créé/).waitFor();
    await page.getByRole('link', { name: /Exportées/ }).click();
    await page.getByRole('heading', { name: 'Exports précédents' }).waitFor();
    await page.getByRole('link', { name: 'CSV' }).first().waitFor();
    await page.context().close();
  });
});

describe('Tenir les comptes', { concurrency: 1 }, () => {
  it('codes and reviews 50 expenses with the keyboard alone, then exports a FEC and a preset and the receipts', async () => {
    // 50 expenses of the demo's client to code, none matching a rule: each is coded by hand.
    const sql = postgres(world.ownerUrl, { max: 1, onnotice: () => {} });
    const [client] = await sql<{ id: string }[]>`SELECT id FROM clients WHERE name = ${DEMO_CODING_CLIENT}`;
    await sql`UPDATE clients SET siren = '732829320' WHERE id = ${client!.id}`;
    // The firm hands this client's entries to Sage 50 (« Paramètres comptables », an admin's).
    await sql`INSERT INTO client_books (client_id, firm_id, preset)
      SELECT id, firm_id, 'sage50' FROM clients WHERE id = ${client!.id}
      ON CONFLICT (client_id) DO UPDATE SET preset = 'sage50'`;
    await sql`DELETE FROM expenses WHERE client_id = ${client!.id} AND coding_state <> 'reviewed' AND export_state <> 'exported'`;
    await sql`
      INSERT INTO expenses (client_id, amount_cents, merchant, spent_on, receipt_state, export_state, platform_ready)
      SELECT ${client!.id}::uuid, 1000 + i * 37, 'Taxi G7 n°' || i, current_date - (50 - i), 'attached', 'not_ready', true
      FROM generate_series(1, 50) AS i`;
    const page = await newPage(world);
    await login(page, 'lea.martin@cabinet-demo.fr');
    await page.goto(`${BASE}/clients/${client!.id}`);
    await page.getByRole('heading', { name: /^À coder jusqu’à fin / }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'coding-grid');
    const account = (i: number) => page.locator(`input[data-row="${i}"][data-col="account"]`);
    // Focus the first row's account from the keyboard: Tab from the first row's box.
    await page.locator('input[data-row="0"][data-col="select"]').focus();
    await page.keyboard.press('Tab');
    assert.equal(await account(0).evaluate((e) => e === document.activeElement), true);
    // Rows 1–25: type the account's name, the list offers it, Ctrl+Entrée codes and reviews it and
    // moves to the next row.
    for (let i = 0; i < 25; i += 1) {
      await page.keyboard.type('voyag');
      await page.getByRole('option', { name: /6251 Voyages et déplacements/ }).waitFor();
      await page.keyboard.press('Control+Enter');
      await page
        .locator(`tbody tr:nth-child(${i + 1})`)
        .getByText('Enregistrée et revue')
        .waitFor();
      assert.equal(await account(i + 1).evaluate((e) => e === document.activeElement), true);
    }
    // Rows 26–50: the account's number and Entrée (codée), one after the other.
    for (let i = 25; i < 50; i += 1) {
      await page.keyboard.type('6256');
      await page.keyboard.press('Enter');
      await page
        .locator(`tbody tr:nth-child(${i + 1})`)
        .getByText('Enregistrée', { exact: true })
        .waitFor();
    }
    // Then reviewed together: back up with ↑ selecting the rows on the way (Maj+↑), Ctrl+Entrée.
    for (let i = 0; i < 24; i += 1) await page.keyboard.press('Shift+ArrowUp');
    await page.getByText('25 dépenses sélectionnées').waitFor();
    await page.keyboard.press('Control+Enter');
    await page.getByText('Aucune à coder · aucune codée · 50 revues').waitFor();
    const [done] = await sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM expenses e JOIN expense_lines l ON l.expense_id = e.id
      WHERE e.client_id = ${client!.id} AND e.coding_state = 'reviewed' AND e.merchant LIKE 'Taxi G7%'`;
    assert.equal(done!.n, 50);

    // Export: « Prêtes à être exportées » → « Exporter » → the FEC, the preset, the receipts.
    await page.goto(`${BASE}/clients/${client!.id}?vue=ready`);
    const exportButton = page.getByRole('button', { name: /^Exporter/ });
    await confirmByKeyboard(page, exportButton, 'Exporter ces dépenses\u202f?', 'Exporter');
    const csv = page.waitForEvent('download');
    await page.keyboard.press('Enter');
    await csv;
    await page.goto(`${BASE}/clients/${client!.id}?vue=exported`);
    const fecDownload = page.waitForEvent('download');
    await page.getByRole('link', { name: 'FEC', exact: true }).first().click();
    const fec = await fecDownload;
    assert.equal(fec.suggestedFilename(), `732829320FEC${new Date().getFullYear()}1231.txt`);
    const bytes = readFileSync((await fec.path())!);
    assert.deepEqual(validateFec(bytes), []);
    // The preset: Sage 50's XImport, lines of 142 characters ending with the format's version.
    const presetDownload = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Sage 50 / Ciel Compta (XImport)' }).first().click();
    const preset = await presetDownload;
    assert.match(preset.suggestedFilename(), /^sage50-editions-du-pelican-.+\.txt$/);
    const ximport = readFileSync((await preset.path())!)
      .toString('latin1')
      .split('\r\n');
    assert.equal(ximport.pop(), '');
    assert.ok(ximport.length >= 100, `${ximport.length} lines`);
    for (const line of ximport) assert.match(line, /^.{137}O2003$/);
    const zipDownload = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Reçus (ZIP)' }).first().click();
    assert.match((await zipDownload).suggestedFilename(), /^recus-editions-du-pelican-.+\.zip$/);
    // What was exported is locked: its rows left the grid, and a coding sent anyway is refused.
    await page.goto(`${BASE}/clients/${client!.id}`);
    await page
      .getByText(/Taxi G7/)
      .first()
      .waitFor({ state: 'detached' });
    await sql.end();
    await page.context().close();
  });
});

describe('La clôture du mois', { concurrency: 1 }, () => {
  it('the board from the navigation: filters in the URL, a client’s month closed, at 1280 and 390 px', async () => {
    const sql = postgres(world.ownerUrl, { max: 1, onnotice: () => {} });
    const [garage] = await sql<{ id: string }[]>`SELECT id FROM clients WHERE name = 'Garage Peugeot-Dupont'`;
    const [busy] = await sql<{ id: string }[]>`SELECT id FROM clients WHERE name = 'Transports Müller-Gérard'`;
    // A missing receipt last month: that client's month cannot close without a reason.
    await sql`INSERT INTO expenses (client_id, amount_cents, merchant, spent_on, receipt_state, export_state)
              VALUES (${busy!.id}, 24000, 'Hôtel Ibis', date_trunc('month', now() - interval '1 month')::date + 4,
                      'missing', 'not_ready')`;
    const page = await newPage(world);
    await login(page, 'admin@cabinet-demo.fr');
    await page
      .getByRole('navigation', { name: 'Navigation principale' })
      .getByRole('link', { name: 'Clôture' })
      .click();
    await page.getByRole('heading', { name: 'Clôture du mois' }).waitFor();
    await page.getByRole('row', { name: /Transports Müller-Gérard/ }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'close-board');
    // Sorting by « TVA à risque » and « En retard »: applied as they change, kept in the URL.
    await page.getByLabel('Trier par').selectOption({ label: 'TVA à risque' });
    await page.waitForURL(/tri=tva/);
    await page.getByRole('checkbox', { name: 'En retard' }).check();
    await page.waitForURL(/retard=1/);
    await page.goBack();
    await page.waitForURL((url) => !/retard=1/.test(url.toString()));

    // « Attribuer à… »: the admin makes Léa the preparer of both clients at once.
    await page.goto(`${BASE}/cloture`);
    for (const name of ['Garage Peugeot-Dupont', 'Transports Müller-Gérard'])
      await page.getByRole('checkbox', { name: `Sélectionner ${name}` }).check();
    const bulkBar = page.locator('.bulk-bar');
    await bulkBar.getByLabel('Préparateur').selectOption({ label: 'Léa Martin' });
    await bulkBar.getByRole('button', { name: 'Attribuer' }).click();
    await page.getByText(/^2 clients mis à jour/).waitFor();
    await page.reload();
    for (const name of [/Garage Peugeot-Dupont/, /Transports Müller-Gérard/])
      await page.getByRole('row', { name }).getByRole('cell', { name: 'Léa Martin' }).waitFor();

    // Léa, on her board filtered on what she prepares: the busy client is blocked and she is told
    // why, with no button; the empty one is ready and she closes it in two clicks.
    const lea = await newPage(world);
    await login(lea, 'lea.martin@cabinet-demo.fr');
    await lea.goto(`${BASE}/cloture`);
    await lea.getByLabel('Préparateur').selectOption({ label: 'Léa Martin' });
    await lea.waitForURL(/preparateur=/);
    await lea.getByRole('row', { name: /Garage Peugeot-Dupont/ }).waitFor();
    await lea.getByRole('link', { name: 'Transports Müller-Gérard' }).click();
    await lea
      .getByText(/ · bloquant$/)
      .first()
      .waitFor();
    await lea.getByText('Le mois se clôture quand tous les contrôles sont OK.', { exact: false }).waitFor();
    assert.equal(await lea.getByRole('button', { name: 'Clôturer le mois' }).count(), 0);
    await lea.goto(`${BASE}/clients/${garage!.id}/cloture`);
    await lea.getByRole('heading', { name: 'Statut : Prête à clôturer' }).waitFor();
    await lea.getByRole('button', { name: 'Clôturer le mois' }).click();
    await lea.getByRole('dialog').getByRole('button', { name: 'Clôturer le mois' }).click();
    await lea.getByText(/^Clôturé le /).waitFor();

    // The busy client: blocked, the admin closes with a reason.
    await page.goto(`${BASE}/clients/${busy!.id}/cloture`);
    await page
      .getByText(/ · bloquant$/)
      .first()
      .waitFor();
    await expectAccessible(page);
    await page.getByLabel('Motif de la clôture malgré les contrôles').fill('Reçu perdu : attestation sur l’honneur');
    await page.getByRole('button', { name: 'Clôturer le mois' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Clôturer le mois' }).click();
    await page.getByText(/^Clôturé le /).waitFor();

    // The platform sends a late expense of the closed month: « Après clôture », on the board and on
    // the client, never silently in the closed month.
    await sql`INSERT INTO expenses (client_id, amount_cents, merchant, spent_on, receipt_state, export_state)
              VALUES (${garage!.id}, 4500, 'Total Énergies', date_trunc('month', now() - interval '1 month')::date + 9,
                      'missing', 'not_ready')`;
    await lea.goto(`${BASE}/cloture?statut=cloturee`);
    await lea
      .getByRole('row', { name: /Garage Peugeot-Dupont/ })
      .getByText('1 dépense après clôture')
      .waitFor();
    await lea.getByRole('link', { name: 'Garage Peugeot-Dupont' }).click();
    await lea.getByRole('heading', { name: 'Après clôture' }).waitFor();
    await lea.getByText(/Total Énergies/).waitFor();
    await lea.getByRole('heading', { name: 'Statut : Clôturée' }).waitFor();
    await expectAccessible(lea);
    await lea.context().close();

    // The board shows both « Clôturée ».
    await page.goto(`${BASE}/cloture?statut=cloturee`);
    await page.getByRole('row', { name: /Garage Peugeot-Dupont/ }).waitFor();
    await page.getByRole('row', { name: /Transports Müller-Gérard/ }).waitFor();
    const [journal] = await sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM activity_log WHERE action = 'month_closed' AND details ? 'reason'`;
    assert.equal(journal!.n, 1);
    await sql.end();

    // On the Clients page, « Échéance » sorts: the soonest first, the closed months (no date) last.
    await page.goto(`${BASE}/clients?tab=tous&taille=100`);
    const due = page.getByRole('columnheader', { name: /Échéance/ });
    await due.getByRole('link').click();
    await page.waitForURL((url) => url.searchParams.get('sort') === 'echeance');
    await due.and(page.locator('[aria-sort="ascending"]')).waitFor();
    const dates = (await page.locator('table.client-list tbody td.close').allTextContents()).map((t) => t.trim());
    const firstEmpty = dates.indexOf('');
    assert.ok(firstEmpty > 0, `dates first: ${dates.join(' | ')}`);
    assert.ok(
      dates.slice(firstEmpty).every((t) => t === ''),
      `the closed months last: ${dates.join(' | ')}`,
    );
    for (const name of [/Garage Peugeot-Dupont/, /Transports Müller-Gérard/])
      assert.equal((await page.getByRole('row', { name }).locator('td.close').textContent())?.trim(), '');
    await page.context().close();

    // On a phone: one card per client, no sideways scroll.
    const phone = await newPage(world, 390, 844);
    await login(phone, 'lea.martin@cabinet-demo.fr');
    await phone.goto(`${BASE}/cloture`);
    await phone.locator('.board-table tbody tr').first().waitFor();
    const overflow = await phone.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(overflow <= 1, `the board scrolls sideways by ${overflow}px`);
    await expectAccessible(phone);
    await screenshot(phone, 'close-board-mobile');
    await phone.context().close();
  });
});

describe('A portfolio a firm can organise', { concurrency: 1 }, () => {
  it('the admin filters on « Grands comptes » and shares the view; Léa opens it from its URL', async () => {
    const page = await newPage(world);
    await login(page, 'admin@cabinet-demo.fr');
    await page.goto(`${BASE}/clients?tab=tous`);
    await page.getByText('Plus de filtres').click();
    await page.getByLabel('Groupe', { exact: true }).selectOption({ label: 'Grands comptes' });
    await page.waitForURL(/groupe=/);
    await page.getByRole('link', { name: /^Retirer le filtre Groupe Grands comptes/ }).waitFor();
    await page.locator('.views-menu summary').click();
    await page.getByLabel('Nom de la vue').fill('Grands comptes partagés');
    await page.getByLabel('Partager avec le cabinet').check();
    await page.getByRole('button', { name: 'Enregistrer la vue' }).click();
    await page.getByText(/^Vue «\u202fGrands comptes partagés\u202f» enregistrée/).waitFor();
    await expectAccessible(page);
    const sql = postgres(world.ownerUrl, { max: 1, onnotice: () => {} });
    const [view] = await sql<{ id: string; query: string }[]>`
      SELECT id, query FROM saved_views WHERE name = 'Grands comptes partagés'`;
    const léaClients = await sql<{ name: string }[]>`
      SELECT c.name FROM clients c
      JOIN client_group_members m ON m.client_id = c.id
      JOIN client_groups g ON g.id = m.group_id AND g.name = 'Grands comptes'
      JOIN assignments a ON a.client_id = c.id
      JOIN users u ON u.id = a.user_id AND u.email = 'lea.martin@cabinet-demo.fr'
      WHERE c.status = 'active' ORDER BY c.name`;
    await sql.end();
    assert.match(view!.query, /groupe=/);
    await page.context().close();

    // Léa: the same view, within her clients.
    const lea = await newPage(world);
    await login(lea, 'lea.martin@cabinet-demo.fr');
    await lea.goto(`${BASE}/clients?vue=${view!.id}`);
    await lea.getByRole('link', { name: /^Retirer le filtre Groupe Grands comptes/ }).waitFor();
    const names = await lea.locator('tbody tr th').allTextContents();
    assert.deepEqual(names.map((n) => n.trim()).sort(), léaClients.map((c) => c.name).sort());
    await lea.context().close();
  });

  it('Léa asks for access to a client she cannot open; the admin grants a day; Hugo sets his digest to 8 h', async () => {
    const sql = postgres(world.ownerUrl, { max: 1, onnotice: () => {} });
    const [other] = await sql<{ id: string; name: string }[]>`
      SELECT c.id, c.name FROM clients c JOIN firms f ON f.id = c.firm_id AND f.name = 'Cabinet Démo'
      WHERE c.status = 'active' AND NOT EXISTS (
        SELECT 1 FROM assignments a JOIN users u ON u.id = a.user_id
        WHERE a.client_id = c.id AND u.email = 'lea.martin@cabinet-demo.fr')
      ORDER BY c.name LIMIT 1`;
    try {
      // On a phone: the firm's other clients, greyed out, a name and nothing else.
      const lea = await newPage(world, 390, 844);
      await login(lea, 'lea.martin@cabinet-demo.fr');
      const denied = await lea.goto(`${BASE}/clients/${other!.id}`);
      assert.equal(denied?.status(), 404);
      await lea.goto(`${BASE}/clients`);
      await lea.getByRole('link', { name: 'Autres clients du cabinet' }).click();
      await lea.getByRole('heading', { level: 1, name: 'Autres clients du cabinet' }).waitFor();
      await lea.getByLabel('Rechercher un client').fill(other!.name);
      await lea.getByRole('button', { name: 'Rechercher un client' }).click();
      await lea.waitForURL(/q=/);
      await lea.getByText('Demander l’accès', { exact: true }).first().click();
      await lea.getByLabel('Motif').fill('Je remplace Hugo pendant ses congés.');
      await lea.getByRole('button', { name: `Demander l’accès à ${other!.name}` }).click();
      await lea.getByText(`Demande envoyée aux administrateurs pour ${other!.name}.`).waitFor();
      await expectAccessible(lea);
      await lea.context().close();

      // The admin: the count in the header, the request, a day.
      const admin = await newPage(world);
      await login(admin, 'admin@cabinet-demo.fr');
      await admin.getByRole('link', { name: 'Demandes d’accès (1)' }).click();
      await admin.getByRole('heading', { level: 1, name: 'Demandes d’accès' }).waitFor();
      await admin.getByText('Motif\u202f: Je remplace Hugo pendant ses congés.').waitFor();
      await expectAccessible(admin);
      await admin.getByLabel('Durée').selectOption({ label: 'Un jour' });
      await admin.getByRole('button', { name: `Accorder à Léa Martin l’accès à ${other!.name}` }).click();
      await admin.getByText(new RegExp(`^Accès accordé à Léa Martin pour ${other!.name} jusqu’au `)).waitFor();
      await admin.context().close();
      const [grant] = await sql<{ expires_at: Date }[]>`
        SELECT a.expires_at FROM assignments a JOIN users u ON u.id = a.user_id
        WHERE a.client_id = ${other!.id} AND u.email = 'lea.martin@cabinet-demo.fr'`;
      const hours = (grant!.expires_at.getTime() - Date.now()) / 3_600_000;
      assert.ok(hours > 23.9 && hours <= 24, `ends in ${hours} h`);

      // Léa opens it now.
      const again = await newPage(world);
      await login(again, 'lea.martin@cabinet-demo.fr');
      await again.goto(`${BASE}/clients/${other!.id}`);
      await again.getByRole('heading', { level: 1, name: other!.name }).waitFor();
      await again.context().close();

      // Hugo: his digest at 8 h, Paris.
      const hugo = await newPage(world);
      await login(hugo, 'hugo.bernard@cabinet-demo.fr');
      await hugo.goto(`${BASE}/compte/notifications`);
      await hugo.getByLabel('Heure', { exact: true }).selectOption({ label: '8 h' });
      await hugo.getByLabel('Fuseau horaire').selectOption({ label: 'Europe / Paris' });
      await hugo.getByRole('button', { name: 'Enregistrer', exact: true }).click();
      await hugo.getByText('Vos récapitulatifs partiront à 8 h, fuseau Europe/Paris.').waitFor();
      await expectAccessible(hugo);
      await hugo.context().close();
      const [hugoTime] = await sql<{ digest_hour: number; digest_zone: string }[]>`
        SELECT digest_hour, digest_zone FROM users WHERE email = 'hugo.bernard@cabinet-demo.fr'`;
      assert.deepEqual({ ...hugoTime }, { digest_hour: 8, digest_zone: 'Europe/Paris' });
    } finally {
      // The other tests count Léa's clients and Hugo's digests as seeded.
      await sql`DELETE FROM assignments a USING users u
        WHERE u.id = a.user_id AND a.client_id = ${other!.id} AND u.email = 'lea.martin@cabinet-demo.fr'`;
      await sql`UPDATE users SET digest_hour = NULL, digest_zone = NULL WHERE email = 'hugo.bernard@cabinet-demo.fr'`;
      await sql.end();
    }
  });
});

describe('The client switcher', { concurrency: 1 }, () => {
  it('is a combobox used with the keyboard only, searching on the server among the clients one may open', async () => {
    const page = await newPage(world);
    await login(page, 'admin@cabinet-demo.fr');
    await page.goto(`${BASE}/clients?tab=tous`);
    await rowMenu(page, 'Boucherie Lefèvre & Fils', 'Accéder au client');
    await page.getByRole('heading', { level: 1, name: 'Boucherie Lefèvre & Fils' }).waitFor();
    const combobox = page.getByRole('combobox', { name: 'Changer de client' });
    const listbox = page.getByRole('listbox', { name: 'Clients' });
    assert.equal(await combobox.getAttribute('aria-expanded'), 'false');
    // Ctrl K, then the first letters: the server answers the clients whose name holds them.
    const searched: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/clients/recherche')) searched.push(new URL(r.url()).searchParams.get('q') ?? '');
    });
    await openSwitcher(page);
    await page.keyboard.type('bati', { delay: 30 });
    await optionsAre(page, 'Bâtiment Général Provence|Conseil Ingénierie Bâtiment');
    assert.ok(searched.includes('bati'), `searched for ${JSON.stringify(searched)}`);
    assert.equal(await combobox.getAttribute('aria-expanded'), 'true');
    // The first match is highlighted (automatic selection); ↓ and ↑ move, wrapping round.
    const highlighted = async () => {
      const id = await combobox.getAttribute('aria-activedescendant');
      return id ? page.locator(`[id="${id}"]`).textContent() : null;
    };
    assert.equal(await highlighted(), 'Bâtiment Général Provence');
    await page.keyboard.press('ArrowDown');
    assert.equal(await highlighted(), 'Conseil Ingénierie Bâtiment');
    assert.equal(await listbox.getByRole('option', { selected: true }).textContent(), 'Conseil Ingénierie Bâtiment');
    await page.keyboard.press('ArrowDown');
    assert.equal(await highlighted(), 'Bâtiment Général Provence');
    await page.keyboard.press('ArrowUp');
    assert.equal(await highlighted(), 'Conseil Ingénierie Bâtiment');
    await expectAccessible(page);
    // Escape closes the list, a second Escape empties the field; the focus stays in it.
    await page.keyboard.press('Escape');
    assert.equal(await combobox.getAttribute('aria-expanded'), 'false');
    await page.keyboard.press('Escape');
    assert.equal(await combobox.inputValue(), '');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'switch-client');
    // Nothing matches: said so.
    await page.keyboard.type('zzz');
    await page.getByText('Aucun client ne correspond.').waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    // Enter opens the highlighted client.
    await page.keyboard.type('conseil ing');
    await page.waitForFunction(
      () =>
        document.querySelector('[role="option"][aria-selected="true"]')?.textContent === 'Conseil Ingénierie Bâtiment',
    );
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Conseil Ingénierie Bâtiment' }).waitFor();
    // The title is metadata streamed after the page's body on a client-side navigation: wait for it.
    await page.waitForFunction(() => document.title.startsWith('Conseil Ingénierie Bâtiment · '));
    await page.context().close();
  });

  it('offers an accountant only her own clients, and works without JavaScript', async () => {
    const page = await newPage(world);
    await login(page, 'lea.martin@cabinet-demo.fr');
    await rowMenu(page, 'Boucherie Lefèvre & Fils', 'Accéder au client');
    const combobox = page.getByRole('combobox', { name: 'Changer de client' });
    await combobox.focus();
    // « Bâtiment Général Provence » is Hugo's client, not hers.
    await page.keyboard.type('bâtiment g');
    await page.getByText('Aucun client ne correspond.').waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await page.keyboard.type('agence');
    await page.waitForFunction(() => document.querySelector('[role="option"]')?.textContent === 'Agence Créa’Com');
    await page.context().close();

    const plain = await world.browser.newContext({
      javaScriptEnabled: false,
      locale: 'fr-FR',
      viewport: { width: 1280, height: 900 },
    });
    const noJs = await plain.newPage();
    await noJs.goto(`${BASE}/connexion`);
    await noJs.getByLabel('E-mail').fill('lea.martin@cabinet-demo.fr');
    await noJs.getByLabel('Mot de passe').fill(PASSWORD);
    await noJs.getByRole('button', { name: 'Se connecter' }).click();
    await noJs.waitForURL(`${BASE}/clients**`);
    await noJs.getByRole('link', { name: 'Boucherie Lefèvre & Fils', exact: true }).click();
    await noJs.getByRole('heading', { level: 1, name: 'Boucherie Lefèvre & Fils' }).waitFor();
    // One match opens it; several show the Clients page searched.
    await noJs.getByLabel('Changer de client').fill('agence');
    await noJs.getByRole('button', { name: 'Ouvrir' }).click();
    await noJs.getByRole('heading', { level: 1, name: 'Agence Créa’Com' }).waitFor();
    await noJs.getByLabel('Changer de client').fill('e');
    await noJs.getByRole('button', { name: 'Ouvrir' }).click();
    await noJs.waitForURL(/\/clients\?q=e$/);
    assert.equal(await noJs.getByLabel('Rechercher des clients').inputValue(), 'e');
    await plain.close();
  });
});

describe('Comment activer les notifications par e-mail pour les tâches en cours', { concurrency: 1 }, () => {
  it('« ⋯ » → « Afficher les détails » → « E-mail » → « Sélectionnez la fréquence »', async () => {
    const page = await newPage(world);
    await login(page, 'lea.martin@cabinet-demo.fr');
    await rowMenu(page, 'Société Générale de Boulangerie', 'Afficher les détails');
    await page.getByRole('heading', { name: 'Notifications' }).waitFor();
    await page.getByLabel('E-mail', { exact: true }).check();
    await page.getByLabel('Sélectionnez la fréquence').selectOption({ label: 'Hebdomadaire' });
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page
      .getByText(/Prochain envoi\u202f: lundi \d+ \p{L}+ à 10\u00a0h/u)
      .first()
      .waitFor();
    await expectAccessible(page);
    await screenshot(page, 'client-details');
    // Reloaded, the choice is kept.
    await page.reload();
    assert.equal(await page.getByLabel('E-mail', { exact: true }).isChecked(), true);
    assert.equal(await page.getByLabel('Sélectionnez la fréquence').inputValue(), 'weekly');
    await page.context().close();
  });
});

describe('Comment les administrateurs peuvent rappeler aux comptables les tâches en cours', { concurrency: 1 }, () => {
  it('« ⋯ » → « Notifier les comptables » → tasks → comment → « Envoyer un e-mail »', async () => {
    const page = await newPage(world);
    await login(page, 'admin@cabinet-demo.fr');
    await page.goto(`${BASE}/clients?tab=tous`);
    await rowMenu(page, 'Boucherie Lefèvre & Fils', 'Notifier les comptables');
    await page.getByLabel(/Reçus manquants/).check();
    await page.getByLabel(/Solde du compte/).check();
    await page.getByLabel('Commentaire').fill('Le client clôture vendredi.\nMerci de relancer.');
    await expectAccessible(page);
    await screenshot(page, 'notifier-les-comptables');
    await page.getByRole('button', { name: 'Envoyer un e-mail' }).click();
    await page.getByText('Et voilà\u202f! Tous les comptables attribués à ce client recevront un e-mail.').waitFor();
    await page.getByText('Destinataires\u202f: Léa Martin.').waitFor();
    await page.goto(`${BASE}/dev/outbox`);
    const email = page
      .getByRole('article', { name: 'Rappel\u202f: tâches en cours pour Boucherie Lefèvre & Fils' })
      .first();
    await email.waitFor();
    assert.match((await email.textContent()) ?? '', /lea\.martin@cabinet-demo\.fr/);
    await page.context().close();
  });

  it('asks for at least one task, next to the checkboxes', async () => {
    const page = await newPage(world);
    await login(page, 'admin@cabinet-demo.fr');
    await page.goto(`${BASE}/clients?tab=tous`);
    await rowMenu(page, 'Boucherie Lefèvre & Fils', 'Notifier les comptables');
    await page.getByRole('button', { name: 'Envoyer un e-mail' }).click();
    await page.getByRole('alert').filter({ hasText: 'Cochez au moins une tâche.' }).waitFor();
    await page.context().close();
  });
});

describe('Invitations, onboarding and the team', { concurrency: 1 }, () => {
  it('an admin accepts an invitation: the client moves to « Tous »', async () => {
    const page = await newPage(world);
    await login(page, 'admin@cabinet-demo.fr');
    await page.getByRole('link', { name: 'Invitations' }).click();
    await page.waitForURL(/tab=invitations/);
    await expectAccessible(page);
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Brasserie du Vieux-Port' }) });
    await row.getByRole('button', { name: 'Accepter' }).click();
    await page.getByText(/Invitation acceptée\u202f: Brasserie du Vieux-Port est connecté/).waitFor();
    await page.goto(`${BASE}/clients?tab=tous&q=brasserie`);
    assert.deepEqual(await clientNames(page), ['Brasserie du Vieux-Port']);
    await page.context().close();
  });

  it('an admin declines an invitation: the page says so', async () => {
    const page = await newPage(world);
    await login(page, 'admin@cabinet-demo.fr');
    await page.goto(`${BASE}/clients?tab=invitations`);
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Cave à Vins Sélection' }) });
    await row.getByRole('button', { name: 'Refuser' }).click();
    // Nothing irreversible in one click: the dialog asks first.
    const dialog = page.getByRole('dialog', { name: 'Refuser la demande de Cave à Vins Sélection\u202f?' });
    await dialog.getByRole('button', { name: 'Refuser' }).click();
    await page.getByText('Invitation de Cave à Vins Sélection refusée.', { exact: false }).waitFor();
    assert.ok(!(await clientNames(page)).includes('Cave à Vins Sélection'));
    await page.context().close();
  });

  it('an admin selects rows and « Attribuer à… » one accountant', async () => {
    const page = await newPage(world);
    await login(page, 'admin@cabinet-demo.fr');
    await page.goto(`${BASE}/clients?tab=tous&q=ferme`);
    await listReady(page);
    await page.getByLabel('Sélectionner Ferme Bio du Vercors').check();
    await page.getByLabel('Attribuer à…').selectOption({ label: 'Hugo Bernard' });
    await page.getByRole('button', { name: 'Attribuer', exact: true }).click();
    await page.getByText('1 client sélectionné\u202f: 1 nouvelle attribution.').waitFor();
    const hugo = await newPage(world);
    await login(hugo, 'hugo.bernard@cabinet-demo.fr');
    await hugo.goto(`${BASE}/clients?q=ferme`);
    assert.deepEqual(await clientNames(hugo), ['Ferme Bio du Vercors']);
    await page.context().close();
    await hugo.context().close();
  });

  it('on the details page, a result does not outlive the next action', async () => {
    const page = await newPage(world);
    await login(page, 'admin@cabinet-demo.fr');
    await page.goto(`${BASE}/clients?tab=tous&q=pharmacie`);
    await listReady(page);
    await rowMenu(page, 'Pharmacie de la Gare', 'Afficher les détails');
    const choose = page.getByLabel('Attribuer un comptable');
    const name = (await choose.locator('option').first().textContent())!.trim();
    await choose.selectOption({ label: name });
    await page.getByRole('button', { name: 'Attribuer', exact: true }).click();
    await page.getByText('Comptable attribué.').waitFor();
    const assigned = page.locator('.assignment-list li').filter({ hasText: name });
    await assigned.getByRole('button', { name: `Retirer ${name}` }).click();
    await page
      .getByRole('dialog', { name: `Retirer ${name} de ce client\u202f?` })
      .getByRole('button', { name: 'Retirer' })
      .click();
    await assigned.waitFor({ state: 'detached' });
    assert.equal(await page.getByText('Comptable attribué.').count(), 0);
    await page.context().close();
  });

  it('an admin invites a client, who appears under « Intégration »', async () => {
    const page = await newPage(world);
    await login(page, 'admin@cabinet-demo.fr');
    await page.getByRole('link', { name: 'Inviter un client' }).click();
    await page.getByLabel('Nom de la société').fill('Boulangerie du Marché');
    await page.getByLabel('SIREN (facultatif)').fill('552 100 555');
    await page.getByLabel('E-mail du contact').fill('contact@boulangerie-du-marche.fr');
    await page.getByRole('button', { name: 'Envoyer l’invitation' }).click();
    await page.getByText('SIREN invalide\u202f: 9 chiffres avec une clé de contrôle valide.').waitFor();
    await page.getByLabel('SIREN (facultatif)').fill('552 100 554');
    await page.getByRole('button', { name: 'Envoyer l’invitation' }).click();
    await page.getByText(/Boulangerie du Marché est invité/).waitFor();
    await expectAccessible(page);
    await page.goto(`${BASE}/clients?tab=integration`);
    await page.getByRole('rowheader', { name: 'Boulangerie du Marché' }).waitFor();
    await page.context().close();
  });

  it('an admin invites a colleague, who chooses a password and logs in', async () => {
    const page = await newPage(world);
    await login(page, 'admin@cabinet-demo.fr');
    await page.getByRole('link', { name: 'Équipe' }).click();
    await page.getByLabel('Nom', { exact: true }).fill('Camille Roux');
    await page.getByLabel('E-mail', { exact: true }).fill('camille.roux@cabinet-demo.fr');
    await page.getByRole('button', { name: 'Envoyer l’invitation' }).click();
    await page.getByText('Invitation envoyée à camille.roux@cabinet-demo.fr. Le lien est valable 7 jours.').waitFor();
    await expectAccessible(page);
    await screenshot(page, 'equipe');
    await page.goto(`${BASE}/dev/outbox`);
    const text =
      (await page
        .getByRole('article', { name: /Rejoignez Cabinet Démo/ })
        .first()
        .textContent()) ?? '';
    const link = text.match(/http:\/\/[^\s"]+\/invitation\/[\w-]+/)![0];
    const fresh = await newPage(world);
    await fresh.goto(link);
    await expectAccessible(fresh);
    await fresh.getByLabel('Mot de passe', { exact: true }).fill('camille-mot-de-passe');
    await fresh.getByLabel('Confirmez le mot de passe').fill('camille-mot-de-passe');
    await fresh.getByRole('button', { name: 'Créer mon compte' }).click();
    await fresh.waitForURL(/\/connexion\?bienvenue=1/);
    await login(fresh, 'camille.roux@cabinet-demo.fr', 'camille-mot-de-passe');
    assert.deepEqual(await tabNames(fresh), ['Mes clients']);
    await page.context().close();
    await fresh.context().close();
  });
});

describe('Every other page', { concurrency: 1 }, () => {
  it('has no serious or critical accessibility violation', async () => {
    const page = await newPage(world);
    await login(page, 'admin@cabinet-demo.fr');
    // Not /dev/outbox: a development tool, whose sandboxed iframes (the e-mails, scripts off) axe
    // waits for forever.
    const sql = postgres(world.ownerUrl, { max: 1, onnotice: () => {} });
    const [pelican] = await sql<{ id: string; expense: string }[]>`
      SELECT c.id, (SELECT e.id FROM expenses e WHERE e.client_id = c.id ORDER BY e.spent_on LIMIT 1) AS expense
      FROM clients c WHERE c.name = ${DEMO_CODING_CLIENT}`;
    await sql.end();
    for (const path of [
      '/compte',
      '/equipe',
      '/equipe/plan-comptable',
      '/clients/groupes',
      `/clients/${pelican!.id}/comptabilite`,
      `/clients/${pelican!.id}/depenses/${pelican!.expense}`,
      `/clients/${pelican!.id}/details`,
      '/clients/00000000-0000-4000-8000-000000000000',
      '/desabonnement/lien-invalide',
      '/invitation/lien-invalide',
    ]) {
      await page.goto(`${BASE}${path}`);
      await page.locator('h1').first().waitFor();
      await expectAccessible(page);
    }
    // An unknown client is a 404 that reveals nothing.
    const response = await page.goto(`${BASE}/clients/00000000-0000-4000-8000-000000000000`);
    assert.equal(response?.status(), 404);
    await page.getByRole('heading', { name: 'Page introuvable' }).waitFor();
    await page.context().close();
  });
});

describe('In English', { concurrency: 1 }, () => {
  it('the login page follows the browser, then « Langue » puts the whole walk and the e-mails in English', async () => {
    const context = await world.browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'en-GB',
      timezoneId: 'Europe/Paris',
    });
    const page = watchPage(await context.newPage());
    // Before login: the browser's Accept-Language.
    await page.goto(`${BASE}/connexion`);
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    await page.getByLabel('Email').fill('hugo.bernard@cabinet-demo.fr');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${BASE}/clients**`);
    // Hugo's own choice is French (the seed's): the portal follows the user, not the browser.
    await page.getByRole('navigation', { name: 'Onglets des clients' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
    await page.goto(`${BASE}/compte`);
    await page.getByLabel('Langue').selectOption('en');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Language saved.').waitFor();
    await page.goto(`${BASE}/clients`);
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.ok((await tabNamesIn(page, 'Client tabs')).includes('My clients'));
    await page.getByLabel('Search clients').fill('pharmacie');
    await page.waitForURL(/q=pharmacie/);
    await listReady(page);
    await page.getByText(/^1–1 of 1 client$/).waitFor();
    await expectAccessible(page);
    await rowMenu(page, 'Pharmacie de la Gare', 'Show details');
    await page.getByRole('heading', { name: 'Client details' }).waitFor();
    await page.getByLabel('Email', { exact: true }).check();
    await page.getByLabel('Select the frequency').selectOption({ label: 'Monthly' });
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/Preference saved\. Next email: Monday \d+ \p{L}+ at 10:00\./u).waitFor();
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Open client' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Pharmacie de la Gare' }).waitFor();
    // The browser tab is named after the client (the title arrives with the page's metadata).
    await page.waitForFunction(() => document.title === 'Pharmacie de la Gare · Portail Partenaires');
    await page.getByText('Account balance').first().waitFor();
    await expectAccessible(page);
    await context.close();

    // A French admin reminds Hugo: the admin works in French, Hugo's e-mail is in English.
    const admin = await newPage(world);
    await login(admin, 'admin@cabinet-demo.fr');
    await admin.goto(`${BASE}/clients?tab=tous&q=pharmacie`);
    await rowMenu(admin, 'Pharmacie de la Gare', 'Notifier les comptables');
    await admin.getByLabel(/Reçus manquants/).check();
    await admin.getByRole('button', { name: 'Envoyer un e-mail' }).click();
    await admin.getByText(/Et voilà/).waitFor();
    await admin.goto(`${BASE}/dev/outbox`);
    const email = admin.getByRole('article', { name: 'Reminder: open tasks for Pharmacie de la Gare' }).first();
    await email.waitFor();
    assert.match((await email.textContent()) ?? '', /hugo\.bernard@cabinet-demo\.fr/);
    await admin.context().close();
  });
});

describe('Look', { concurrency: 1 }, () => {
  it('shows that a page is loading while a link waits for it', async () => {
    const page = await newPage(world);
    await login(page, 'admin@cabinet-demo.fr');
    await page.goto(`${BASE}/compte`);
    // Hold the Clients page's server response for a moment, as a slow network would.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/clients(\?|$)/, async (route) => {
      await held;
      await route.continue();
    });
    await page
      .getByRole('navigation', { name: 'Navigation principale' })
      .getByRole('link', { name: 'Clients' })
      .click();
    const loading = page.getByRole('status').filter({ hasText: 'Chargement…' });
    await loading.waitFor();
    assert.ok(await page.locator('.nav-progress').isVisible());
    release();
    await page.getByRole('navigation', { name: 'Onglets des clients' }).waitFor();
    await loading.waitFor({ state: 'hidden' });
    assert.equal(await page.locator('.nav-progress').count(), 0);
    await page.context().close();
  });

  it('the digest e-mail reads on a 390 px phone without scrolling sideways', async () => {
    // The HTML exactly as the digest run renders it.
    const html = await renderHtml(DigestEmail, DigestEmail.PreviewProps);
    const page = await newPage(world, 390, 844);
    await page.setContent(html);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(overflow <= 1, `the digest scrolls sideways by ${overflow}px at 390 px`);
    await page.context().close();
  });

  it('is usable at 390 px wide', async () => {
    const page = await newPage(world, 390, 844);
    await login(page, 'admin@cabinet-demo.fr');
    await page.goto(`${BASE}/clients?tab=tous`);
    // At this width the search is folded behind « Filtres » once the page runs.
    await listReady(page);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px`);
    await screenshot(page, 'clients-mobile');
    await page.context().close();
  });
});

describe('The Clients page on every tab, phone and desktop', { concurrency: 1 }, () => {
  /** The page, and every list box against what it holds: neither scrolls sideways. */
  const overflows = (page: Page) =>
    page.evaluate(() => {
      const found: string[] = [];
      const root = document.documentElement;
      if (root.scrollWidth > root.clientWidth + 1) found.push(`page by ${root.scrollWidth - root.clientWidth}px`);
      for (const box of document.querySelectorAll('.table-wrap')) {
        const table = box.querySelector('table')!;
        const boxRect = box.getBoundingClientRect();
        if (box.scrollWidth > box.clientWidth + 1) found.push(`box scrolls by ${box.scrollWidth - box.clientWidth}px`);
        if (table.getBoundingClientRect().width > boxRect.width + 1)
          found.push(`table ${table.getBoundingClientRect().width}px in a ${boxRect.width}px box`);
        for (const row of box.querySelectorAll('tbody tr')) {
          const right = row.getBoundingClientRect().right;
          if (right > boxRect.right + 1) found.push(`row ends ${right - boxRect.right}px past its box`);
          for (const cell of row.children) {
            const r = cell.getBoundingClientRect();
            if (r.right > boxRect.right + 1)
              found.push(`cell ${cell.className} ends ${r.right - boxRect.right}px past`);
          }
        }
      }
      return found;
    });

  for (const [who, tabs] of [
    ['admin@cabinet-demo.fr', ['invitations', 'integration', 'mes-clients', 'tous']],
    ['lea.martin@cabinet-demo.fr', ['integration', 'mes-clients']],
  ] as const) {
    for (const width of [390, 1280]) {
      it(`${who} at ${width} px: no sideways scroll on any tab${width === 390 ? ', one card per client' : ''}`, async () => {
        const page = await newPage(world, width, width === 390 ? 844 : 800);
        await login(page, who);
        for (const tab of tabs) {
          await page.goto(`${BASE}/clients?tab=${tab}`);
          await listReady(page);
          assert.deepEqual(await overflows(page), [], `${tab} at ${width}px`);
          const rows = page.locator('tbody tr');
          assert.ok((await rows.count()) > 0, `${tab} has rows`);
          if (width === 390) {
            // A card per client: the row laid out as a box of its own, the header row out of sight,
            // the name still the row's header for screen readers.
            const card = await rows.first().evaluate((row) => ({
              display: getComputedStyle(row).display,
              width: row.getBoundingClientRect().width,
              header: (row.closest('table')!.querySelector('thead') as HTMLElement).getBoundingClientRect().height,
            }));
            assert.equal(card.display, 'flex');
            assert.ok(card.width <= 390 - 24, `a card of ${card.width}px`);
            assert.ok(card.header <= 1);
            assert.ok((await page.getByRole('rowheader').count()) > 0);
          }
          await expectAccessible(page);
        }
        if (width === 390) {
          // The tabs scroll sideways in their own strip rather than pushing the page.
          const strip = await page
            .locator('.tabs')
            .first()
            .evaluate((tabs) => ({ overflowX: getComputedStyle(tabs).overflowX, wraps: tabs.scrollHeight > 60 }));
          assert.equal(strip.overflowX, 'auto');
          assert.equal(strip.wraps, false);
        }
        await page.context().close();
      });
    }
  }

  it('at 390 px the filters fold behind « Filtres (n) », n the active filters', async () => {
    const page = await newPage(world, 390, 844);
    await login(page, 'admin@cabinet-demo.fr');
    await page.goto(`${BASE}/clients?tab=tous&q=e&missing=1`);
    await listReady(page);
    const toggle = page.getByRole('button', { name: 'Filtres (2)' });
    await toggle.waitFor();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.equal(await page.getByLabel('Rechercher des clients').isVisible(), false);
    // The chips still say what filters the list.
    await page.getByRole('list', { name: 'Filtres actifs' }).waitFor();
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    const search = page.getByLabel('Rechercher des clients');
    await search.waitFor();
    assert.equal(await search.inputValue(), 'e');
    await expectAccessible(page);
    await search.fill('');
    await page.waitForURL((url) => !url.search.includes('q='));
    await page.getByRole('button', { name: 'Filtres (1)' }).waitFor();
    await page.context().close();
  });
});

describe('Security', { concurrency: 1 }, () => {
  it('sends the security headers on a page, a route handler, a 404 and the CSV download', async () => {
    const page = await newPage(world);
    await login(page, 'admin@cabinet-demo.fr');
    await page.goto(`${BASE}/clients?tab=tous&q=boucherie`);
    await rowMenu(page, 'Boucherie Lefèvre & Fils', 'Accéder au client');
    await page.getByRole('link', { name: /Exportées/ }).click();
    const download = await page.getByRole('link', { name: 'CSV', exact: true }).first().getAttribute('href');
    const responses = {
      page: await page.request.get(`${BASE}/clients`),
      route: await page.request.get(`${BASE}/api/health`),
      notFound: await page.request.get(`${BASE}/clients/00000000-0000-4000-8000-000000000000`),
      csv: await page.request.get(`${BASE}${download}`),
    };
    assert.equal(responses.notFound.status(), 404);
    assert.equal(responses.csv.headers()['content-type'], 'text/csv; charset=utf-8');
    for (const [what, response] of Object.entries(responses)) {
      const headers = response.headers();
      assert.match(headers['content-security-policy'] ?? '', /frame-ancestors 'none'/, what);
      assert.match(headers['content-security-policy'] ?? '', /script-src 'self' 'nonce-/, what);
      assert.equal(headers['x-content-type-options'], 'nosniff', what);
      assert.equal(headers['referrer-policy'], 'strict-origin-when-cross-origin', what);
      assert.ok(headers['permissions-policy'], what);
    }
    await page.context().close();
  });

  it('an authenticated page cannot be framed', async () => {
    // Not watched: the refusal it provokes is the point of this test.
    const context = await world.browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    const refused: string[] = [];
    page.on('console', (message) => {
      if (/frame-ancestors/.test(message.text())) refused.push(message.text());
    });
    await login(page, 'admin@cabinet-demo.fr');
    await page.setContent(`<iframe src="${BASE}/equipe" style="width:800px;height:600px"></iframe>`);
    await page.waitForTimeout(1000);
    const frame = page.frames().find((f) => f.url().includes('/equipe'));
    const framedText = frame ? await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '') : '';
    assert.ok(!framedText.includes('Équipe'), 'the Équipe page rendered inside a frame');
    assert.ok(refused.length > 0, 'the browser did not report the refused frame');
    await context.close();
  });

  it('no page of the walk reported a Content-Security-Policy violation or a script error', () => {
    assert.deepEqual(pageProblems(), []);
  });
});

describe('Two-factor login', { concurrency: 1 }, () => {
  it('sets it up from the shown key, then logs in with a code, then with a recovery code', async () => {
    const page = await newPage(world);
    await login(page, 'marc.petit@fiduciaire-lumiere.fr');
    await page.goto(`${BASE}/compte/securite`);
    await page.getByRole('button', { name: 'Activer la double authentification' }).click();
    const key = ((await page.locator('.totp-key').textContent()) ?? '').replace(/\s+/g, '');
    assert.match(key, /^[A-Z2-7]{32}$/);
    await expectAccessible(page);
    await page.getByLabel('Code à 6 chiffres').fill(codeAt(key, new Date()));
    await page.getByRole('button', { name: 'Confirmer' }).click();
    await page.getByRole('heading', { name: 'Vos codes de secours' }).waitFor();
    const codes = (await page.locator('.recovery-codes code').allTextContents()).map((c) => c.trim());
    assert.equal(codes.length, 10);
    assert.ok(await page.getByRole('link', { name: 'Télécharger' }).getAttribute('download'));
    await page.getByRole('link', { name: 'J’ai enregistré mes codes' }).click();
    await page.getByText(/Double authentification activée le/).waitFor();
    await expectAccessible(page);

    // Log out, then in with the password and a code (the next step's: this one is spent).
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.waitForURL(/\/connexion/);
    await page.getByLabel('E-mail').fill('marc.petit@fiduciaire-lumiere.fr');
    await page.getByLabel('Mot de passe').fill(PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: 'Code de vérification' }).waitFor();
    await expectAccessible(page);
    await page.getByLabel('Code de vérification').fill(codeAt(key, new Date(Date.now() + 30_000)));
    await page.getByRole('button', { name: 'Vérifier' }).click();
    await page.getByRole('navigation', { name: 'Onglets des clients' }).waitFor();

    // And with a recovery code.
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.waitForURL(/\/connexion/);
    await page.getByLabel('E-mail').fill('marc.petit@fiduciaire-lumiere.fr');
    await page.getByLabel('Mot de passe').fill(PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('link', { name: 'Utiliser un code de secours' }).click();
    await page.getByLabel('Code de secours').fill(codes[0]!);
    await page.getByRole('button', { name: 'Vérifier' }).click();
    await page.getByRole('navigation', { name: 'Onglets des clients' }).waitFor();
    await page.context().close();
  });

  it('the Journal shows who opened a client, filters it, and is clean for axe', async () => {
    const page = await newPage(world);
    await login(page, 'admin@cabinet-demo.fr');
    await page
      .getByRole('navigation', { name: 'Navigation principale' })
      .getByRole('link', { name: 'Journal' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Journal d’activité' }).waitFor();
    await page.getByLabel('Action').selectOption({ label: 'Accès au client' });
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.waitForURL(/action=client_opened/);
    assert.ok((await page.locator('tbody tr').count()) > 0);
    await expectAccessible(page);
    await page.context().close();
  });

  it('the second demo firm’s admin logs in with the README’s key', async () => {
    const page = await newPage(world);
    await page.goto(`${BASE}/connexion`);
    await page.getByLabel('E-mail').fill('admin@fiduciaire-lumiere.fr');
    await page.getByLabel('Mot de passe').fill(PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByLabel('Code de vérification').fill(codeAt(DEMO_TOTP_SECRET, new Date()));
    await page.getByRole('button', { name: 'Vérifier' }).click();
    await page.getByRole('navigation', { name: 'Onglets des clients' }).waitFor();
    await page.context().close();
  });
});

describe('Chasing missing receipts', { concurrency: 1 }, () => {
  /** A real 1×1 PNG. */
  const PNG = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGN49uwZAAVoArMCxcTLAAAAAElFTkSuQmCC',
    'base64',
  );
  const missingCount = async (page: Page) =>
    Number(
      (
        await page
          .getByRole('link', { name: /^Reçus manquants/ })
          .first()
          .textContent()
      )?.replace(/\D+/g, '') ?? NaN,
    );

  it('« Demander les reçus » → the link in a fresh browser → a real PNG → the counters drop', async () => {
    const page = await newPage(world);
    await login(page, 'lea.martin@cabinet-demo.fr');
    await rowMenu(page, 'Boucherie Lefèvre & Fils', 'Accéder au client');
    await page.getByRole('heading', { level: 1, name: 'Boucherie Lefèvre & Fils' }).waitFor();
    // The account opens on « À coder »; the receipts are one tab away.
    await page
      .getByRole('link', { name: /^Reçus manquants/ })
      .first()
      .click();
    await page.waitForURL(/vue=missing/);
    // The demo's request: one receipt in, the D+3 follow-up out.
    await page.getByRole('heading', { name: 'Demandes en cours' }).waitFor();
    await page
      .getByText(/relancé 1×/)
      .first()
      .waitFor();
    const before = await missingCount(page);
    const boxes = page.getByRole('checkbox', { name: /^Demander le reçu de/ });
    await boxes.first().check();
    await boxes.nth(1).check();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Demander les reçus' }).click();
    await page.getByRole('heading', { level: 1, name: /^Demander les reçus/ }).waitFor();
    await page
      .getByText(/titulaire de la carte|contact du client/)
      .first()
      .waitFor();
    await page.getByLabel('Message (facultatif)').fill('Avant vendredi, merci.');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Envoyer les demandes' }).click();
    await page.getByText(/demandes? envoyées?/i).waitFor();
    await page.context().close();

    // The e-mail, read where the demo keeps it: the outbox (admins).
    const admin = await newPage(world);
    await login(admin, 'admin@cabinet-demo.fr');
    await admin.goto(`${BASE}/dev/outbox`);
    const email = admin.getByRole('article', { name: /à envoyer pour Boucherie Lefèvre & Fils$/ }).first();
    await email.waitFor();
    const text = (await email.locator('pre').textContent()) ?? '';
    assert.match(text, /Léa Martin, de Cabinet Démo,/);
    const link = /https?:\/\/\S+\/recus\/[A-Za-z0-9_-]{43}/.exec(text)?.[0];
    assert.ok(link, 'a link in the e-mail');
    await admin.context().close();

    // Opened on a phone, without any session.
    const phone = await newPage(world, 390, 844);
    await phone.goto(link.replace(/^https?:\/\/[^/]+/, BASE));
    await phone.getByRole('heading', { level: 1, name: 'Reçus demandés par Cabinet Démo' }).waitFor();
    await expectAccessible(phone);
    const overflow = await phone.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(overflow <= 0, `horizontal overflow of ${overflow}px at 390px`);
    const firstFile = phone.getByLabel('Photo ou PDF du reçu').first();
    assert.equal(await firstFile.getAttribute('capture'), 'environment');
    // A file that says PDF but is HTML gets a clear message next to its expense, and nothing is kept.
    await firstFile.setInputFiles({
      name: 'recu.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('<html><body>x</body></html>'),
    });
    await phone.getByRole('button', { name: 'Envoyer le reçu' }).first().click();
    await phone.getByRole('alert').filter({ hasText: 'ni un PDF ni une image' }).waitFor();
    await expectAccessible(phone);
    await phone
      .getByLabel('Photo ou PDF du reçu')
      .first()
      .setInputFiles({ name: 'recu.png', mimeType: 'image/png', buffer: PNG });
    await phone.getByRole('button', { name: 'Envoyer le reçu' }).first().click();
    await phone.getByText('Merci, le reçu est bien arrivé.').waitFor();
    await expectAccessible(phone);
    await phone.context().close();

    const back = await newPage(world);
    await login(back, 'lea.martin@cabinet-demo.fr');
    await rowMenu(back, 'Boucherie Lefèvre & Fils', 'Accéder au client');
    await back.getByRole('heading', { level: 1, name: 'Boucherie Lefèvre & Fils' }).waitFor();
    assert.equal(await missingCount(back), before - 1);
    await back.context().close();
  });

  it('« Poser une question » from the coding grid → answered on a phone → the answer on the row', async () => {
    const page = await newPage(world);
    await login(page, 'lea.martin@cabinet-demo.fr');
    await rowMenu(page, 'Boucherie Lefèvre & Fils', 'Accéder au client');
    await page.getByRole('heading', { level: 1, name: 'Boucherie Lefèvre & Fils' }).waitFor();
    // « Tout sélectionner (n) » ticks every row the grid shows, and unticks them.
    const all = page.getByRole('checkbox', { name: /^Tout sélectionner \(\d+\)$/ });
    const shown = Number(/\((\d+)\)/.exec((await all.getAttribute('aria-label')) ?? '')![1]);
    await all.check();
    await page.getByText(shown === 1 ? '1 dépense sélectionnée' : `${shown} dépenses sélectionnées`).waitFor();
    assert.equal(await page.getByRole('checkbox', { name: /^Sélectionner/, checked: true }).count(), shown);
    await all.uncheck();
    assert.equal(await page.getByRole('checkbox', { name: /^Sélectionner/, checked: true }).count(), 0);
    const box = page.getByRole('checkbox', { name: /^Sélectionner/ }).first();
    await box.check();
    await page.getByRole('link', { name: 'Poser une question (1)' }).click();
    await page.getByRole('heading', { level: 1, name: /^Demander les reçus/ }).waitFor();
    await page
      .getByRole('combobox', { name: 'Question', exact: true })
      .selectOption({ label: 'De quoi s’agit-il\u202f?' });
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Envoyer les demandes' }).click();
    await page.getByText(/demandes? envoyées?/i).waitFor();
    await page.context().close();

    const admin = await newPage(world);
    await login(admin, 'admin@cabinet-demo.fr');
    await admin.goto(`${BASE}/dev/outbox`);
    const email = admin.getByRole('article', { name: /question.* pour Boucherie Lefèvre & Fils$/ }).first();
    await email.waitFor();
    const text = (await email.locator('pre').textContent()) ?? '';
    assert.match(text, /Question\u202f: De quoi s’agit-il/);
    const link = /https?:\/\/\S+\/recus\/[A-Za-z0-9_-]{43}/.exec(text)?.[0];
    assert.ok(link, 'a link in the e-mail');
    await admin.context().close();

    const phone = await newPage(world, 390, 844);
    await phone.goto(link.replace(/^https?:\/\/[^/]+/, BASE));
    await phone.getByRole('heading', { level: 1, name: 'Reçus et questions de Cabinet Démo' }).waitFor();
    await expectAccessible(phone);
    await phone.getByRole('textbox', { name: 'De quoi s’agit-il\u202f?' }).fill('Repas avec le fournisseur Dupont');
    await phone.getByRole('button', { name: 'Envoyer la réponse' }).click();
    await phone.getByText('Merci, votre réponse est bien arrivée.').waitFor();
    const overflow = await phone.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(overflow <= 0, `horizontal overflow of ${overflow}px at 390px`);
    await expectAccessible(phone);
    await phone.context().close();

    const back = await newPage(world);
    await login(back, 'lea.martin@cabinet-demo.fr');
    await rowMenu(back, 'Boucherie Lefèvre & Fils', 'Accéder au client');
    await back.getByText(/Réponse de .*«\u202fRepas avec le fournisseur Dupont\u202f»/).waitFor();

    // What came back waits in the Boîte de réception, counted in the header.
    const inboxLink = back.getByRole('link', { name: /^Boîte de réception \(\d+\)$/ });
    const before = Number(/\((\d+)\)/.exec((await inboxLink.textContent()) ?? '')![1]);
    assert.ok(before >= 1, 'the answer is counted in the header');
    await inboxLink.click();
    await back.getByRole('heading', { level: 1, name: 'Boîte de réception' }).waitFor();
    const item = back.getByRole('listitem').filter({ hasText: 'Repas avec le fournisseur Dupont' });
    await item
      .getByText(/^Réponse/)
      .first()
      .waitFor();
    await expectAccessible(back);
    await item.getByRole('button', { name: /^Marquer « Réponse · Boucherie Lefèvre & Fils/ }).click();
    // Marked, it leaves the list, and the top of the page says so.
    await back.getByRole('status').filter({ hasText: '1 élément marqué comme traité.' }).waitFor();
    await back.goto(`${BASE}/boite`);
    assert.equal(await back.getByRole('listitem').filter({ hasText: 'Repas avec le fournisseur Dupont' }).count(), 0);
    const after = back
      .getByRole('navigation', { name: 'Navigation principale' })
      .getByRole('link', { name: /^Boîte de réception/ });
    assert.equal(
      (await after.textContent())?.trim(),
      before - 1 === 0 ? 'Boîte de réception' : `Boîte de réception (${before - 1})`,
    );
    await back.goto(`${BASE}/boite?etat=traites`);
    await back
      .getByRole('listitem')
      .filter({ hasText: 'Repas avec le fournisseur Dupont' })
      .getByText(/^Traité par Léa Martin/)
      .waitFor();
    await back.context().close();

    // On a phone: the same list, nothing wider than the screen, clean for axe.
    const small = await newPage(world, 390, 844);
    await login(small, 'lea.martin@cabinet-demo.fr');
    await small.goto(`${BASE}/boite?etat=traites`);
    await small.getByRole('heading', { level: 1, name: 'Boîte de réception' }).waitFor();
    const wide = await small.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(wide <= 0, `horizontal overflow of ${wide}px at 390px`);
    await expectAccessible(small);
    await small.context().close();
  });

  it('a wrong link says nothing about what exists', async () => {
    const page = await newPage(world);
    const response = await page.goto(`${BASE}/recus/${'x'.repeat(43)}`);
    assert.equal(response?.status(), 404);
    await page.getByRole('heading', { name: 'Ce lien n’est pas valable' }).waitFor();
    await expectAccessible(page);
    await page.context().close();
  });
});

// Last: it subscribes the admin to every connected client of the demo firm.
describe('Selecting clients across pages, and the whole list', { concurrency: 1 }, () => {
  it('keeps the ticked rows through paging, and « Tout sélectionner (n) » asks before acting on n clients', async () => {
    const page = await newPage(world, 1280, 900);
    await login(page, 'admin@cabinet-demo.fr');
    await page.goto(`${BASE}/clients?tab=tous`);
    await listReady(page);
    const status = page.locator('.bulk-selection [role="status"]');
    await page.getByRole('checkbox', { name: 'Sélectionner Agence Créa’Com' }).check();
    await page.getByRole('checkbox', { name: "Sélectionner Aux Délices d'Ève" }).check();
    await page.waitForFunction(
      () => document.querySelector('.bulk-selection [role="status"]')?.textContent === '2 clients sélectionnés',
    );
    const onPage1 = (await clientNames(page))[0]!;
    await page.getByRole('link', { name: 'Suivant' }).click();
    await page.waitForURL(/page=2/);
    // The second page's rows, not the first's still on screen.
    await page.waitForFunction(
      (first) => document.querySelector('tbody tr th')?.textContent?.trim() !== first,
      onPage1,
    );
    const onPage2 = (await clientNames(page))[0]!;
    await page.getByRole('checkbox', { name: `Sélectionner ${onPage2}` }).check();
    await page.waitForFunction(
      () =>
        document.querySelector('.bulk-selection [role="status"]')?.textContent ===
        '3 clients sélectionnés (dont 2 sur d’autres pages)',
    );
    await page.getByLabel('Recevoir un récapitulatif…').selectOption('daily');
    await page.getByRole('button', { name: 'Recevoir' }).click();
    await page.getByText('Récapitulatif quotidien activé pour 3 clients.').waitFor();
    // Back on page 1, its two rows are still ticked.
    await page.getByRole('link', { name: 'Précédent' }).click();
    await page.waitForURL((url) => !url.search.includes('page=2'));
    await page.waitForFunction(
      () => document.querySelectorAll('input[name="clientIds"][type="checkbox"]:checked').length === 2,
    );
    await page.getByRole('button', { name: 'Effacer la sélection' }).click();
    assert.equal(await page.locator('input[name="clientIds"][type="checkbox"]:checked').count(), 0);
    // Another list (a search) starts afresh.
    await page.getByRole('checkbox', { name: 'Sélectionner Agence Créa’Com' }).check();
    await page.getByLabel('Rechercher des clients').fill('bou');
    await page.waitForURL(/q=bou/);
    await page.waitForFunction(() => !document.querySelector('.bulk-selection [role="status"]')?.textContent);
    await page.goto(`${BASE}/clients?tab=tous`);
    await listReady(page);
    assert.equal(await page.locator('input[name="clientIds"][type="checkbox"]:checked').count(), 0);

    // The whole list: every row of the page ticked, the count said, then a confirmation by keyboard.
    const total = Number((await page.getByText(/^1–25 sur \d+ clients$/).textContent())!.match(/sur (\d+)/)![1]);
    const all = page.getByRole('checkbox', { name: `Tout sélectionner (${total})` });
    await all.check();
    assert.equal(await page.locator('input[name="clientIds"][type="checkbox"]:not(:checked)').count(), 0);
    await status.filter({ hasText: `Les ${total} clients de la liste sont sélectionnés.` }).waitFor();
    await page.getByLabel('Recevoir un récapitulatif…').selectOption('monthly');
    const receive = page.getByRole('button', { name: 'Recevoir' });
    await confirmByKeyboard(page, receive, `Appliquer à ${total} clients\u202f?`, 'Confirmer');
    await page.keyboard.press('Enter');
    await page.getByText(`Récapitulatif mensuel activé pour ${total} clients.`).waitFor();
    // Every client of the list now shows the bell, the second page too.
    await page.getByRole('link', { name: 'Suivant' }).click();
    await page.waitForURL(/page=2/);
    await listReady(page);
    assert.equal(await page.locator('tbody tr').count(), await page.locator('tbody tr .bell').count());
    await page.context().close();
  });
});

describe('Receipts forwarded by e-mail', { concurrency: 1 }, () => {
  it('« Déposer un reçu » on a client’s account: the photo lands in the inbox, said at the top', async () => {
    const page = await newPage(world, 390, 844);
    await login(page, 'lea.martin@cabinet-demo.fr');
    await rowMenu(page, 'Boucherie Lefèvre & Fils', 'Accéder au client');
    await page.getByRole('heading', { level: 1, name: 'Boucherie Lefèvre & Fils' }).waitFor();
    await page.goto(`${page.url().split('?')[0]}?vue=missing`);
    await page.getByRole('heading', { level: 2, name: 'Déposer un reçu' }).waitFor();
    await page.getByLabel('Reçu ou facture (PDF ou photo)').setInputFiles({
      name: 'IMG_0002.png',
      mimeType: 'image/png',
      buffer: Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
        'base64',
      ),
    });
    await page.getByRole('button', { name: 'Déposer', exact: true }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /^Reçu déposé/ })
      .waitFor();
    await expectAccessible(page);
    await page.goto(`${BASE}/boite`);
    await page.getByRole('listitem').filter({ hasText: 'IMG_0002.png' }).first().waitFor();
    await page.context().close();
  });

  it('« Demander les reçus » from the Clients page asks the ticked clients’ missing receipts, one e-mail per person', async () => {
    const page = await newPage(world);
    await login(page, 'lea.martin@cabinet-demo.fr');
    await listReady(page);
    await page.getByRole('checkbox', { name: 'Sélectionner Société Générale de Boulangerie' }).check();
    await page.getByRole('checkbox', { name: 'Sélectionner Œnologie Bordelaise SARL' }).check();
    await page.getByRole('button', { name: 'Demander les reçus' }).click();
    await page.getByText(/reçus? manquants? demandés? pour 2 clients, en \d+ e-mails?/).waitFor();
    await page.context().close();
  });

  it('Léa sees the forwarded photo in her inbox, looks at it, and confirms the suggested expense, at 1280 and 390 px', async () => {
    // The demo's photo, forwarded by Camille to the Boucherie's receipt address (db/seed.ts); the
    // webhook's path from Resend to this row is tested in test/inbound.test.ts and instances.test.ts.
    for (const width of [390, 1280]) {
      const page = await newPage(world, width, width === 390 ? 844 : 900);
      await login(page, 'lea.martin@cabinet-demo.fr');
      await page.goto(`${BASE}/boite`);
      await page.getByRole('heading', { level: 2, name: /^Documents? reçus? à rattacher$/ }).waitFor();
      const item = page.getByRole('listitem').filter({ hasText: 'IMG_2041.png' });
      await item.getByText('À confirmer').waitFor();
      await item.getByText(/^Correspond probablement à\u202f: Total Énergies du /).waitFor();
      await item.getByText('de Camille Lefèvre <camille.lefevre@').waitFor();
      const wide = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      assert.ok(wide <= 0, `horizontal overflow of ${wide}px at ${width}px`);
      await expectAccessible(page);
      if (width === 390) {
        await page.context().close();
        continue;
      }
      // The document itself, served to her.
      const href = await item.getByRole('link', { name: 'Voir le document (IMG_2041.png)' }).getAttribute('href');
      const file = await page.request.get(`${BASE}${href}`);
      assert.equal(file.status(), 200);
      assert.equal(file.headers()['content-type'], 'image/png');
      // The expense is chosen already; the list answers to typing. One press of « Rattacher ».
      const choice = item.getByRole('combobox', { name: 'Dépense' });
      assert.match((await choice.locator('option:checked').textContent()) ?? '', /^Total Énergies du /);
      const counter = page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', {
        name: /^Boîte de réception/,
      });
      const before = Number(/\((\d+)\)/.exec((await counter.textContent()) ?? '')?.[1] ?? 0);
      assert.ok(before >= 1, 'the document is counted in the header');
      await item.getByRole('button', { name: /^Rattacher « IMG_2041\.png · Boucherie Lefèvre & Fils »/ }).click();
      await page.getByRole('status').filter({ hasText: 'Document rattaché' }).waitFor();
      assert.equal(await page.getByRole('listitem').filter({ hasText: 'IMG_2041.png' }).count(), 0);
      const after = Number(/\((\d+)\)/.exec((await counter.textContent()) ?? '')?.[1] ?? 0);
      assert.equal(after, before - 1);
      await page.context().close();
    }
  });
});
