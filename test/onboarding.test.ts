import { and, eq, sql } from 'drizzle-orm';
import { nextSignal, signInAs } from './session';
import { queryRows } from '@/db';
import { assignments, clientEvents, clients, webhookEvents } from '@/db/schema';
import { POST as webhookPost } from '@/app/api/webhooks/platform/route';
import { assignAction, unassignAction } from '@/lib/assignments/actions';
import { bulkClientsAction } from '@/lib/clients/actions';
import { listClients } from '@/lib/clients/queries';
import { parseClientListParams } from '@/lib/clients/schemas';
import {
  acceptConnectionRequestAction as acceptInvitationAction,
  declineConnectionRequestAction as declineInvitationAction,
} from '@/lib/connection-requests/actions';
import {
  cancelClientInvitationAction,
  inviteClientAction,
  resendClientInvitationAction,
} from '@/lib/onboarding/actions';
import { inviteClient } from '@/lib/onboarding/client-invitations';
import { resendTransport } from '@/lib/server/mail/transport';
import { FakeResend } from './fake-resend';
import { fr } from './i18n';

const NO_LONGER_INVITATION = fr.t('errors.noLongerInvitation');
import { isValidSiren } from '@/lib/onboarding/siren';
import { signPlatformPayload } from '@/lib/platform/webhook';
import { withTestDatabase } from './db';
import { createClient, createFirm, createUser, viewer, formData } from './factories';

/** The bulk bar with « Attribuer » pressed. */
const bulkAssignAction = (state: Parameters<typeof bulkClientsAction>[0], fields: FormData) => {
  fields.set('op', 'assign');
  return bulkClientsAction(state, fields);
};

jest.mock('next/cache', () => ({ revalidatePath: jest.fn() }));

const db = withTestDatabase();

type User = Awaited<ReturnType<typeof createUser>>;
let admin: User;
let lea: User;
let hugo: User;
let stranger: User;
let strangerAccountant: User;

beforeAll(async () => {
  const firm = await createFirm('Cabinet Démo');
  admin = await createUser(firm.id, { role: 'admin', name: 'Claire Dubois' });
  lea = await createUser(firm.id, { name: 'Léa Martin' });
  hugo = await createUser(firm.id, { name: 'Hugo Bernard' });
  const other = await createFirm();
  stranger = await createUser(other.id, { role: 'admin' });
  strangerAccountant = await createUser(other.id);
});

const form = formData;
const adminRow = () => ({
  id: admin.id,
  firmId: admin.firmId,
  role: 'admin' as const,
  name: admin.name,
  firmName: 'Cabinet Démo',
});
const idle = { status: 'idle' as const };
const statusOf = async (id: string) =>
  (await db.select({ s: clients.status, v: clients.verificationState }).from(clients).where(eq(clients.id, id)))[0];

describe('Invitations: Accepter / Refuser', () => {
  it('accepting connects the client, once', async () => {
    const client = await createClient(admin.firmId, { name: 'Brasserie du Port', status: 'invitation' });
    signInAs(admin);
    // Accepted, the admin lands on the client's details to assign accountants.
    expect(await nextSignal(acceptInvitationAction(idle, form({ clientId: client.id })))).toMatch(
      new RegExp(`^NEXT_REDIRECT;.*/clients/${client.id}/details\\?invitation=acceptee`),
    );
    expect((await statusOf(client.id))!.s).toBe('active');
    expect((await listClients(viewer(admin), parseClientListParams({ tab: 'tous' }))).rows.map((r) => r.id)).toContain(
      client.id,
    );
    const again = await acceptInvitationAction(idle, form({ clientId: client.id }));
    expect(again).toEqual({ status: 'error', message: NO_LONGER_INVITATION });
    const declineAfter = await declineInvitationAction(idle, form({ clientId: client.id }));
    expect(declineAfter.message).toBe(NO_LONGER_INVITATION);
    expect((await statusOf(client.id))!.s).toBe('active');
  });

  it('refusing removes it from the list and keeps the decision in its history', async () => {
    const client = await createClient(admin.firmId, { name: 'Cave Sélection', status: 'invitation' });
    signInAs(admin);
    expect(await nextSignal(declineInvitationAction(idle, form({ clientId: client.id })))).toMatch(
      new RegExp(`^NEXT_REDIRECT;.*/clients\\?tab=invitations&refus=${client.id}`),
    );
    expect((await statusOf(client.id))!.s).toBe('declined');
    const events = await db.select().from(clientEvents).where(eq(clientEvents.clientId, client.id));
    expect(events.map((e) => [e.kind, e.actorId])).toEqual([['invitation_declined', admin.id]]);
  });

  it.each([
    ['an accountant', () => lea],
    ['another firm’s admin', () => stranger],
    ['an anonymous caller', () => undefined],
  ])('refuses %s: nothing changes', async (_label, who) => {
    const client = await createClient(admin.firmId, { status: 'invitation' });
    signInAs(who());
    expect((await acceptInvitationAction(idle, form({ clientId: client.id }))).status).toBe('error');
    expect((await declineInvitationAction(idle, form({ clientId: client.id }))).status).toBe('error');
    expect((await statusOf(client.id))!.s).toBe('invitation');
  });
});

