import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { NextRequest } from 'next/server';
import { nextSignal, signInAs } from './session';
import { db, queryRows } from '@/db';
import { firms } from '@/db/schema';
import { accessOfAction } from '@/lib/access/server-action';
import { accessOfRoute } from '@/lib/access/server-route';
import { withTestDatabase } from './db';
import { addExpenses, createClient, createFirm, createUser, formData } from './factories';
import { fr } from './i18n';

jest.mock('next/cache', () => ({ revalidatePath: jest.fn() }));

withTestDatabase();

// Every server action and every route handler of the app, found by walking the tree (never a
// list kept by hand), called by three callers who must get nothing: no session at all (which is
// also where a password without its second factor stands: a challenge cookie, no session), a
// deactivated member's session, and a member whose firm requires two-factor login and who has not
// set it up. Each gets its refusal, and the database is unchanged.

const root = path.join(__dirname, '..');
function filesUnder(folder: string, keep: (file: string) => boolean): string[] {
  return readdirSync(path.join(root, folder), { recursive: true, encoding: 'utf8' })
    .map((file) => path.join(folder, file))
    .filter((file) => !file.includes('node_modules') && keep(file))
    .sort();
}
const actionFiles = [
  ...filesUnder('lib', (f) => f.endsWith('.ts')),
  ...filesUnder('app', (f) => /\.tsx?$/.test(f)),
].filter((file) => /^\s*['"]use server['"]/.test(readFileSync(path.join(root, file), 'utf8')));
const routeFiles = filesUnder('app', (f) => path.basename(f) === 'route.ts');

// Routes open without a session, each with what guards it instead.
const PUBLIC_ROUTES: Record<string, string> = {
  'app/api/auth/[...nextauth]/route.ts GET': 'next-auth: the login itself',
  'app/api/auth/[...nextauth]/route.ts POST': 'next-auth: the login itself',
  'app/api/cron/digests/route.ts GET': 'CRON_SECRET bearer token',
  'app/api/health/route.ts GET': 'health check, says nothing private',
  'app/api/unsubscribe/[token]/route.ts GET': 'signed one-click unsubscribe token',
  'app/api/unsubscribe/[token]/route.ts POST': 'signed one-click unsubscribe token',
  'app/api/webhooks/platform/route.ts POST': 'HMAC signature of the platform',
  'app/api/webhooks/resend/route.ts POST': 'Svix signature of Resend',
  'app/recus/[token]/envoyer/route.ts POST': 'a receipt request’s link token',
  'app/recus/[token]/sans-recu/route.ts POST': 'a receipt request’s link token',
  'app/recus/[token]/repondre/route.ts POST': 'a receipt request’s link token',
};
// Server actions open without a session.
const PUBLIC_ACTIONS = ['lib/team/actions.ts acceptMemberInvitationAction'];

type Found = { name: string; handler: (...args: never[]) => Promise<unknown> };
async function exportsOf(files: string[], pick: (name: string) => boolean): Promise<Found[]> {
  const found: Found[] = [];
  for (const file of files) {
    const loaded = (await import(path.join(root, file))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(loaded))
      if (typeof value === 'function' && pick(name))
        found.push({ name: `${file} ${name}`, handler: value as Found['handler'] });
  }
  return found;
}

let actions: Found[];
let routes: Found[];
let fields: Record<string, string | string[]>;
const callers: Record<'anonymous' | 'deactivated' | 'two-factor pending', { id: string } | undefined> = {
  anonymous: undefined,
  deactivated: undefined,
  'two-factor pending': undefined,
};

beforeAll(async () => {
  actions = await exportsOf(actionFiles, () => true);
  routes = await exportsOf(routeFiles, (name) => /^(GET|POST|PUT|PATCH|DELETE)$/.test(name));
  const firm = await createFirm();
  const lea = await createUser(firm.id);
  const client = await createClient(firm.id, { team: [lea.id] });
  await addExpenses(client.id, 2, { export: 'ready', receipt: 'missing' });
  callers.deactivated = await createUser(firm.id, { role: 'admin', active: false });
  const strict = await createFirm();
  await db.update(firms).set({ requireTwoFactor: true }).where(eq(firms.id, strict.id));
  callers['two-factor pending'] = await createUser(strict.id, { role: 'admin' });
  await createClient(strict.id, { team: [callers['two-factor pending'].id] });
  fields = {
    clientId: client.id,
    clientIds: [client.id],
    userId: lea.id,
    role: 'admin',
    active: 'false',
    email: 'x@nouveau.fr',
    frequency: 'daily',
    tasks: ['missing_receipts'],
    comment: 'x',
    formToken: crypto.randomUUID(),
    name: 'Nouveau',
    contactEmail: 'contact@nouveau.fr',
    locale: 'en',
    code: '123456',
    password: 'motdepasse-essai',
    liste: 'tab=tous',
  };
});

const snapshot = () =>
  queryRows(sql`SELECT
    (SELECT count(*)::int FROM clients) AS clients, (SELECT count(*)::int FROM assignments) AS assignments,
    (SELECT count(*)::int FROM notification_subscriptions) AS subscriptions, (SELECT count(*)::int FROM reminders) AS reminders,
    (SELECT count(*)::int FROM expense_exports) AS exports, (SELECT count(*)::int FROM user_invitations) AS invitations,
    (SELECT count(*)::int FROM outbox_emails) AS emails, (SELECT count(*)::int FROM activity_log) AS journal,
    (SELECT count(*)::int FROM receipt_requests) AS receipt_requests, (SELECT count(*)::int FROM recovery_codes) AS codes,
    (SELECT string_agg(role::text || active::text || locale::text || coalesce(totp_pending_secret, '-'), ',' ORDER BY id) FROM users) AS users,
    (SELECT string_agg(status::text, ',' ORDER BY id) FROM clients) AS statuses,
    (SELECT string_agg(export_state::text || receipt_state::text, ',' ORDER BY id) FROM expenses) AS expenses`);

describe('the tree is walked', () => {
  it('finds every server action and route handler', () => {
    expect(actions.length).toBeGreaterThanOrEqual(29);
    expect(routes.length).toBeGreaterThanOrEqual(15);
  });

  it('every server action goes through createAction (or is a known public form)', () => {
    const unwrapped = actions.filter((a) => !accessOfAction(a.handler)).map((a) => a.name);
    expect(unwrapped).toEqual([]);
    const open = actions.filter((a) => accessOfAction(a.handler)?.who === 'anyone').map((a) => a.name);
    expect(open).toEqual(PUBLIC_ACTIONS);
  });

  it('every route handler goes through createRoute, or is a public route with its own guard', () => {
    const unwrapped = routes.filter((r) => !accessOfRoute(r.handler)).map((r) => r.name);
    expect(unwrapped.sort()).toEqual(Object.keys(PUBLIC_ROUTES).sort());
  });
});

describe.each(Object.keys(callers) as (keyof typeof callers)[])('as a caller who is %s', (who) => {
  it('every server action refuses, and changes nothing', async () => {
    signInAs(callers[who]);
    const expected = fr.t(who === 'two-factor pending' ? 'errors.twoFactorRequired' : 'errors.signedOut');
    const before = await snapshot();
    for (const action of actions) {
      const access = accessOfAction(action.handler)!;
      if (access.who === 'anyone' || (who === 'two-factor pending' && access.duringTwoFactorSetup)) continue;
      const call =
        action.handler.length === 1
          ? (action.handler as (form: FormData) => Promise<unknown>)(formData(fields))
          : (action.handler as (s: unknown, form: FormData) => Promise<unknown>)({ status: 'idle' }, formData(fields));
      const outcome = await nextSignal(call).catch(() => 'threw');
      if (outcome === 'rendered') {
        await expect(call).resolves.toEqual({ status: 'error', message: expected });
      } else {
        // A form posted without JavaScript answers with a redirect: to the login page when signed out.
        if (who !== 'two-factor pending') expect(`${action.name}: ${outcome}`).toContain('/connexion');
        else expect(`${action.name}: ${outcome}`).toContain('NEXT_REDIRECT');
      }
      expect({ action: action.name, rows: await snapshot() }).toEqual({ action: action.name, rows: before });
    }
  });

  it('every route handler behind createRoute refuses, and changes nothing', async () => {
    signInAs(callers[who]);
    const before = await snapshot();
    const id = crypto.randomUUID();
    const context = { params: Promise.resolve({ clientId: id, exportId: id, expenseId: id, token: 'x' }) };
    for (const route of routes) {
      const access = accessOfRoute(route.handler);
      if (!access) continue;
      const method = route.name.split(' ').at(-1)!;
      const request = new NextRequest('http://localhost/x?q=a&id=' + id, {
        method,
        ...(method === 'GET' ? {} : { body: 'x' }),
      });
      const response = (await (route.handler as (r: Request, c: unknown) => Promise<Response>)(request, context))!;
      if (access.anonymous === 'json') {
        expect({ route: route.name, status: response.status }).toEqual({ route: route.name, status: 401 });
      } else {
        const target = who === 'two-factor pending' ? '/compte/securite' : '/connexion';
        expect({
          route: route.name,
          status: response.status,
          to: new URL(response.headers.get('location')!).pathname,
        }).toEqual({ route: route.name, status: 303, to: target });
      }
      expect({ route: route.name, rows: await snapshot() }).toEqual({ route: route.name, rows: before });
    }
  });
});
