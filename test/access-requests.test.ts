import { signInAs } from './session';
import { sql } from 'drizzle-orm';
import { queryRows } from '@/db';
import {
  accessPolicyAction,
  grantAccessAction,
  refuseAccessAction,
  requestAccessAction,
} from '@/lib/access-requests/actions';
import { decideAccessRequest, listAccessRequests, listOtherClients } from '@/lib/access-requests/requests';
import { loadActiveUser } from '@/lib/access/users';
import { assignClients } from '@/lib/assignments/assign';
import { findWorkspaceClient } from '@/lib/clients/queries';
import { runDigests } from '@/lib/notifications/digests';
import { saveSubscription } from '@/lib/notifications/subscriptions';
import { resendTransport } from '@/lib/server/mail/transport';
import { withTestDatabase } from './db';
import { FakeResend } from './fake-resend';
import { createClient, createFirm, createUser, formData, viewer } from './factories';

jest.mock('next/cache', () => ({ revalidatePath: jest.fn() }));

withTestDatabase();
const idle = { status: 'idle' as const };
const fake = new FakeResend();
beforeAll(() => fake.start());
afterAll(() => fake.stop());

const MINUTE = 60_000;
const DAY = 86_400_000;

async function requestId(clientId: string, userId: string): Promise<string> {
  const [row] = await queryRows<{ id: string }>(
    sql`SELECT id FROM access_requests WHERE client_id = ${clientId} AND user_id = ${userId} ORDER BY created_at DESC`,
  );
  return row!.id;
}

const journal = (firmId: string, action: string) =>
  queryRows<{ actor_kind: string; actor_name: string; client_name: string; details: Record<string, unknown> }>(
    sql`SELECT actor_kind::text, actor_name, client_name, details FROM activity_log
        WHERE firm_id = ${firmId} AND action = ${action} ORDER BY at`,
  );

async function setUp() {
  const firm = await createFirm('Cabinet Démo');
  const admin = await createUser(firm.id, {
    role: 'admin',
    name: 'Claire Dubois',
    email: `claire-${firm.id}@cabinet.fr`,
  });
  const lea = await createUser(firm.id, { name: 'Léa Martin' });
  const hugo = await createUser(firm.id, { name: 'Hugo Bernard' });
  const theirs = await createClient(firm.id, { name: 'Zinc Café', team: [hugo.id] });
  const mine = await createClient(firm.id, { name: 'Atelier Équinoxe', team: [lea.id] });
  return { firm, admin, lea, hugo, theirs, mine };
}

