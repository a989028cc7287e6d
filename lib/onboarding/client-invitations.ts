import { and, eq, inArray } from 'drizzle-orm';
import { db, type Tx } from '@/db';
import { assignments, clients, users } from '@/db/schema';
import ClientInvitationEmail, { clientInvitationSubject, clientInvitationText } from '@/emails/client-invitation';
import { assertAdmin } from '@/lib/auth/roles';
import { recordClientEvent } from '@/lib/clients/events';
import type { CurrentUser } from '@/lib/auth/users';
import { env } from '@/lib/env';
import { DEFAULT_LOCALE } from '@/lib/i18n/locales';
import { SafeError } from '@/lib/errors';
import { renderEmail } from '@/lib/mail/render';
import { sendEmailBatch } from '@/lib/mail/send';
import type { Transport } from '@/lib/mail/transport';

type Admin = Pick<CurrentUser, 'id' | 'firmId' | 'role' | 'name' | 'firmName'>;

/** The firm's active users among these ids; anything else is refused. */
async function activeMembers(firmId: string, userIds: string[]) {
  if (userIds.length === 0) return [];
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.firmId, firmId), eq(users.active, true), inArray(users.id, userIds)));
  if (rows.length !== new Set(userIds).size) throw new SafeError('errors.someNotInTeam');
  return rows;
}

export async function inviteClient(
  admin: Admin,
  input: { name: string; siren: string; contactEmail: string; accountantIds: string[] },
  options: { transport?: Transport } = {},
) {
  assertAdmin(admin);
  const team = await activeMembers(admin.firmId, input.accountantIds);
  const client = await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(clients)
      .values({
        firmId: admin.firmId,
        name: input.name,
        siren: input.siren || null,
        contactEmail: input.contactEmail,
        status: 'onboarding',
        verificationState: 'company_info',
      })
      .returning();
    if (team.length > 0) {
      await tx
        .insert(assignments)
        .values(team.map((u) => ({ firmId: admin.firmId, clientId: created!.id, userId: u.id })));
    }
    await recordClientEvent(tx, {
      firmId: admin.firmId,
      clientId: created!.id,
      actorId: admin.id,
      kind: 'client_invited',
      detail: input.contactEmail,
    });
    return created!;
  });
  // A client company of a French firm: the invitation goes out in French, whatever the admin's own UI language.
  const props = {
    locale: DEFAULT_LOCALE,
    firmName: admin.firmName,
    clientName: client.name,
    inviterName: admin.name,
    signupUrl: `${env.PLATFORM_SIGNUP_URL}?invitation=${client.id}`,
  };
  const email = await renderEmail(ClientInvitationEmail, props, {
    to: input.contactEmail,
    subject: clientInvitationSubject(props),
    text: clientInvitationText,
    firmId: admin.firmId,
  });
  const outcome = await sendEmailBatch([email], `client-invitation:${client.id}`, { transport: options.transport });
  return { client, emailSent: outcome.status === 'sent' };
}

/**
 * A verification step reported by the platform. A verified client becomes connected, with its
 * assignments kept. Nothing moves a client backwards, nor a client that is not onboarding.
 */
export async function applyVerification(
  clientId: string,
  state: 'company_info' | 'directors' | 'in_review' | 'verified',
  on: Tx,
) {
  return on.transaction(async (tx) => {
    const [updated] = await tx
      .update(clients)
      .set({ verificationState: state, ...(state === 'verified' ? { status: 'active' as const } : {}) })
      .where(and(eq(clients.id, clientId), eq(clients.status, 'onboarding')))
      .returning({ id: clients.id, firmId: clients.firmId });
    if (!updated) return false;
    await recordClientEvent(tx, {
      firmId: updated.firmId,
      clientId,
      kind: state === 'verified' ? 'verified' : 'verification_step',
      detail: state,
    });
    return true;
  });
}
