// npm run bench:web: what each main page costs a browser, on `next start` (after `npm run build`)
// in Debian's Chromium, cold cache, as a phone would see it: the CPU slowed 4× and a 4G link
// (Lighthouse's « Slow 4G »: 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up). For each page:
// - the JavaScript it downloads, compressed as sent (the target of issue 25: ≤ 130 KB a page);
// - its largest contentful paint;
// - how long a click right after `load` waits before the page paints its answer (the Event Timing
//   API's first input: from the click to the next paint).
//
// DATABASE_URL (or 127.0.0.1:5432) names the server; the bench makes its own database, portail_web.
import { chromium, type BrowserContext } from 'playwright-core';
import { closeDatabase, db, queryRows } from '@/db';
import { DEMO_PASSWORD, seedDemo } from '@/db/seed';
import { sql } from 'drizzle-orm';
import { freshBenchDatabase, median, startNext } from './lib';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium';

const PORT = 3291;
const BASE = `http://127.0.0.1:${PORT}`;
const RUNS = Number(process.env.WEB_RUNS ?? 3);
const server = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
server.pathname = '/portail_web';
const URL_WEB = server.toString();
const TOTP_KEY = 'BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=';
// The seed encrypts the demo's two-factor secret with the key the server will read.
process.env.TOTP_ENCRYPTION_KEY ??= TOTP_KEY;
const SLOW_4G = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1024 * 1024) / 8,
  uploadThroughput: (750 * 1024) / 8,
};

async function prepare(): Promise<string> {
  await freshBenchDatabase(URL_WEB);
  await seedDemo(db);
  const [client] = await queryRows<{ id: string }>(
    sql`SELECT id FROM clients WHERE status = 'active' ORDER BY name LIMIT 1`,
  );
  await closeDatabase();
  return client!.id;
}

type Measure = { jsBytes: number; lcp: number; click: number };

async function measure(context: BrowserContext, path: string): Promise<Measure> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  const scripts = new Set<string>();
  let jsBytes = 0;
  cdp.on('Network.responseReceived', (event) => {
    if (event.type === 'Script') scripts.add(event.requestId);
  });
  cdp.on('Network.loadingFinished', (event) => {
    if (scripts.has(event.requestId)) jsBytes += event.encodedDataLength;
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __lcp: number; __click: number };
    w.__lcp = 0;
    w.__click = -1;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__lcp = entry.startTime;
    }).observe({ type: 'largest-contentful-paint', buffered: true });
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__click = entry.duration;
    }).observe({ type: 'first-input', buffered: true });
  });
  await page.goto(`${BASE}${path}`, { waitUntil: 'load' });
  // A click in the page's top-left corner, which does nothing: what it measures is how busy the
  // page still is (hydration, scripts) when the user first taps.
  await page.mouse.click(2, 2);
  await page.waitForFunction(() => (window as unknown as { __click: number }).__click >= 0, null, { timeout: 30_000 });
  const { lcp, click } = await page.evaluate(() => {
    const w = window as unknown as { __lcp: number; __click: number };
    return { lcp: w.__lcp, click: w.__click };
  });
  await page.close();
  return { jsBytes, lcp, click };
}

async function main() {
  console.log('Préparation de portail_web (Cabinet Démo)…');
  const clientId = await prepare();
  const app = await startNext(PORT, {
    DATABASE_URL: URL_WEB,
    NEXTAUTH_SECRET: 'bench-web-secret-0123456789abcdef0123456789',
    APP_URL: BASE,
    TOTP_ENCRYPTION_KEY: process.env.TOTP_ENCRYPTION_KEY ?? TOTP_KEY,
    PLATFORM_WEBHOOK_SECRET: 'bench-web-webhook-secret-0123456789',
    LOG_LEVEL: 'warn',
    NEXT_TELEMETRY_DISABLED: '1',
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
  });
  try {
    // One login, then a new context (an empty cache) per measure, carrying only the session cookie.
    const login = await browser.newContext({ locale: 'fr-FR' });
    const page = await login.newPage();
    await page.goto(`${BASE}/connexion`);
    await page.getByLabel('E-mail').fill('admin@cabinet-demo.fr');
    await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(`${BASE}/clients**`);
    const state = await login.storageState();
    await login.close();

    const pages: [string, string][] = [
      ['Connexion (anonyme)', '/connexion'],
      ['Clients', '/clients?tab=tous'],
      ['Compte d’un client', `/clients/${clientId}`],
      ['Détails d’un client', `/clients/${clientId}/details`],
      ['Mes notifications', '/compte/notifications'],
      ['Mon compte', '/compte'],
      ['Équipe', '/equipe'],
      ['Journal', '/journal'],
    ];
    console.log(`\n${RUNS} mesures par page (médianes), cache vide, CPU ×4, 4G lente\n`);
    console.log('| page | JS (Ko compressés) | LCP (ms) | clic → affichage (ms) |');
    console.log('| ---- | -----------------: | -------: | --------------------: |');
    for (const [name, path] of pages) {
      const runs: Measure[] = [];
      for (let i = 0; i < RUNS; i += 1) {
        const context = await browser.newContext({
          locale: 'fr-FR',
          ...(path === '/connexion' ? {} : { storageState: state }),
        });
        runs.push(await measure(context, path));
        await context.close();
      }
      const kb = median(runs.map((r) => r.jsBytes)) / 1024;
      console.log(
        `| ${name} | ${kb.toFixed(1)} | ${median(runs.map((r) => r.lcp)).toFixed(0)} | ${median(runs.map((r) => r.click)).toFixed(0)} |`,
      );
    }
  } finally {
    await browser.close();
    app.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
