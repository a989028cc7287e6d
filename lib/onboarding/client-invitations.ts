import { and, eq, inArray, or, sql } from 'drizzle-orm';
import { db, queryRows, type Tx } from '@/db';
import { assignments, clients, users } from '@/db/schema';
import ClientInvitationEmail, { clientInvitationSubject, clientInvitationText } from '@/emails/client-invitation';
import { assertAdmin } from '@/lib/access/roles';
import { recordClientEvent } from '@/lib/clients/events';
import type { CurrentUser } from '@/lib/access/users';
import { env } from '@/lib/server/env';
import { DEFAULT_LOCALE } from '@/lib/server/i18n/locales';
import { SafeError } from '@/lib/server/errors';
import { isUuid } from '@/lib/server/ids';
import { renderEmail } from '@/lib/server/mail/render';
import { sendEmailBatch } from '@/lib/server/mail/send';
import type { Transport } from '@/lib/server/mail/transport';

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

/**
 * Invites a client. Submitting again for a client still waiting (same SIREN, or same contact
 * e-mail, while its verification has not started) gives the same client and sends its invitation
 * again: an e-mail that failed, then "réessayez", never makes a second client.
 */
export async function inviteClient(
  admin: Admin,
  input: { name: string; siren: string; contactEmail: string; accountantIds: string[]; formToken?: string },
  options: { transport?: Transport } = {},
) {
  assertAdmin(admin);
  const team = await activeMembers(admin.firmId, input.accountantIds);
  const client = await db.transaction(async (tx) => {
    // One invitation at a time per firm: two submissions at once find each other's client.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`client-invitation:${admin.firmId}`}))`);
    const [pending] = await tx
      .select()
      .from(clients)
      .where(
        and(
          eq(clients.firmId, admin.firmId),
          eq(clients.status, 'onboarding'),
          eq(clients.verificationState, 'company_info'),
          or(
            input.siren ? eq(clients.siren, input.siren) : undefined,
            sql`lower(${clients.contactEmail}) = ${input.contactEmail.trim().toLowerCase()}`,
          ),
        ),
      )
      .limit(1);
    const invited =
      pending ??
      (
        await tx
          .insert(clients)
          .values({
            firmId: admin.firmId,
            name: input.name,
            siren: input.siren || null,
            contactEmail: input.contactEmail,
            status: 'onboarding',
            verificationState: 'company_info',
          })
          .returning()
      )[0]!;
    if (team.length > 0) {
      await tx
        .insert(assignments)
        .values(team.map((u) => ({ firmId: admin.firmId, clientId: invited.id, userId: u.id })))
        .onConflictDoNothing();
    }
    await recordClientEvent(tx, {
      firmId: admin.firmId,
      clientId: invited.id,
      actorId: admin.id,
      kind: pending ? 'client_invitation_resent' : 'client_invited',
      detail: invited.contactEmail ?? input.contactEmail,
    });
    return invited;
  });
  const emailSent = await sendClientInvitation(admin, client, options.transport, input.formToken);
  return { client, emailSent };
}

/** "Renvoyer l'invitation", for a client still onboarding. */
export async function resendClientInvitation(
  admin: Admin,
  clientId: string,
  options: { transport?: Transport; formToken?: string } = {},
) {
  assertAdmin(admin);
  const client = await db.transaction(async (tx) => {
    const [found] = await tx.select().from(clients).where(onboardingClientOf(admin.firmId, clientId));
    if (!found) throw new SafeError('errors.clientNotFound');
    await recordClientEvent(tx, {
      firmId: admin.firmId,
      clientId: found.id,
      actorId: admin.id,
      kind: 'client_invitation_resent',
      detail: found.contactEmail ?? '',
    });
    return found;
  });
  return { client, emailSent: await sendClientInvitation(admin, client, options.transport, options.formToken) };
}

/** "Annuler l'invitation": the client leaves "Intégration" (kept, declined, in its history). */
export async function cancelClientInvitation(admin: Admin, clientId: string) {
  assertAdmin(admin);
  return db.transaction(async (tx) => {
    const [cancelled] = await tx
      .update(clients)
      .set({ status: 'declined' })
      .where(onboardingClientOf(admin.firmId, clientId))
      .returning({ id: clients.id, name: clients.name });
    if (!cancelled) throw new SafeError('errors.clientNotFound');
    await recordClientEvent(tx, {
      firmId: admin.firmId,
      clientId: cancelled.id,
      actorId: admin.id,
      kind: 'client_invitation_cancelled',
    });
    return cancelled;
  });
}

function onboardingClientOf(firmId: string, clientId: string) {
  if (!isUuid(clientId)) throw new SafeError('errors.clientNotFound');
  return and(eq(clients.id, clientId), eq(clients.firmId, firmId), eq(clients.status, 'onboarding'));
}

/**
 * The invitation e-mail. Its key names the form that asked for it: the same form submitted twice
 * (a double click, a retry after a failure) is one e-mail for the provider; another form (a later
 * "Renvoyer") is a new one. Without a form (scripts), each sending counts.
 */
async function sendClientInvitation(
  admin: Admin,
  client: { id: string; name: string; contactEmail: string | null },
  transport: Transport | undefined,
  formToken: string | undefined,
): Promise<boolean> {
  if (!client.contactEmail) return false;
  // A client company of a French firm: the invitation goes out in French, whatever the admin's own UI language.
  const props = {
    locale: DEFAULT_LOCALE,
    firmName: admin.firmName,
    clientName: client.name,
    inviterName: admin.name,
    signupUrl: `${env.PLATFORM_SIGNUP_URL}?invitation=${client.id}`,
  };
  const email = await renderEmail(ClientInvitationEmail, props, {
    to: client.contactEmail,
    subject: clientInvitationSubject(props),
    text: clientInvitationText,
    firmId: admin.firmId,
  });
  const key = `client-invitation:${client.id}:${formToken ?? `n${await countSends(client.id)}`}`;
  const outcome = await sendEmailBatch([email], key, { transport });
  return outcome.status === 'sent';
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

async function countSends(clientId: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM client_events
        WHERE client_id = ${clientId} AND kind IN ('client_invited', 'client_invitation_resent')`,
  );
  return row?.n ?? 0;
}
