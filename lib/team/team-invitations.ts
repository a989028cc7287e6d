import { randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { db, queryRows } from '@/db';
import { userInvitations, users, type UserRole } from '@/db/schema';
import TeamInvitationEmail, { teamInvitationSubject, teamInvitationText } from '@/emails/team-invitation';
import { hashPassword } from '@/lib/auth/password';
import { assertAdmin } from '@/lib/auth/roles';
import type { CurrentUser } from '@/lib/auth/users';
import { appUrl } from '@/lib/env';
import { SafeError } from '@/lib/errors';
import { renderEmail } from '@/lib/mail/render';
import { sendEmailBatch } from '@/lib/mail/send';
import type { Transport } from '@/lib/mail/transport';
import { hashToken } from './tokens';

// A team invitation: an admin invites a colleague to the firm (not a client invitation, lib/onboarding,
// nor a client's connection request, lib/connection-requests).

type Admin = Pick<CurrentUser, 'id' | 'firmId' | 'role' | 'name' | 'firmName' | 'locale'>;

const INVITATION_DAYS = 7;

/** Invites a colleague: a random token, stored hashed, valid 7 days, usable once. */
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
    if (!row) throw new SafeError('errors.invitationPending');
    return row;
  });
  // The invitee has no account yet, so no language of their own: the inviting admin's, a colleague's.
  const props = {
    locale: admin.locale,
    firmName: admin.firmName,
    inviterName: admin.name,
    name: input.name,
    role: input.role,
    acceptUrl: `${appUrl()}/invitation/${token}`,
  };
  const email = await renderEmail(TeamInvitationEmail, props, {
    to: input.email,
    subject: teamInvitationSubject(props),
    text: teamInvitationText,
    firmId: admin.firmId,
  });
  const outcome = await sendEmailBatch([email], `team-invitation:${invitation.id}`, { transport: options.transport });
  return { invitation, emailSent: outcome.status === 'sent' };
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