describe('Inviter un client', () => {
  it('creates an onboarding client with its accountants and e-mails the contact', async () => {
    signInAs(admin);
    const state = await inviteClientAction(
      idle,
      form({
        name: 'Boulangerie du Marché',
        siren: '552 100 554',
        contactEmail: ' Contact@Boulangerie.FR ',
        accountantIds: [lea.id, hugo.id],
      }),
    );
    expect(state.status).toBe('success');
    const id = state.data!.clientId!;
    const [row] = await db.select().from(clients).where(eq(clients.id, id));
    expect(row).toMatchObject({
      status: 'onboarding',
      verificationState: 'company_info',
      siren: '552100554',
      contactEmail: 'contact@boulangerie.fr',
    });
    expect(
      (await db.select().from(assignments).where(eq(assignments.clientId, id))).map((a) => a.userId).sort(),
    ).toEqual([lea.id, hugo.id].sort());
    const [mail] = await queryRows<{ to_address: string; subject: string; text: string }>(
      sql`SELECT to_address, subject, text FROM outbox_emails WHERE idempotency_key LIKE ${`client-invitation:${id}:%`}`,
    );
    expect(mail).toMatchObject({ to_address: 'contact@boulangerie.fr', subject: 'Cabinet Démo vous invite sur Pleo' });
    // Léa sees it at once under Intégration.
    expect(
      (await listClients(viewer(lea), parseClientListParams({ tab: 'integration' }))).rows.map((r) => r.id),
    ).toContain(id);
  });

  it.each([
    ['a SIREN with a bad check digit', { siren: '552100555' }, 'siren'],
    ['a SIREN of 8 digits', { siren: '55210055' }, 'siren'],
    ['a malformed e-mail', { contactEmail: 'pas-un-email' }, 'contactEmail'],
    ['an empty name', { name: ' ' }, 'name'],
  ])('refuses %s next to the field, creating nothing', async (_label, change, field) => {
    signInAs(admin);
    const before = (await db.select().from(clients)).length;
    const state = await inviteClientAction(
      idle,
      form({ name: 'Société X', siren: '', contactEmail: 'x@y.fr', ...change }),
    );
    expect(state.fieldErrors?.[field]?.[0]).toBeTruthy();
    expect((await db.select().from(clients)).length).toBe(before);
  });

  it('refuses an accountant of another firm, and an accountant inviting', async () => {
    const before = (await db.select().from(clients)).length;
    signInAs(admin);
    expect(
      (
        await inviteClientAction(
          idle,
          form({ name: 'Société Y', contactEmail: 'y@y.fr', accountantIds: strangerAccountant.id }),
        )
      ).status,
    ).toBe('error');
    signInAs(lea);
    expect((await inviteClientAction(idle, form({ name: 'Société Z', contactEmail: 'z@y.fr' }))).status).toBe('error');
    expect((await db.select().from(clients)).length).toBe(before);
  });

  it('knows a valid SIREN', () => {
    expect(isValidSiren('552100554')).toBe(true);
    expect(isValidSiren('732829320')).toBe(true);
    expect(isValidSiren('732829321')).toBe(false);
    expect(isValidSiren('abcdefghi')).toBe(false);
  });
});

