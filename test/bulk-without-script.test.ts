// The Clients page's bulk bar without JavaScript: it posts to an action that acts, then sends the
// user back to the list they were on with the result in the URL, sealed for them and for a few
// minutes. A forged, altered, foreign or stale result shows nothing.
import { nextSignal, signInAs } from './session';
import { sql } from 'drizzle-orm';
import { assignments } from '@/db/schema';
import { openActionResult, sealActionResult } from '@/lib/server/action-result';
import { bulkClientsWithoutScriptAction } from '@/lib/clients/actions';
import { withTestDatabase } from './db';
import { createClient, createFirm, createUser, formData } from './factories';

jest.mock('next/cache', () => ({ revalidatePath: jest.fn() }));

const db = withTestDatabase();

type User = Awaited<ReturnType<typeof createUser>>;
let admin: User;
let lea: User;
let foreignClient: string;
const mine: string[] = [];

beforeAll(async () => {
  const firm = await createFirm();
  admin = await createUser(firm.id, { role: 'admin' });
  lea = await createUser(firm.id);
  for (const name of ['Boulangerie Dupont', 'Garage Dupont']) mine.push((await createClient(firm.id, { name })).id);
  const other = await createFirm();
  foreignClient = (await createClient(other.id, { name: 'Dupont Étranger' })).id;
});

beforeEach(() => db.delete(assignments));

const assignedTo = async (userId: string) =>
  (
    await db
      .select({ clientId: assignments.clientId })
      .from(assignments)
      .where(sql`user_id = ${userId}`)
  )
    .map((r) => r.clientId)
    .sort();

/** Where the action sent the browser, and the result the page will read there. */
async function post(fields: Record<string, string | string[]>, viewer: User = admin) {
  const digest = await nextSignal(bulkClientsWithoutScriptAction(formData(fields)));
  const match = /^NEXT_REDIRECT;[a-z]+;([^;]+);/.exec(digest);
  if (!match) throw new Error(`not a redirect: ${digest}`);
  const url = new URL(match[1]!, 'http://portail.test');
  const sealed = url.searchParams.get('resultat');
  url.searchParams.delete('resultat');
  return { list: `${url.pathname}${url.search}`, result: sealed ? openActionResult(sealed, viewer.id) : undefined };
}

describe('the bulk bar without JavaScript', () => {
  it('assigns, then goes back to the same list with the result', async () => {
    signInAs(admin);
    const { list, result } = await post({
      op: 'assign',
      userId: lea.id,
      clientIds: mine,
      liste: 'tab=tous&q=dupont&sort=balance&dir=desc&page=2',
    });
    expect(list).toBe('/clients?tab=tous&q=dupont&sort=balance&dir=desc&page=2');
    expect(result).toEqual({
      status: 'success',
      message: '2 clients sélectionnés\u202f: 2 nouvelles attributions.',
      fieldErrors: undefined,
    });
    expect(await assignedTo(lea.id)).toEqual([...mine].sort());
  });

  it('brings a field error back next to its field and changes nothing', async () => {
    signInAs(admin);
    const { list, result } = await post({ op: 'assign', userId: '', clientIds: mine, liste: 'tab=tous' });
    expect(list).toBe('/clients?tab=tous');
    expect(result).toMatchObject({ status: 'error', fieldErrors: { userId: ['Choisissez un comptable.'] } });
    expect(await assignedTo(lea.id)).toEqual([]);
  });

  it('refuses a client of another firm, and acts on none', async () => {
    signInAs(admin);
    const { result } = await post({ op: 'assign', userId: lea.id, clientIds: [mine[0]!, foreignClient], liste: '' });
    expect(result?.status).toBe('error');
    expect(await assignedTo(lea.id)).toEqual([]);
  });

  it('does not assign for an accountant', async () => {
    signInAs(lea);
    const { result } = await post({ op: 'assign', userId: lea.id, clientIds: mine, liste: '' }, lea);
    expect(result?.status).toBe('error');
    expect(await assignedTo(lea.id)).toEqual([]);
  });

  it('goes back to the default list when the list it was given is junk', async () => {
    signInAs(admin);
    for (const liste of ['__proto__=1&tab=evil', 'tab=tous%00&page=-3', '%%%', 'q=\u0000']) {
      expect((await post({ op: 'assign', userId: lea.id, clientIds: mine, liste })).list).toBe('/clients');
    }
  });

  it('sends a signed-out user to the login page', async () => {
    signInAs(undefined);
    expect(await nextSignal(bulkClientsWithoutScriptAction(formData({ op: 'assign', liste: '' })))).toMatch(
      /^NEXT_REDIRECT;[a-z]+;\/connexion;/,
    );
  });
});

describe('a result in the URL', () => {
  const state = { status: 'success' as const, message: '2 clients sélectionnés.' };
  const now = Date.UTC(2026, 10, 28, 10, 0);

  it('reads back for its user within ten minutes', () => {
    const sealed = sealActionResult(state, 'user-a', now);
    expect(openActionResult(sealed, 'user-a', now + 10 * 60_000)).toEqual({ ...state, fieldErrors: undefined });
  });

  it('shows nothing to another user, later, altered or forged', () => {
    const sealed = sealActionResult(state, 'user-a', now);
    expect(openActionResult(sealed, 'user-b', now)).toBeUndefined();
    expect(openActionResult(sealed, 'user-a', now + 11 * 60_000)).toBeUndefined();
    expect(openActionResult(sealed, 'user-a', now - 60_000)).toBeUndefined();
    const [payload, signature] = sealed.split('.') as [string, string];
    const altered = Buffer.from(
      Buffer.from(payload, 'base64url').toString().replace('2 clients', '900 clients'),
    ).toString('base64url');
    expect(openActionResult(`${altered}.${signature}`, 'user-a', now)).toBeUndefined();
    // A payload written by someone else, with the signature of a real one.
    const forged = Buffer.from(
      JSON.stringify({ u: 'user-a', t: now / 60_000, s: { status: 'success', message: 'Appelez le 08…' } }),
    ).toString('base64url');
    expect(openActionResult(`${forged}.${signature}`, 'user-a', now)).toBeUndefined();
    for (const junk of ['', '.', 'a.b.c', '__proto__', `${payload}.`, '\u0000.\u0000'])
      expect(openActionResult(junk, 'user-a', now)).toBeUndefined();
  });
});
