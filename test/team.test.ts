import { eq, sql } from 'drizzle-orm';
import { signInAs } from './session';
import { queryRows } from '@/db';
import { userInvitations, users } from '@/db/schema';
import { checkCredentials } from '@/lib/auth/authorize';
import { loadActiveUser } from '@/lib/access/users';
import {
  acceptMemberInvitationAction,
  cancelTeamInvitationAction,
  changeRoleAction,
  inviteMemberAction,
  resendTeamInvitationAction,
  setActiveAction,
} from '@/lib/team/actions';
import { findOpenInvitation } from '@/lib/team/queries';
import { resendTransport } from '@/lib/server/mail/transport';
import { FakeResend } from './fake-resend';
import { acceptMemberInvitation, inviteMember, resendTeamInvitation } from '@/lib/team/team-invitations';
import { fr } from './i18n';

const INVALID_LINK = fr.t('errors.invalidInvitationLink');
const LAST_ADMIN = fr.t('errors.lastAdmin');
import { withTestDatabase } from './db';
import { createFirm, createUser, TEST_PASSWORD, formData } from './factories';

jest.mock('next/cache', () => ({ revalidatePath: jest.fn() }));

const db = withTestDatabase();
type User = Awaited<ReturnType<typeof createUser>>;
let firmId: string;
let admin: User;
let lea: User;
let stranger: User;

beforeAll(async () => {
  const firm = await createFirm('Cabinet Démo');
  firmId = firm.id;
  admin = await createUser(firm.id, { role: 'admin', name: 'Claire Dubois', email: 'claire@demo.fr' });
  lea = await createUser(firm.id, { name: 'Léa Martin', email: 'lea@demo.fr' });
  const other = await createFirm();
  stranger = await createUser(other.id, { role: 'admin' });
});

const form = formData;
const idle = { status: 'idle' as const };
const adminUser = () => ({
  id: admin.id,
  firmId,
  role: 'admin' as const,
  name: 'Claire Dubois',
  firmName: 'Cabinet Démo',
  locale: 'fr' as const,
});

async function tokenFromOutbox(email: string): Promise<string> {
  const [row] = await queryRows<{ text: string }>(
    sql`SELECT text FROM outbox_emails WHERE to_address = ${email} ORDER BY created_at DESC LIMIT 1`,
  );
  return row!.text.match(/\/invitation\/([\w-]+)/)![1]!;
}