describe('POST /api/webhooks/platform', () => {
  const SECRET = 'secret-partage-plateforme-123';
  const saved = process.env.PLATFORM_WEBHOOK_SECRET;
  beforeAll(() => {
    process.env.PLATFORM_WEBHOOK_SECRET = SECRET;
  });
  afterAll(() => {
    process.env.PLATFORM_WEBHOOK_SECRET = saved;
  });

  function call(event: unknown, options: { secret?: string; timestamp?: number; signature?: string } = {}) {
    const body = JSON.stringify(event);
    const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
    const signature = options.signature ?? signPlatformPayload(options.secret ?? SECRET, timestamp, body);
    return webhookPost(
      new Request('http://localhost/api/webhooks/platform', {
        method: 'POST',
        body,
        headers: { 'x-platform-timestamp': timestamp, 'x-platform-signature': signature },
      }),
    );
  }
  const event = (id: string, clientId: string, state: string) => ({
    id,
    type: 'client.verification_updated',
    data: { clientId, state },
  });

  it('moves a client through verification; verified, it is connected and keeps its assignments', async () => {
    const client = await createClient(admin.firmId, {
      status: 'onboarding',
      verification: 'company_info',
      team: [lea.id],
    });
    expect((await call(event('evt-1', client.id, 'directors'))).status).toBe(200);
    expect(await statusOf(client.id)).toEqual({ s: 'onboarding', v: 'directors' });
    expect((await call(event('evt-2', client.id, 'verified'))).status).toBe(200);
    expect(await statusOf(client.id)).toEqual({ s: 'active', v: 'verified' });
    expect(
      (await db.select().from(assignments).where(eq(assignments.clientId, client.id))).map((a) => a.userId),
    ).toEqual([lea.id]);
  });

  it('processes each event id once', async () => {
    const client = await createClient(admin.firmId, { status: 'onboarding', verification: 'company_info' });
    await call(event('evt-replay', client.id, 'in_review'));
    const replay = await call(event('evt-replay', client.id, 'verified'));
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ ok: true, duplicate: true });
    expect(await statusOf(client.id)).toEqual({ s: 'onboarding', v: 'in_review' });
  });

  it('refuses a bad signature, an old timestamp, a missing secret: nothing changes', async () => {
    const client = await createClient(admin.firmId, { status: 'onboarding', verification: 'company_info' });
    expect((await call(event('evt-a', client.id, 'verified'), { secret: 'un-autre-secret-quelconque' })).status).toBe(
      401,
    );
    expect(
      (await call(event('evt-b', client.id, 'verified'), { timestamp: Math.floor(Date.now() / 1000) - 301 })).status,
    ).toBe(401);
    expect((await call(event('evt-c', client.id, 'verified'), { signature: 'sha256=00' })).status).toBe(401);
    process.env.PLATFORM_WEBHOOK_SECRET = '';
    expect((await call(event('evt-d', client.id, 'verified'))).status).toBe(401);
    process.env.PLATFORM_WEBHOOK_SECRET = SECRET;
    expect(await statusOf(client.id)).toEqual({ s: 'onboarding', v: 'company_info' });
    expect(await db.select().from(webhookEvents).where(eq(webhookEvents.id, 'evt-a'))).toEqual([]);
  });

  it('answers 404 for an unknown client, and does not burn the event id', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await call(event('evt-unknown', unknown, 'verified'))).status).toBe(404);
    expect(await db.select().from(webhookEvents).where(eq(webhookEvents.id, 'evt-unknown'))).toEqual([]);
    expect((await call({ id: 'x', type: 'autre', data: {} })).status).toBe(400);
  });
});

describe('assignments', () => {
  it('assigns and unassigns from the details page; the accountant’s list changes at once', async () => {
    const client = await createClient(admin.firmId, { name: 'Atelier Nouveau' });
    signInAs(admin);
    expect((await assignAction(idle, form({ clientId: client.id, userId: hugo.id }))).message).toBe(
      'Comptable attribué.',
    );
    expect((await listClients(viewer(hugo), parseClientListParams({}))).rows.map((r) => r.id)).toContain(client.id);
    expect((await unassignAction(idle, form({ clientId: client.id, userId: hugo.id }))).status).toBe('success');
    expect((await listClients(viewer(hugo), parseClientListParams({}))).rows.map((r) => r.id)).not.toContain(client.id);
    expect((await unassignAction(idle, form({ clientId: client.id, userId: hugo.id }))).status).toBe('error');
  });

  it('"Attribuer à…" several rows in one step', async () => {
    const a = await createClient(admin.firmId, { name: 'Lot A' });
    const b = await createClient(admin.firmId, { name: 'Lot B', team: [lea.id] });
    signInAs(admin);
    const state = await bulkAssignAction(idle, form({ clientIds: [a.id, b.id], userId: lea.id }));
    expect(state).toMatchObject({
      status: 'success',
      message: '2 clients sélectionnés\u202f: 1 nouvelle attribution.',
    });
    const rows = await db
      .select()
      .from(assignments)
      .where(and(eq(assignments.userId, lea.id)));
    expect(rows.map((r) => r.clientId)).toEqual(expect.arrayContaining([a.id, b.id]));
  });

  it.each([
    ['no client selected', () => admin, () => ({ userId: lea.id }), 'Sélectionnez au moins un client.'],
    ['no accountant chosen', () => admin, (c: string) => ({ clientIds: c, userId: '' }), undefined],
    [
      'a user of another firm',
      () => admin,
      (c: string) => ({ clientIds: c, userId: strangerAccountant.id }),
      'Ce comptable ne fait pas partie de votre équipe.',
    ],
    [
      'an accountant',
      () => lea,
      (c: string) => ({ clientIds: c, userId: lea.id }),
      'Cette action est réservée aux administrateurs.',
    ],
    [
      'another firm’s admin',
      () => stranger,
      (c: string) => ({ clientIds: c, userId: strangerAccountant.id }),
      'Client introuvable.',
    ],
  ])('refuses %s: nothing assigned', async (_label, who, fields, message) => {
    const client = await createClient(admin.firmId);
    signInAs(who());
    const state = await bulkAssignAction(idle, form((fields as (c: string) => Record<string, string>)(client.id)));
    expect(state.status).toBe('error');
    if (message) expect(state.message === message || state.fieldErrors?.clientIds?.[0] === message).toBe(true);
    expect(await db.select().from(assignments).where(eq(assignments.clientId, client.id))).toEqual([]);
  });
});

