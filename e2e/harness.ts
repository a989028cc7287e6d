import { execSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createAppDatabase } from './database';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium';

const PORT = Number(process.env.E2E_PORT ?? 3211);
export const BASE = `http://127.0.0.1:${PORT}`;
export const PASSWORD = 'demo-password';

/** `ownerUrl`: the test's own connection to the app's database, to prepare data and read rows back. */
export type World = { browser: Browser; ownerUrl: string; stop: () => Promise<void> };

const TOTP_KEY = 'BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=';

/**
 * `next build` (unless E2E_SKIP_BUILD=1), then `next start` as production runs it: on a fresh
 * PostgreSQL database (DATABASE_URL's server, or 127.0.0.1:5432) seeded with the demo firm, as the
 * restricted application role, with the outbox page on; then Debian's Chromium.
 */
export async function startWorld(): Promise<World> {
  if (process.env.E2E_SKIP_BUILD !== '1' || !existsSync('.next/BUILD_ID'))
    execSync('npx next build', { stdio: 'inherit' });
  // The seed encrypts the demo's two-factor secret with the key the server will read.
  process.env.TOTP_ENCRYPTION_KEY = TOTP_KEY;
  const database = await createAppDatabase(`portail_e2e_${process.pid}`, { seed: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: database.appUrl,
    NEXTAUTH_SECRET: 'e2e-secret-e2e-secret-e2e-secret',
    TOTP_ENCRYPTION_KEY: TOTP_KEY,
    NEXTAUTH_URL: BASE,
    MAIL_OUTBOX_PAGE: '1',
    NEXT_TELEMETRY_DISABLED: '1',
  };
  delete env.RESEND_API_KEY;
  const server = spawn('npx', ['next', 'start', '-p', String(PORT), '-H', '127.0.0.1'], {
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  server.stdout?.on('data', (c) => (log += c));
  server.stderr?.on('data', (c) => (log += c));
  const stopServer = async () => {
    try {
      process.kill(-server.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
    await new Promise((r) => setTimeout(r, 500));
    await database.drop();
  };
  let browser: Browser;
  try {
    const deadline = Date.now() + 90_000;
    for (;;) {
      try {
        if ((await fetch(`${BASE}/connexion`)).status === 200) break;
      } catch {
        // not up yet
      }
      if (Date.now() > deadline || server.exitCode !== null) throw new Error(`next start did not come up:\n${log}`);
      await new Promise((r) => setTimeout(r, 300));
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    });
  } catch (error) {
    // No world: nothing left behind (the server, its database).
    await stopServer();
    throw error;
  }
  return {
    browser,
    ownerUrl: database.ownerUrl,
    stop: async () => {
      await browser.close();
      await stopServer();
      if (process.env.E2E_SHOW_LOG === '1') console.log(log);
    },
  };
}

const problems: string[] = [];

/** What pages reported so far: CSP violations in the console, uncaught script errors. */
export function pageProblems(): string[] {
  return [...problems];
}

export function watchPage(page: Page): Page {
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to (load|execute|apply|connect|frame)/i.test(message.text())) {
      problems.push(`${page.url()}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`${page.url()}: ${error.message}`));
  return page;
}

export async function newPage(world: World, width = 1280, height = 900): Promise<Page> {
  const context = await world.browser.newContext({
    viewport: { width, height },
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
  });
  return watchPage(await context.newPage());
}

/** Logs in through the real form, as the article's users do. */
export async function login(page: Page, email: string, password = PASSWORD) {
  await page.goto(`${BASE}/connexion`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(`${BASE}/clients**`);
  // The login form navigates on the client: wait for the page itself, not only its URL.
  await page.getByRole('navigation', { name: 'Onglets des clients' }).waitFor();
}

/** Waits until the Clients page shows its table or its empty state. */
export async function listReady(page: Page) {
  await page.locator('table.table, .empty').first().waitFor();
}

/** axe-core: no serious or critical violation on the page as it is now. */
export async function expectAccessible(page: Page): Promise<void> {
  // Next streams metadata produced by generateMetadata after the page's first bytes: the <title>
  // may arrive a moment after the load event.
  await page.waitForFunction(() => document.title !== '', undefined, { timeout: 5_000 }).catch(() => undefined);
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length > 0) {
    const detail = bad
      .map(
        (v) =>
          `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes
            .slice(0, 3)
            .map((n) => n.target.join(' '))
            .join('\n  ')}`,
      )
      .join('\n');
    throw new Error(`accessibility violations on ${page.url()}:\n${detail}`);
  }
}

export async function screenshot(page: Page, name: string) {
  if (process.env.E2E_SCREENSHOTS === '0') return;
  await page.screenshot({ path: path.join('docs', `${name}.png`), fullPage: false });
}

/** Opens the "⋯" menu of a client row and picks an item, as the article's steps say. */
export async function rowMenu(page: Page, clientName: string, item: string) {
  await page
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: clientName, exact: true }) })
    .locator('summary')
    .click();
  await page.getByRole('link', { name: item }).and(page.locator('details[open] a')).click();
}