describe('« Demander l’accès »', () => {
  it('is off until an admin switches it on; then an accountant sees the other clients by name only and asks once', async () => {
    const { firm, admin, lea, theirs, mine } = await setUp();

    // Off: nothing to see, nothing to ask.
    expect((await listOtherClients(viewer(lea), { q: '', page: 1 })).rows).toEqual([]);
    signInAs(lea);
    expect(
      await requestAccessAction(idle, formData({ clientId: theirs.id, reason: 'Je remplace Hugo.' })),
    ).toMatchObject({ status: 'error', message: expect.stringContaining('n’a pas ouvert les demandes') });
    // Only an admin switches it on.
    expect((await accessPolicyAction(idle, formData({ enabled: 'on' }))).message).toBe(
      'Cette action est réservée aux administrateurs.',
    );
    signInAs(admin);
    expect(await accessPolicyAction(idle, formData({ enabled: 'on' }))).toMatchObject({ status: 'success' });

    // On: the firm's clients she is not assigned to, a name and no figure; a search.
    const others = await listOtherClients(viewer(lea), { q: '', page: 1 });
    expect(others.rows).toEqual([{ id: theirs.id, name: 'Zinc Café', requestState: null, refusal: null }]);
    expect(others.rows.map((r) => r.id)).not.toContain(mine.id);
    expect((await listOtherClients(viewer(lea), { q: 'zinc', page: 1 })).rows).toHaveLength(1);
    expect((await listOtherClients(viewer(lea), { q: '100%_', page: 1 })).rows).toHaveLength(0);
    // An admin has nothing to ask for.
    expect((await listOtherClients(viewer(admin), { q: '', page: 1 })).rows).toEqual([]);

    // A reason is required, in French, next to the field; bad input changes nothing.
    signInAs(lea);
    expect(await requestAccessAction(idle, formData({ clientId: theirs.id, reason: ' a ' }))).toMatchObject({
      fieldErrors: { reason: ['Dites en quelques mots pourquoi (3 à 300 caractères).'] },
    });
    expect((await requestAccessAction(idle, formData({ clientId: theirs.id, reason: 'A\u0000B C' }))).status).toBe(
      'error',
    );
    expect((await requestAccessAction(idle, formData({ clientId: 'x', reason: 'Je remplace Hugo.' }))).status).toBe(
      'error',
    );
    // Not another firm's client, and not one she already has.
    const elsewhere = await createClient((await createFirm()).id, { name: 'Ailleurs' });
    expect(
      await requestAccessAction(idle, formData({ clientId: elsewhere.id, reason: 'Je remplace Hugo.' })),
    ).toMatchObject({ message: 'Client introuvable.' });
    expect(await requestAccessAction(idle, formData({ clientId: mine.id, reason: 'Je remplace Hugo.' }))).toMatchObject(
      { message: 'Vous avez déjà accès à ce client.' },
    );
    expect(await queryRows(sql`SELECT 1 FROM access_requests`)).toHaveLength(0);

    // Asked: the admins get it by e-mail; asking again (a double click, a retry) is the same request.
    expect(
      await requestAccessAction(
        idle,
        formData({ clientId: theirs.id, reason: 'Je remplace Hugo pendant ses congés.' }),
      ),
    ).toMatchObject({ status: 'success', message: 'Demande envoyée aux administrateurs pour Zinc Café.' });
    expect(
      await requestAccessAction(idle, formData({ clientId: theirs.id, reason: 'Une autre raison.' })),
    ).toMatchObject({ status: 'success', message: expect.stringContaining('Vous aviez déjà demandé l’accès') });
    expect(await queryRows(sql`SELECT 1 FROM access_requests`)).toHaveLength(1);
    const mails = await queryRows<{ subject: string; text: string }>(
      sql`SELECT subject, text FROM outbox_emails WHERE to_address = ${admin.email}`,
    );
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('Léa Martin demande l’accès à Zinc Café');
    expect(mails[0]!.text).toContain('Motif\u202f: Je remplace Hugo pendant ses congés.');
    expect(mails[0]!.text).toContain('/clients/acces');
    expect((await listOtherClients(viewer(lea), { q: '', page: 1 })).rows[0]!.requestState).toBe('pending');
    expect(await journal(firm.id, 'access_requested')).toEqual([
      expect.objectContaining({ actor_name: 'Léa Martin', client_name: 'Zinc Café' }),
    ]);
  });

  it('is decided by an admin of the firm only, once; a refusal says why', async () => {
    const { firm, admin, lea, hugo, theirs } = await setUp();
    await queryRows(sql`UPDATE firms SET access_requests = true WHERE id = ${firm.id}`);
    signInAs(lea);
    await requestAccessAction(idle, formData({ clientId: theirs.id, reason: 'Je remplace Hugo.' }));
    const id = await requestId(theirs.id, lea.id);

    // Neither the asker, another accountant, nor another firm's admin decides it.
    for (const who of [lea, hugo]) {
      signInAs(who);
      expect((await grantAccessAction(idle, formData({ requestId: id, grant: 'forever' }))).message).toBe(
        'Cette action est réservée aux administrateurs.',
      );
    }
    const outsider = await createUser((await createFirm()).id, { role: 'admin' });
    signInAs(outsider);
    expect(await grantAccessAction(idle, formData({ requestId: id, grant: 'forever' }))).toMatchObject({
      message: 'Cette demande d’accès n’existe pas ou plus.',
    });
    expect((await listAccessRequests(viewer(outsider))).open).toEqual([]);

    signInAs(admin);
    expect((await listAccessRequests(viewer(admin))).open).toEqual([
      expect.objectContaining({ userName: 'Léa Martin', clientName: 'Zinc Café', reason: 'Je remplace Hugo.' }),
    ]);
    expect(await grantAccessAction(idle, formData({ requestId: id, grant: 'year' }))).toMatchObject({
      fieldErrors: { grant: ['Choisissez une durée\u202f: un jour, 30 jours ou sans fin.'] },
    });
    expect(await refuseAccessAction(idle, formData({ requestId: id, refusal: '' }))).toMatchObject({
      fieldErrors: { refusal: ['Donnez le motif du refus (3 à 300 caractères).'] },
    });
    expect(await refuseAccessAction(idle, formData({ requestId: id, refusal: 'Hugo revient demain.' }))).toMatchObject({
      status: 'success',
      message: 'Accès refusé à Léa Martin pour Zinc Café.',
    });
    // Sent twice: already decided, nothing changes.
    expect(await grantAccessAction(idle, formData({ requestId: id, grant: 'forever' }))).toMatchObject({
      message: 'Cette demande a déjà été traitée\u202f: rien n’a changé.',
    });
    expect(await findWorkspaceClient(viewer(lea), theirs.id)).toBeUndefined();
    expect((await listOtherClients(viewer(lea), { q: '', page: 1 })).rows[0]).toMatchObject({
      requestState: 'refused',
      refusal: 'Hugo revient demain.',
    });
    expect(await journal(firm.id, 'access_refused')).toEqual([
      expect.objectContaining({
        actor_name: 'Claire Dubois',
        client_name: 'Zinc Café',
        details: { member: 'Léa Martin', reason: 'Hugo revient demain.' },
      }),
    ]);

    // She may ask again; granted without end, the client is hers like any assignment.
    signInAs(lea);
    await requestAccessAction(idle, formData({ clientId: theirs.id, reason: 'Hugo est absent finalement.' }));
    signInAs(admin);
    expect(
      await grantAccessAction(idle, formData({ requestId: await requestId(theirs.id, lea.id), grant: 'forever' })),
    ).toMatchObject({ message: 'Accès accordé à Léa Martin pour Zinc Café, sans fin.' });
    expect(await findWorkspaceClient(viewer(lea), theirs.id)).toBeDefined();
    expect(await listOtherClients(viewer(lea), { q: '', page: 1 })).toMatchObject({ rows: [] });
  });

  it('ends by itself: the minute after its end the client is gone from her pages and her digest, in the Journal', async () => {
    const { firm, admin, lea, theirs, mine } = await setUp();
    await queryRows(sql`UPDATE firms SET access_requests = true WHERE id = ${firm.id}`);
    // A pinned clock: granted on Monday 30 November 2026 at 09:00 Paris for a day.
    const granted = new Date('2026-11-30T08:00:00Z');
    await queryRows(sql`INSERT INTO access_requests (firm_id, client_id, user_id, reason)
      VALUES (${firm.id}, ${theirs.id}, ${lea.id}, 'Je remplace Hugo.')`);
    const decided = await decideAccessRequest(
      viewer(admin),
      await requestId(theirs.id, lea.id),
      { grant: 'day' },
      granted,
    );
    expect(decided.until).toEqual(new Date(granted.getTime() + DAY));
    for (const clientId of [theirs.id, mine.id])
      await saveSubscription(
        viewer(lea),
        { clientId, enabled: true, frequency: 'daily' },
        new Date('2026-11-25T12:00:00Z'),
      );

    const transport = resendTransport({
      apiKey: 're_test_key',
      baseUrl: fake.baseUrl,
      from: 'Portail <n@portail.test>',
    });
    const digest = async (now: Date) => {
      fake.reset();
      await runDigests({ now, transport, sleep: async () => {}, elapsed: () => 0 });
      return fake.delivered.find((e) => e.to === lea.email)?.text as string;
    };
    // Monday 10:05: both clients.
    const monday = await digest(new Date('2026-11-30T09:05:00Z'));
    expect(monday).toContain('Zinc Café');
    expect(monday).toContain('Atelier Équinoxe');

    // A minute before the end, hers; the minute after, a 404 (undefined) for every page's finder.
    const end = decided.until!;
    await loadActiveUser(lea.id, new Date(end.getTime() - MINUTE));
    expect(await findWorkspaceClient(viewer(lea), theirs.id)).toBeDefined();
    expect(await loadActiveUser(lea.id, new Date(end.getTime() + MINUTE))).toMatchObject({ id: lea.id });
    expect(await findWorkspaceClient(viewer(lea), theirs.id)).toBeUndefined();
    expect(await findWorkspaceClient(viewer(lea), mine.id)).toBeDefined();
    expect(await journal(firm.id, 'access_ended')).toEqual([
      expect.objectContaining({ actor_kind: 'system', client_name: 'Zinc Café', details: { detail: 'Léa Martin' } }),
    ]);
    expect(await journal(firm.id, 'access_granted')).toEqual([
      expect.objectContaining({
        actor_name: 'Claire Dubois',
        details: { detail: 'Léa Martin', until: end.toISOString() },
      }),
    ]);

    // Tuesday's digest: her own client only.
    const tuesday = await digest(new Date('2026-12-01T09:05:00Z'));
    expect(tuesday).toContain('Atelier Équinoxe');
    expect(tuesday).not.toContain('Zinc Café');
  });

  it('the digest run ends an access on its own, without any request of hers; a permanent assignment is never shortened', async () => {
    const { firm, admin, lea, theirs } = await setUp();
    const now = new Date('2026-11-30T08:00:00Z');
    await queryRows(sql`INSERT INTO access_requests (firm_id, client_id, user_id, reason)
      VALUES (${firm.id}, ${theirs.id}, ${lea.id}, 'Je remplace Hugo.')`);
    await decideAccessRequest(viewer(admin), await requestId(theirs.id, lea.id), { grant: 'day' }, now);
    // « Attribuer à… » makes it permanent: nothing ends.
    await assignClients(viewer(admin), [theirs.id], lea.id);
    await runDigests({ now: new Date(now.getTime() + 2 * DAY), sleep: async () => {}, elapsed: () => 0 });
    expect(await findWorkspaceClient(viewer(lea), theirs.id)).toBeDefined();

    // A second request, granted for a day while she has it without end: still without end.
    await queryRows(sql`INSERT INTO access_requests (firm_id, client_id, user_id, reason)
      VALUES (${firm.id}, ${theirs.id}, ${lea.id}, 'Encore.')`);
    await decideAccessRequest(viewer(admin), await requestId(theirs.id, lea.id), { grant: 'day' }, now);
    const [row] = await queryRows<{ expires_at: string | null }>(
      sql`SELECT expires_at FROM assignments WHERE client_id = ${theirs.id} AND user_id = ${lea.id}`,
    );
    expect(row!.expires_at).toBeNull();

    // Hugo's 30 days end at the run after their end, with no request of his.
    const hugoLike = await createUser(firm.id, { name: 'Nina Petit' });
    await queryRows(sql`INSERT INTO access_requests (firm_id, client_id, user_id, reason)
      VALUES (${firm.id}, ${theirs.id}, ${hugoLike.id}, 'Renfort.')`);
    await decideAccessRequest(viewer(admin), await requestId(theirs.id, hugoLike.id), { grant: 'month' }, now);
    await runDigests({ now: new Date(now.getTime() + 29 * DAY), sleep: async () => {}, elapsed: () => 0 });
    expect(await findWorkspaceClient(viewer(hugoLike), theirs.id)).toBeDefined();
    await runDigests({ now: new Date(now.getTime() + 30 * DAY + MINUTE), sleep: async () => {}, elapsed: () => 0 });
    expect(await findWorkspaceClient(viewer(hugoLike), theirs.id)).toBeUndefined();
  });
});