describe('inviting a colleague', () => {
  it('sends a one-time link that creates the account with the chosen password', async () => {
    signInAs(admin);
    const state = await inviteMemberAction(
      idle,
      form({ name: 'Camille Roux', email: 'Camille@Demo.fr', role: 'accountant' }),
    );
    expect(state).toMatchObject({
      status: 'success',
      message: 'Invitation envoyée à camille@demo.fr. Le lien est valable 7 jours.',
    });
    const [stored] = await db.select().from(userInvitations).where(eq(userInvitations.email, 'camille@demo.fr'));
    const token = await tokenFromOutbox('camille@demo.fr');
    expect(stored!.tokenHash).not.toContain(token); // stored hashed
    signInAs(undefined);
    const short = await acceptMemberInvitationAction(idle, form({ token, password: 'court', confirm: 'court' }));
    expect(short.fieldErrors?.password?.[0]).toBe('Le mot de passe doit faire au moins 10 caractères.');
    const mismatch = await acceptMemberInvitationAction(
      idle,
      form({ token, password: 'un-long-mot-de-passe', confirm: 'autre-chose-long' }),
    );
    expect(mismatch.fieldErrors?.confirm?.[0]).toBe('Les deux mots de passe ne sont pas identiques.');
    await expect(
      acceptMemberInvitationAction(
        idle,
        form({ token, password: 'un-long-mot-de-passe', confirm: 'un-long-mot-de-passe' }),
      ),
    ).rejects.toMatchObject({
      digest: expect.stringMatching(/^NEXT_REDIRECT;.*\/connexion\?bienvenue=1/),
    });
    const login = await checkCredentials('camille@demo.fr', 'un-long-mot-de-passe');
    expect(login).toMatchObject({ ok: true, user: { firmId, role: 'accountant' } });
    // Used once: the same link is refused.
    const reused = await acceptMemberInvitationAction(
      idle,
      form({ token, password: 'encore-un-mot-de-passe', confirm: 'encore-un-mot-de-passe' }),
    );
    expect(reused).toEqual({ status: 'error', message: INVALID_LINK });
  });

  it('refuses an expired or forged link', async () => {
    const sent = new Date('2026-11-01T10:00:00Z');
    await inviteMember(adminUser(), { name: 'Expiré', email: 'expire@demo.fr', role: 'accountant' }, { now: sent });
    const token = await tokenFromOutbox('expire@demo.fr');
    await expect(
      acceptMemberInvitation(token, 'un-long-mot-de-passe', new Date('2026-11-08T10:00:01Z')),
    ).rejects.toThrow('errors.invalidInvitationLink');
    await expect(acceptMemberInvitation('forged-token-forged-token', 'un-long-mot-de-passe')).rejects.toThrow(
      'errors.invalidInvitationLink',
    );
    expect(await db.select().from(users).where(eq(users.email, 'expire@demo.fr'))).toEqual([]);
  });

  it.each([
    [
      'an e-mail already in the team',
      { email: 'LEA@demo.fr' },
      'Cette adresse e-mail a déjà un compte sur le portail.',
    ],
    ['a malformed e-mail', { email: 'lea@' }, undefined],
  ])('refuses %s', async (_label, change, message) => {
    signInAs(admin);
    const before = (await db.select().from(userInvitations)).length;
    const state = await inviteMemberAction(idle, form({ name: 'Quelqu’un', role: 'accountant', ...change }));
    expect(state.status).toBe('error');
    if (message) expect(state.message).toBe(message);
    else expect(state.fieldErrors?.email?.[0]).toBe('Adresse e-mail invalide.');
    expect((await db.select().from(userInvitations)).length).toBe(before);
  });

  it('inviting again an address still invited sends a new link; the old one stops working', async () => {
    signInAs(admin);
    await inviteMemberAction(idle, form({ name: 'Double', email: 'double@demo.fr', role: 'admin' }));
    const first = await tokenFromOutbox('double@demo.fr');
    const again = await inviteMemberAction(idle, form({ name: 'Double', email: 'double@demo.fr', role: 'accountant' }));
    expect(again.status).toBe('success');
    const second = await tokenFromOutbox('double@demo.fr');
    expect(second).not.toBe(first);
    const rows = await db.select().from(userInvitations).where(eq(userInvitations.email, 'double@demo.fr'));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.role).toBe('accountant');
    await expect(acceptMemberInvitation(first, 'un-long-mot-de-passe')).rejects.toThrow('errors.invalidInvitationLink');
  });

  it('an address invited by another firm stays refused, revealing nothing more', async () => {
    await inviteMember(
      { ...adminUser(), id: stranger.id, firmId: stranger.firmId },
      { name: 'Ailleurs', email: 'ailleurs@demo.fr', role: 'accountant' },
    );
    signInAs(admin);
    const state = await inviteMemberAction(idle, form({ name: 'Ailleurs', email: 'ailleurs@demo.fr', role: 'admin' }));
    expect(state).toEqual({ status: 'error', message: fr.t('errors.invitationPending') });
  });

  it('after a failed e-mail, says to click « Renvoyer », and « Renvoyer » works with a new link', async () => {
    const fake = await new FakeResend().start();
    try {
      const transport = resendTransport({
        apiKey: 're_test_key',
        baseUrl: fake.baseUrl,
        from: 'Portail <n@portail.test>',
      });
      fake.failNext({ status: 400, name: 'invalid_from_address' });
      const { invitation, emailSent } = await inviteMember(
        adminUser(),
        { name: 'Raté', email: 'rate@demo.fr', role: 'accountant' },
        { transport },
      );
      expect(emailSent).toBe(false);
      expect(fr.t('teamInvitations.sentWithoutEmail')).toContain('«\u202fRenvoyer\u202f»');
      const resent = await resendTeamInvitation(adminUser(), invitation.id, { transport });
      expect(resent.emailSent).toBe(true);
      expect(fake.delivered).toHaveLength(1);
      const link = String((fake.delivered[0] as { text: string }).text).match(/\/invitation\/([\w-]+)/)![1]!;
      await acceptMemberInvitation(link, 'un-long-mot-de-passe');
      expect(await db.select().from(users).where(eq(users.email, 'rate@demo.fr'))).toHaveLength(1);
    } finally {
      await fake.stop();
    }
  });

  it('« Annuler » closes the link; another firm’s admin and an accountant can do neither', async () => {
    signInAs(admin);
    await inviteMemberAction(idle, form({ name: 'Annulé', email: 'annule@demo.fr', role: 'accountant' }));
    const token = await tokenFromOutbox('annule@demo.fr');
    const [row] = await db.select().from(userInvitations).where(eq(userInvitations.email, 'annule@demo.fr'));
    signInAs(stranger);
    expect(await cancelTeamInvitationAction(idle, form({ invitationId: row!.id }))).toEqual({
      status: 'error',
      message: fr.t('errors.invitationNotFound'),
    });
    expect((await resendTeamInvitationAction(idle, form({ invitationId: row!.id }))).status).toBe('error');
    signInAs(lea);
    expect(await cancelTeamInvitationAction(idle, form({ invitationId: row!.id }))).toEqual({
      status: 'error',
      message: fr.t('errors.adminOnly'),
    });
    expect(await findOpenInvitation(token)).toBeDefined();
    signInAs(admin);
    expect((await cancelTeamInvitationAction(idle, form({ invitationId: row!.id }))).status).toBe('success');
    expect(await findOpenInvitation(token)).toBeUndefined();
    await expect(acceptMemberInvitation(token, 'un-long-mot-de-passe')).rejects.toThrow('errors.invalidInvitationLink');
    // The address can be invited again.
    expect(
      (await inviteMemberAction(idle, form({ name: 'Annulé', email: 'annule@demo.fr', role: 'accountant' }))).status,
    ).toBe('success');
  });
});