describe('a client invitation that failed, sent again, or cancelled', () => {
  const fields = { name: 'Menuiserie Lambert', siren: '', contactEmail: 'contact@lambert.fr' };

  it('« réessayez » after a failed e-mail gives the same client, and the e-mail goes', async () => {
    const fake = await new FakeResend().start();
    try {
      const transport = resendTransport({
        apiKey: 're_test_key',
        baseUrl: fake.baseUrl,
        from: 'Portail <n@portail.test>',
      });
      fake.failNext({ status: 400, name: 'invalid_from_address' });
      const first = await inviteClient(adminRow(), { ...fields, accountantIds: [] }, { transport });
      expect(first.emailSent).toBe(false);
      const again = await inviteClient(
        adminRow(),
        { ...fields, contactEmail: 'CONTACT@lambert.fr', accountantIds: [lea.id] },
        { transport },
      );
      expect(again.emailSent).toBe(true);
      expect(again.client.id).toBe(first.client.id);
      expect(await db.select().from(clients).where(eq(clients.name, 'Menuiserie Lambert'))).toHaveLength(1);
      expect(fake.delivered).toHaveLength(1);
      // The same form submitted twice (a double click) is one e-mail.
      const formToken = crypto.randomUUID();
      await inviteClient(adminRow(), { ...fields, accountantIds: [], formToken }, { transport });
      await inviteClient(adminRow(), { ...fields, accountantIds: [], formToken }, { transport });
      expect(fake.delivered).toHaveLength(2);
    } finally {
      await fake.stop();
    }
  });

  it('« Renvoyer l’invitation » and « Annuler l’invitation » are an admin’s of that firm; cancelled, it leaves « Intégration »', async () => {
    signInAs(admin);
    const state = await inviteClientAction(
      idle,
      form({ name: 'Atelier Ravel', siren: '', contactEmail: 'ravel@atelier.fr' }),
    );
    const id = state.data!.clientId!;
    signInAs(lea);
    expect(await resendClientInvitationAction(idle, form({ clientId: id }))).toEqual({
      status: 'error',
      message: fr.t('errors.adminOnly'),
    });
    signInAs(stranger);
    expect(await resendClientInvitationAction(idle, form({ clientId: id }))).toEqual({
      status: 'error',
      message: fr.t('errors.clientNotFound'),
    });
    expect(await cancelClientInvitationAction(idle, form({ clientId: id }))).toEqual({
      status: 'error',
      message: fr.t('errors.clientNotFound'),
    });
    signInAs(admin);
    const resent = await resendClientInvitationAction(idle, form({ clientId: id, formToken: crypto.randomUUID() }));
    expect(resent).toEqual({ status: 'success', message: 'Invitation renvoyée à ravel@atelier.fr.' });
    const mails = await queryRows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM outbox_emails WHERE to_address = 'ravel@atelier.fr'`,
    );
    expect(mails[0]!.n).toBe(2);
    expect(await nextSignal(cancelClientInvitationAction(idle, form({ clientId: id })))).toMatch(
      new RegExp(`NEXT_REDIRECT;replace;/clients\\?tab=integration&annulation=${id};`),
    );
    expect(
      (await listClients(viewer(admin), parseClientListParams({ tab: 'integration' }))).rows.map((r) => r.id),
    ).not.toContain(id);
    const events = await db.select({ kind: clientEvents.kind }).from(clientEvents).where(eq(clientEvents.clientId, id));
    expect(events.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['client_invited', 'client_invitation_resent', 'client_invitation_cancelled']),
    );
    // Cancelled: nothing more to resend.
    expect((await resendClientInvitationAction(idle, form({ clientId: id }))).status).toBe('error');
  });
});
