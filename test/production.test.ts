import './public-url';
import { signInAs } from './session';
import { sql } from 'drizzle-orm';
import { NextRequest } from 'next/server';
import { queryRows } from '@/db';
import { GET as health } from '@/app/api/health/route';
import { GET as openClient } from '@/app/(app)/clients/ouvrir/route';
import { GET as unsubscribeGet, POST as unsubscribePost } from '@/app/api/unsubscribe/[token]/route';
import { POST as webhookPost } from '@/app/api/webhooks/platform/route';
import { checkCredentials } from '@/lib/auth/authorize';
import { clientAddress } from '@/lib/auth/client-address';
import {
  ADDRESS_DELAY_MAX_MS,
  ADDRESS_DELAY_STEP_MS,
  MAX_ADDRESS_FAILURES,
  MAX_FAILURES,
  SLOW_DOWN_AFTER,
} from '@/lib/auth/throttle';
import { parseClientListParams } from '@/lib/clients/schemas';
import { signPlatformPayload } from '@/lib/platform/webhook';
import { productionSettingsProblems } from '@/lib/server/production-settings';
import { sendReminderAction } from '@/lib/reminders/actions';
import { middleware } from '@/middleware';
import { withTestDatabase } from './db';
import { createClient, createFirm, createUser, formData, TEST_PASSWORD } from './factories';
import { fr } from './i18n';

jest.mock('next/cache', () => ({ revalidatePath: jest.fn() }));

withTestDatabase();

const PUBLIC_URL = 'https://portail.example.fr';
afterAll(() => {
  delete process.env.APP_URL;
  delete process.env.PLATFORM_WEBHOOK_SECRET;
});

let firmId: string;
let admin: Awaited<ReturnType<typeof createUser>>;
beforeAll(async () => {
  firmId = (await createFirm()).id;
  admin = await createUser(firmId, { role: 'admin', email: 'admin@prod.fr' });
});

describe('absolute URLs come from the configured public URL, never from the request', () => {
  it('the middleware sends an anonymous visitor to the public login page, whatever the Host', async () => {
    const response = await middleware(
      new NextRequest('http://localhost:3000/clients?tab=tous', { headers: { host: 'evil.example' } }),
    );
    expect(response.status).toBe(307);
    const location = new URL(response.headers.get('location')!);
    expect(location.origin).toBe(PUBLIC_URL);
    expect(location.pathname).toBe('/connexion');
    expect(location.searchParams.get('callbackUrl')).toBe('/clients?tab=tous');
  });

  it('the unsubscribe and client-switcher routes redirect to the public URL', async () => {
    const context = { params: Promise.resolve({ token: 'abc' }) };
    for (const response of [
      await unsubscribeGet(new Request('http://localhost:3000/api/unsubscribe/abc'), context),
      await unsubscribePost(
        new Request('http://localhost:3000/api/unsubscribe/abc', { method: 'POST', headers: { accept: 'text/html' } }),
        context,
      ),
    ]) {
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(`${PUBLIC_URL}/desabonnement/abc`);
    }
    signInAs(undefined);
    const anonymous = await openClient(new NextRequest('http://localhost:3000/clients/ouvrir?id=x'));
    expect(anonymous.headers.get('location')).toBe(`${PUBLIC_URL}/connexion`);
  });
});

