import { randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { db, queryRows, timestamptz } from '@/db';
import { userInvitations, users, type UserRole } from '@/db/schema';
import TeamInvitationEmail, { teamInvitationSubject, teamInvitationText } from '@/emails/team-invitation';
import { hashPassword } from '@/lib/auth/password';
import { assertAdmin } from '@/lib/access/roles';
import type { CurrentUser } from '@/lib/access/users';
import { appUrl } from '@/lib/server/env';
import { actorOf, recordActivity } from '@/lib/activity/record';
import { SafeError } from '@/lib/server/errors';
import { isUuid } from '@/lib/server/ids';
import { renderEmail } from '@/lib/server/mail/render';
import { sendEmailBatch } from '@/lib/server/mail/send';
import type { Transport } from '@/lib/server/mail/transport';
import { hashToken } from './tokens';

// A team invitation: an admin invites a colleague to the firm (not a client invitation, lib/onboarding,
// nor a client's connection request, lib/connection-requests).

type Admin = Pick<CurrentUser, 'id' | 'firmId' | 'role' | 'name' | 'firmName' | 'locale'>;

const INVITATION_DAYS = 7;

/**
 * Invites a colleague: a random token, stored hashed, valid 7 days, usable once. Inviting again an
 * address whose invitation is still open (the first e-mail failed, or was lost) sends it again with
 * a new link: a failed send never blocks the address.
 */
export async function inviteMember(
  admin: Admin,
  input: { name: string; email: string; role: UserRole },
  options: { transport?: Transport; now?: Date } = {},
) {
  assertAdmin(admin);
  const now = options.now ?? new Date();
  const [existing] = await queryRows<{ id: string }>(sql`SELECT id FROM users WHERE lower(email) = ${input.email}`);
  if (existing) throw new SafeError('errors.emailTaken');
  const token = randomBytes(32).toString('base64url');
  const invitation = await db.transaction(async (tx) => {
    // An expired invitation to the same e-mail is closed so that a new one can be sent.
    await tx.execute(sql`UPDATE user_invitations SET used_at = ${timestamptz(now)}
      WHERE lower(email) = ${input.email} AND used_at IS NULL AND expires_at <= ${timestamptz(now)}`);
    const [open] = await tx
      .select()
      .from(userInvitations)
      .where(and(sql`lower(${userInvitations.email}) = ${input.email}`, isNull(userInvitations.usedAt)))
      .for('update');
    // Another firm's open invitation: nothing to reveal about it, nothing to change.
    if (open && open.firmId !== admin.firmId) throw new SafeError('errors.invitationPending');
    const values = {
      name: input.name,
      role: input.role,
      tokenHash: hashToken(token),
      invitedBy: admin.id,
      expiresAt: expiry(now),
    };
    const [row] = open
      ? await tx.update(userInvitations).set(values).where(eq(userInvitations.id, open.id)).returning()
      : await tx
          .insert(userInvitations)
          .values({ firmId: admin.firmId, email: input.email, ...values })
          .onConflictDoNothing()
          .returning();
    if (!row) throw new SafeError('errors.invitationPending');
    await recordActivity(tx, {
      firmId: admin.firmId,
      actor: actorOf(admin),
      action: 'team_invitation_sent',
      details: { email: row.email, role: row.role, again: Boolean(open) },
    });
    return row;
  });
  return { invitation, emailSent: await sendInvitation(admin, invitation, token, options.transport) };
}

/** "Renvoyer": a new link (the old one stops working) and a new e-mail, for an open invitation. */
export async function resendTeamInvitation(
  admin: Admin,
  invitationId: string,
  options: { transport?: Transport; now?: Date } = {},
) {
  assertAdmin(admin);
  const now = options.now ?? new Date();
  const token = randomBytes(32).toString('base64url');
  const invitation = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(userInvitations)
      .set({ tokenHash: hashToken(token), expiresAt: expiry(now), invitedBy: admin.id })
      .where(openInvitationOf(admin.firmId, invitationId, now))
      .returning();
    if (!row) throw new SafeError('errors.invitationNotFound');
    await recordActivity(tx, {
      firmId: admin.firmId,
      actor: actorOf(admin),
      action: 'team_invitation_sent',
      details: { email: row.email, role: row.role, again: true },
    });
    return row;
  });
  return { invitation, emailSent: await sendInvitation(admin, invitation, token, options.transport) };
}

/** "Annuler": the link stops working; the address may be invited again. */
export async function cancelTeamInvitation(admin: Admin, invitationId: string, now = new Date()) {
  assertAdmin(admin);
  return db.transaction(async (tx) => {
    const [invitation] = await tx
      .update(userInvitations)
      .set({ usedAt: now })
      .where(openInvitationOf(admin.firmId, invitationId, now))
      .returning({ id: userInvitations.id, email: userInvitations.email });
    if (!invitation) throw new SafeError('errors.invitationNotFound');
    await recordActivity(tx, {
      firmId: admin.firmId,
      actor: actorOf(admin),
      action: 'team_invitation_cancelled',
      details: { email: invitation.email },
    });
    return invitation;
  });
}

function openInvitationOf(firmId: string, invitationId: string, now: Date) {
  if (!isUuid(invitationId)) throw new SafeError('errors.invitationNotFound');
  return and(
    eq(userInvitations.id, invitationId),
    eq(userInvitations.firmId, firmId),
    isNull(userInvitations.usedAt),
    gt(userInvitations.expiresAt, now),
  );
}

function expiry(now: Date): Date {
  return new Date(now.getTime() + INVITATION_DAYS * 86_400_000);
}

/**
 * The invitation e-mail for one token. The key names the token: sending the same link again is
 * deduplicated by the provider, a new link is a new e-mail.
 */
async function sendInvitation(
  admin: Admin,
  invitation: { id: string; email: string; name: string; role: UserRole },
  token: string,
  transport: Transport | undefined,
): Promise<boolean> {
  // The invitee has no account yet, so no language of their own: the inviting admin's, a colleague's.
  const props = {
    locale: admin.locale,
    firmName: admin.firmName,
    inviterName: admin.name,
    name: invitation.name,
    role: invitation.role,
    acceptUrl: `${appUrl()}/invitation/${token}`,
  };
  const email = await renderEmail(TeamInvitationEmail, props, {
    to: invitation.email,
    subject: teamInvitationSubject(props),
    text: teamInvitationText,
    firmId: admin.firmId,
  });
  const key = `team-invitation:${invitation.id}:${hashToken(token).slice(0, 16)}`;
  return (await sendEmailBatch([email], key, { transport })).status === 'sent';
}

/** Uses an invitation link once: creates the account with the chosen password. */
export async function acceptMemberInvitation(token: string, password: string, now = new Date()) {
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const [invitation] = await tx
      .update(userInvitations)
      .set({ usedAt: now })
      .where(
        and(
          eq(userInvitations.tokenHash, hashToken(token)),
          isNull(userInvitations.usedAt),
          gt(userInvitations.expiresAt, now),
        ),
      )
      .returning();
    if (!invitation) throw new SafeError('errors.invalidInvitationLink');
    const [taken] = await queryRows<{ id: string }>(
      sql`SELECT id FROM users WHERE lower(email) = ${invitation.email}`,
      tx,
    );
    if (taken) throw new SafeError('errors.emailTaken');
    const [user] = await tx
      .insert(users)
      .values({
        firmId: invitation.firmId,
        email: invitation.email,
        name: invitation.name,
        role: invitation.role,
        passwordHash,
      })
      .returning({ id: users.id, email: users.email });
    return user!;
  });
}