describe('roles and deactivation', () => {
  it('changes a role and deactivates a member, who loses access at the next request', async () => {
    const member = await createUser(firmId, { name: 'Noé' });
    signInAs(admin);
    expect((await changeRoleAction(idle, form({ userId: member.id, role: 'admin' }))).status).toBe('success');
    expect((await loadActiveUser(member.id))?.role).toBe('admin');
    expect((await setActiveAction(idle, form({ userId: member.id, active: 'false' }))).status).toBe('success');
    expect(await loadActiveUser(member.id)).toBeUndefined();
    expect((await checkCredentials(member.email, TEST_PASSWORD)).ok).toBe(false);
    expect((await setActiveAction(idle, form({ userId: member.id, active: 'true' }))).status).toBe('success');
    expect((await loadActiveUser(member.id))?.role).toBe('admin');
    await setActiveAction(idle, form({ userId: member.id, active: 'false' }));
  });

  it('never leaves the firm without an active admin', async () => {
    const firm = await createFirm();
    const only = await createUser(firm.id, { role: 'admin' });
    signInAs(only);
    expect(await changeRoleAction(idle, form({ userId: only.id, role: 'accountant' }))).toEqual({
      status: 'error',
      message: LAST_ADMIN,
    });
    expect(await setActiveAction(idle, form({ userId: only.id, active: 'false' }))).toEqual({
      status: 'error',
      message: LAST_ADMIN,
    });
    expect((await loadActiveUser(only.id))?.role).toBe('admin');
    // With a second admin, the first may step down.
    const second = await createUser(firm.id, { role: 'admin' });
    expect((await changeRoleAction(idle, form({ userId: only.id, role: 'accountant' }))).status).toBe('success');
    signInAs(second);
    expect(await setActiveAction(idle, form({ userId: second.id, active: 'false' }))).toEqual({
      status: 'error',
      message: LAST_ADMIN,
    });
  });

  it('refuses an accountant inviting a colleague', async () => {
    signInAs(lea);
    expect(
      await inviteMemberAction(idle, form({ name: 'Intrus', email: 'intrus@demo.fr', role: 'admin' })),
    ).toMatchObject({ status: 'error' });
    expect(await db.select().from(userInvitations).where(eq(userInvitations.email, 'intrus@demo.fr'))).toEqual([]);
  });

  it.each([
    ['an accountant', () => lea, () => lea.id],
    ['another firm’s admin', () => stranger, () => lea.id],
  ])('refuses %s: nothing changes', async (_label, who, target) => {
    signInAs(who());
    expect((await changeRoleAction(idle, form({ userId: target(), role: 'admin' }))).status).toBe('error');
    expect((await setActiveAction(idle, form({ userId: target(), active: 'false' }))).status).toBe('error');
    expect(await loadActiveUser(lea.id)).toMatchObject({ role: 'accountant' });
  });
});