describe('security headers', () => {
  it('every response the middleware passes carries a CSP with a fresh nonce and no inline scripts', async () => {
    const first = await middleware(new NextRequest('http://localhost:3000/connexion'));
    const second = await middleware(new NextRequest('http://localhost:3000/connexion'));
    const csp = first.headers.get('content-security-policy')!;
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(second.headers.get('content-security-policy')).not.toBe(csp);
    expect(first.headers.get('x-content-type-options')).toBe('nosniff');
    expect(first.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(first.headers.get('permissions-policy')).toContain('camera=()');
    // The public URL is https: browsers are told to stay on https.
    expect(first.headers.get('strict-transport-security')).toContain('max-age=');
    // The anonymous redirect carries them too.
    const redirect = await middleware(new NextRequest('http://localhost:3000/equipe'));
    expect(redirect.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});

describe('production settings', () => {
  const good = {
    NODE_ENV: 'production',
    NEXTAUTH_SECRET: 'x'.repeat(32),
    APP_URL: PUBLIC_URL,
    DATABASE_URL: 'postgres://portail@db.internal:5432/portail',
    TOTP_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
  } as NodeJS.ProcessEnv;
  it.each([
    ['no secret', { ...good, NEXTAUTH_SECRET: undefined }, /NEXTAUTH_SECRET is missing/],
    ['a short secret', { ...good, NEXTAUTH_SECRET: 'short-secret' }, /NEXTAUTH_SECRET is too short/],
    ['no public URL', { ...good, APP_URL: undefined }, /APP_URL \(or NEXTAUTH_URL\) is missing/],
    ['a malformed public URL', { ...good, APP_URL: 'portail.example.fr' }, /^APP_URL is malformed/m],
    ['a relative public URL', { ...good, APP_URL: '/portail' }, /^APP_URL is malformed: an absolute http\(s\) URL/m],
    ['a public URL that is not http(s)', { ...good, APP_URL: 'javascript:alert(1)' }, /^APP_URL is malformed/m],
    [
      'a short platform secret',
      { ...good, PLATFORM_WEBHOOK_SECRET: '12345' },
      /^PLATFORM_WEBHOOK_SECRET is malformed/m,
    ],
    [
      'no database server (the embedded one would hold the demo firm)',
      { ...good, DATABASE_URL: undefined },
      /DATABASE_URL is missing/,
    ],
    ['no key for two-factor secrets', { ...good, TOTP_ENCRYPTION_KEY: undefined }, /TOTP_ENCRYPTION_KEY is missing/],
    ['a key of the wrong size', { ...good, TOTP_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') }, /32 bytes/],
  ])('refuses %s with a clear message', (_label, source, message) => {
    expect(productionSettingsProblems(source as NodeJS.ProcessEnv).join('\n')).toMatch(message);
  });
  it('accepts complete settings', () => {
    expect(productionSettingsProblems(good)).toEqual([]);
  });
});

describe('GET /api/health', () => {
  it('answers 200 { ok: true } when the database answers, with nothing else', async () => {
    const response = await health();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });
});

describe('hostile input', () => {
  it('a NUL byte in the login e-mail is a plain refusal, and no database text anywhere', async () => {
    expect(await checkCredentials('admin\u0000@prod.fr', TEST_PASSWORD)).toEqual({
      ok: false,
      error: 'CredentialsSignin',
    });
  });

  it('a NUL byte in the Clients search is dropped', () => {
    expect(parseClientListParams({ q: 'dup\u0000ont' }).q).toBe('dupont');
  });

  it('a NUL byte in a reminder comment gets a message next to the comment, and nothing is stored', async () => {
    const client = await createClient(firmId, { team: [(await createUser(firmId)).id] });
    signInAs(admin);
    const state = await sendReminderAction(
      { status: 'idle' },
      formData({ clientId: client.id, formToken: crypto.randomUUID(), tasks: 'balance', comment: 'Bonjour\u0000' }),
    );
    expect(state).toMatchObject({ status: 'error', fieldErrors: { comment: [fr.t('validation.controlChars')] } });
    expect(await queryRows(sql`SELECT id FROM reminders`)).toEqual([]);
    // Line breaks stay fine in a comment.
    const ok = await sendReminderAction(
      { status: 'idle' },
      formData({
        clientId: client.id,
        formToken: crypto.randomUUID(),
        tasks: 'balance',
        comment: 'Ligne 1\r\nLigne 2\tfin',
      }),
    );
    expect(ok.status).toBe('success');
  });

  const signed = (body: string, timestamp = String(Math.floor(Date.now() / 1000))) => ({
    'x-platform-timestamp': timestamp,
    'x-platform-signature': signPlatformPayload('secret-partage-plateforme-123', timestamp, body),
  });

  it('a signed webhook event whose id holds a NUL byte is a 400, not a 500', async () => {
    const body = JSON.stringify({
      id: 'evt\u0000',
      type: 'client.verification_updated',
      data: { clientId: crypto.randomUUID(), state: 'directors' },
    });
    const response = await webhookPost(
      new Request('http://localhost/api/webhooks/platform', { method: 'POST', body, headers: signed(body) }),
    );
    expect(response.status).toBe(400);
  });

  it('the webhook checks its headers before reading a byte, and stops reading past 1 MiB', async () => {
    let pulled = 0;
    const endless = () =>
      new ReadableStream<Uint8Array>({
        pull(controller) {
          pulled += 16 * 1024;
          controller.enqueue(new Uint8Array(16 * 1024).fill(0x20));
        },
      });
    const init = (headers: Record<string, string>) =>
      ({ method: 'POST', body: endless(), headers, duplex: 'half' }) as RequestInit;
    const unsigned = await webhookPost(new Request('http://localhost/api/webhooks/platform', init({})));
    expect(unsigned.status).toBe(401);
    expect(pulled).toBeLessThanOrEqual(64 * 1024); // at most what the stream buffered ahead
    pulled = 0;
    const tooBig = await webhookPost(new Request('http://localhost/api/webhooks/platform', init(signed('x'))));
    expect(tooBig.status).toBe(413);
    expect(pulled).toBeLessThan(1024 * 1024 + 200 * 1024);
    const declared = await webhookPost(
      new Request('http://localhost/api/webhooks/platform', {
        method: 'POST',
        body: 'x',
        headers: { ...signed('x'), 'content-length': String(10 * 1024 * 1024) },
      }),
    );
    expect(declared.status).toBe(413);
  });
});

describe('login throttling, in PostgreSQL', () => {
  const start = new Date('2026-11-27T10:00:00Z');
  const noWait = async () => {};

  it('locks one e-mail from one address, not from another: nobody can lock a colleague out', async () => {
    await createUser(firmId, { email: 'victime@prod.fr' });
    for (let i = 0; i < MAX_FAILURES; i += 1)
      await checkCredentials('victime@prod.fr', `faux-${i}`, start, '203.0.113.9', noWait);
    expect(await checkCredentials('victime@prod.fr', TEST_PASSWORD, start, '203.0.113.9', noWait)).toEqual({
      ok: false,
      error: 'TooManyAttempts',
    });
    expect((await checkCredentials('victime@prod.fr', TEST_PASSWORD, start, '198.51.100.7', noWait)).ok).toBe(true);
  });

  it('slows one address that tries one password against many accounts, without locking a colleague out', async () => {
    const at = new Date(start.getTime() + 60 * 60_000);
    for (let i = 0; i < MAX_ADDRESS_FAILURES; i += 1) {
      await checkCredentials(`compte-${i}@prod.fr`, 'Printemps2026!', at, '192.0.2.66', noWait);
    }
    // The office's address is over its limit: a colleague without failures of her own still gets in, after a wait.
    const waits: number[] = [];
    const wait = async (ms: number) => {
      waits.push(ms);
    };
    expect((await checkCredentials('admin@prod.fr', TEST_PASSWORD, at, '192.0.2.66', wait)).ok).toBe(true);
    // An account that failed from anywhere in the window is refused from that address.
    expect(await checkCredentials('compte-3@prod.fr', 'Printemps2026!', at, '192.0.2.66', wait)).toEqual({
      ok: false,
      error: 'TooManyAttempts',
    });
    // Each further failure makes the next attempt from there wait longer, up to a ceiling.
    await checkCredentials('nouveau-1@prod.fr', 'Printemps2026!', at, '192.0.2.66', wait);
    await checkCredentials('nouveau-2@prod.fr', 'Printemps2026!', at, '192.0.2.66', wait);
    expect(waits).toEqual([ADDRESS_DELAY_STEP_MS, ADDRESS_DELAY_STEP_MS, 2 * ADDRESS_DELAY_STEP_MS]);
    for (let i = 3; i < 40; i += 1) await checkCredentials(`nouveau-${i}@prod.fr`, 'x', at, '192.0.2.66', wait);
    expect(Math.max(...waits)).toBe(ADDRESS_DELAY_MAX_MS);
    expect((await checkCredentials('admin@prod.fr', TEST_PASSWORD, at, '192.0.2.67', noWait)).ok).toBe(true);
  });

  it('journals a flood of failures from one address as a handful of rows', async () => {
    const at = new Date('2026-11-27T15:00:00Z');
    const victim = await createUser(firmId, { email: 'bureau@prod.fr' });
    for (let i = 0; i < 120; i += 1)
      await checkCredentials(
        i % 40 === 1 ? 'bureau@prod.fr' : `inconnu-${i}@prod.fr`,
        'faux',
        new Date(at.getTime() + i * 1000),
        '192.0.2.80',
        noWait,
      );
    const rows = await queryRows<{ action: string; failures: number | null }>(
      sql`SELECT action, (details->>'failures')::int AS failures FROM activity_log
          WHERE details->>'address' = '192.0.2.80' ORDER BY at, action`,
    );
    expect(rows.filter((r) => r.action === 'login_failed')).toHaveLength(5);
    expect(rows.filter((r) => r.action === 'login_failures_grouped').map((r) => r.failures)).toEqual([10, 100]);
    // The firm sees the failures against its own member; the grouped rows name the address.
    const [firmRows] = await queryRows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM activity_log WHERE firm_id = ${victim.firmId} AND details->>'address' = '192.0.2.80'`,
    );
    expect(firmRows!.n).toBeLessThanOrEqual(7);
  });

  it('slows down an account attacked from many addresses, but still lets its owner in', async () => {
    await createUser(firmId, { email: 'cible@prod.fr' });
    const at = new Date(start.getTime() + 2 * 60 * 60_000);
    for (let i = 0; i < SLOW_DOWN_AFTER; i += 1)
      await checkCredentials('cible@prod.fr', 'faux', at, `10.9.0.${i}`, noWait);
    const waits: number[] = [];
    const result = await checkCredentials('cible@prod.fr', TEST_PASSWORD, at, '198.51.100.200', async (ms) => {
      waits.push(ms);
    });
    expect(result.ok).toBe(true);
    expect(waits).toEqual([1000]);
  });

  it('reads the client address from the socket, and from the proxy only when TRUST_PROXY says so', () => {
    const headers = new Headers({
      'x-forwarded-for': '198.51.100.1, 203.0.113.5, 192.0.2.10',
      'x-portail-peer-address': '10.0.0.2',
    });
    // Without a proxy, what the client wrote in X-Forwarded-For is its own word: the socket's address.
    expect(clientAddress(headers)).toBe('10.0.0.2');
    process.env.TRUST_PROXY = '1';
    expect(clientAddress(headers)).toBe('192.0.2.10');
    process.env.TRUST_PROXY_HOPS = '2';
    expect(clientAddress(headers)).toBe('203.0.113.5');
    process.env.TRUST_PROXY_HOPS = '4';
    // Fewer entries than trusted hops: the request did not come through the proxies.
    expect(clientAddress(headers)).toBe('10.0.0.2');
    delete process.env.TRUST_PROXY_HOPS;
    process.env.TRUST_PROXY = '0';
    expect(clientAddress({ 'x-forwarded-for': '198.51.100.1' })).toBe('unknown');
    expect(clientAddress(undefined)).toBe('unknown');
    delete process.env.TRUST_PROXY;
  });
});

describe('/dev/outbox', () => {
  it('is for an admin, and shows only their firm’s e-mails', async () => {
    const { default: OutboxPage } = await import('@/app/dev/outbox/page');
    const { outboxTransport } = await import('@/lib/server/mail/transport');
    const { nextSignal } = await import('./session');
    const { renderPage } = await import('./render');
    const other = await createFirm();
    const otherAdmin = await createUser(other.id, { role: 'admin' });
    const accountant = await createUser(firmId);
    const outbox = outboxTransport('Portail <n@portail.test>');
    const mail = (to: string, subject: string, owner: string) => ({
      to,
      subject,
      html: '<p>x</p>',
      text: 'x',
      firmId: owner,
    });
    await outbox.sendBatch([mail('a@prod.fr', 'Pour notre cabinet', firmId)], 'outbox-1');
    await outbox.sendBatch([mail('b@autre.fr', 'Lien secret de l’autre cabinet', other.id)], 'outbox-2');
    signInAs(undefined);
    expect(await nextSignal(OutboxPage())).toMatch(/^NEXT_REDIRECT;replace;\/connexion;/);
    signInAs(accountant);
    expect(await nextSignal(OutboxPage())).toMatch(/NEXT_HTTP_ERROR_FALLBACK;404/);
    signInAs(admin);
    const html = renderPage(await OutboxPage());
    expect(html).toContain('Pour notre cabinet');
    expect(html).not.toContain('Lien secret');
    signInAs(otherAdmin);
    expect(renderPage(await OutboxPage())).not.toContain('Pour notre cabinet');
  });
});
