import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import { db, queryRows, type Tx } from '@/db';
import { userInvitations, users, type UserRole } from '@/db/schema';
import TeamInvitationEmail, { teamInvitationSubject, teamInvitationText } from '@/emails/team-invitation';
import { hashPassword } from '@/lib/auth/password';
import { assertAdmin } from '@/lib/auth/roles';
import type { CurrentUser } from '@/lib/auth/users';
import { appUrl } from '@/lib/env';
import { SafeError } from '@/lib/errors';
import { isUuid } from '@/lib/ids';
import { fr } from '@/lib/i18n/fr';
import { renderEmail } from '@/lib/mail/render';
import { sendEmailBatch } from '@/lib/mail/send';
import type { Transport } from '@/lib/mail/transport';

type Admin = Pick<CurrentUser, 'id' | 'firmId' | 'role' | 'name' | 'firmName'>;

export const INVITATION_DAYS = 7;
export const LAST_ADMIN = "Votre cabinet doit garder au moins un administrateur actif.";
export const INVALID_LINK = "Ce lien n'est plus valable : il a expiré ou a déjà servi. Demandez une nouvelle invitation à votre administrateur.";

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function listMembers(firmId: string) {
  return db
    .select({ id: users.id, name: users.name, email: users.email, role: users.role, active: users.active })
    .from(users)
    .where(eq(users.firmId, firmId))
    .orderBy(asc(users.active), asc(users.name));
}

export async function listOpenInvitations(firmId: string, now = new Date()) {
  return db
    .select({ id: userInvitations.id, name: userInvitations.name, email: userInvitations.email, role: userInvitations.role, expiresAt: userInvitations.expiresAt })
    .from(userInvitations)
    .where(and(eq(userInvitations.firmId, firmId), isNull(userInvitations.usedAt), gt(userInvitations.expiresAt, now)))
    .orderBy(asc(userInvitations.createdAt));
}

/** Invites a colleague: a random token, stored hashed, valid 7 days, usable once. */
export async function inviteMember(
  admin: Admin,
  input: { name: string; email: string; role: UserRole },
  options: { transport?: Transport; now?: Date } = {},
) {
  assertAdmin(admin);
  const now = options.now ?? new Date();
  const [existing] = await queryRows<{ id: string }>(sql`SELECT id FROM users WHERE lower(email) = ${input.email}`);
  if (existing) throw new SafeError('Cette adresse e-mail a déjà un compte sur le portail.');
  const token = randomBytes(32).toString('base64url');
  const invitation = await db.transaction(async (tx) => {
    // An expired invitation to the same e-mail is closed so that a new one can be sent.
    await tx.execute(sql`UPDATE user_invitations SET used_at = ${now.toISOString()}::timestamptz
      WHERE lower(email) = ${input.email} AND used_at IS NULL AND expires_at <= ${now.toISOString()}::timestamptz`);
    const [row] = await tx
      .insert(userInvitations)
      .values({
        firmId: admin.firmId,
        email: input.email,
        name: input.name,
        role: input.role,
        tokenHash: hashToken(token),
        invitedBy: admin.id,
        expiresAt: new Date(now.getTime() + INVITATION_DAYS * 86_400_000),
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new SafeError('Une invitation est déjà en cours pour cette adresse e-mail.');
    return row;
  });
  const props = { firmName: admin.firmName, inviterName: admin.name, name: input.name, roleLabel: fr.roles[input.role], acceptUrl: `${appUrl()}/invitation/${token}` };
  const email = await renderEmail(TeamInvitationEmail, props, { to: input.email, subject: teamInvitationSubject(props), text: teamInvitationText });
  const outcome = await sendEmailBatch([email], `team-invitation:${invitation.id}`, { transport: options.transport });
  return { invitation, emailSent: outcome.status === 'sent' };
}

export async function findOpenInvitation(token: string, now = new Date()) {
  const [row] = await db
    .select({ id: userInvitations.id, name: userInvitations.name, email: userInvitations.email, firmId: userInvitations.firmId })
    .from(userInvitations)
    .where(and(eq(userInvitations.tokenHash, hashToken(token)), isNull(userInvitations.usedAt), gt(userInvitations.expiresAt, now)));
  return row;
}

/** Uses an invitation link once: creates the account with the chosen password. */
export async function acceptMemberInvitation(token: string, password: string, now = new Date()) {
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const [invitation] = await tx
      .update(userInvitations)
      .set({ usedAt: now })
      .where(and(eq(userInvitations.tokenHash, hashToken(token)), isNull(userInvitations.usedAt), gt(userInvitations.expiresAt, now)))
      .returning();
    if (!invitation) throw new SafeError(INVALID_LINK);
    const [taken] = await queryRows<{ id: string }>(sql`SELECT id FROM users WHERE lower(email) = ${invitation.email}`, tx);
    if (taken) throw new SafeError('Cette adresse e-mail a déjà un compte sur le portail.');
    const [user] = await tx
      .insert(users)
      .values({ firmId: invitation.firmId, email: invitation.email, name: invitation.name, role: invitation.role, passwordHash })
      .returning({ id: users.id, email: users.email });
    return user!;
  });
}

/**
 * Locks the firm's active admins, then checks that the change leaves one: two admins demoting
 * each other at the same moment cannot leave the firm without one.
 */
async function keepAnAdmin(tx: Tx, firmId: string, changedUserId: string) {
  const admins = await queryRows<{ id: string }>(
    sql`SELECT id FROM users WHERE firm_id = ${firmId} AND role = 'admin' AND active FOR UPDATE`,
    tx,
  );
  if (admins.every((a) => a.id === changedUserId)) throw new SafeError(LAST_ADMIN);
}

export async function changeRole(admin: Pick<CurrentUser, 'id' | 'firmId' | 'role'>, userId: string, role: UserRole) {
  assertAdmin(admin);
  if (!isUuid(userId)) throw new SafeError('Membre inconnu.');
  return db.transaction(async (tx) => {
    if (role !== 'admin') await keepAnAdmin(tx, admin.firmId, userId);
    const [row] = await tx.update(users).set({ role }).where(and(eq(users.id, userId), eq(users.firmId, admin.firmId))).returning({ id: users.id });
    if (!row) throw new SafeError('Membre inconnu.');
    return row;
  });
}

export async function setActive(admin: Pick<CurrentUser, 'id' | 'firmId' | 'role'>, userId: string, active: boolean) {
  assertAdmin(admin);
  if (!isUuid(userId)) throw new SafeError('Membre inconnu.');
  return db.transaction(async (tx) => {
    if (!active) await keepAnAdmin(tx, admin.firmId, userId);
    const [row] = await tx.update(users).set({ active }).where(and(eq(users.id, userId), eq(users.firmId, admin.firmId))).returning({ id: users.id });
    if (!row) throw new SafeError('Membre inconnu.');
    return row;
  });
}
