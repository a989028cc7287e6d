import { and, desc, eq, inArray } from 'drizzle-orm';
import { db, type Tx } from '@/db';
import { assignments, clientEvents, clients, users, type ClientStatus } from '@/db/schema';
import ClientInvitationEmail, { clientInvitationSubject, clientInvitationText } from '@/emails/client-invitation';
import { assertAdmin } from '@/lib/auth/roles';
import type { CurrentUser } from '@/lib/auth/users';
import { env } from '@/lib/env';
import { SafeError } from '@/lib/errors';
import { isUuid } from '@/lib/ids';
import { renderEmail } from '@/lib/mail/render';
import { sendEmailBatch } from '@/lib/mail/send';
import type { Transport } from '@/lib/mail/transport';

type Admin = Pick<CurrentUser, 'id' | 'firmId' | 'role' | 'name' | 'firmName'>;

export const NO_LONGER_INVITATION = "Ce client n'attend plus de réponse : l'invitation a déjà été traitée.";

export async function recordEvent(tx: Tx, event: { firmId: string; clientId: string; actorId?: string | null; kind: string; detail?: string }) {
  await tx.insert(clientEvents).values({ ...event, actorId: event.actorId ?? null, detail: event.detail ?? '' });
}

/** Answers a client's invitation once: a second answer, or one for another status, changes nothing. */
export async function answerInvitation(admin: Pick<CurrentUser, 'id' | 'firmId' | 'role'>, clientId: string, accept: boolean) {
  assertAdmin(admin);
  if (!isUuid(clientId)) throw new SafeError('Client introuvable.');
  const next: ClientStatus = accept ? 'active' : 'declined';
  return db.transaction(async (tx) => {
    const [updated] = await tx
      .update(clients)
      .set({ status: next })
      .where(and(eq(clients.id, clientId), eq(clients.firmId, admin.firmId), eq(clients.status, 'invitation')))
      .returning({ id: clients.id, name: clients.name });
    if (!updated) {
      const [exists] = await tx.select({ id: clients.id }).from(clients).where(and(eq(clients.id, clientId), eq(clients.firmId, admin.firmId)));
      throw new SafeError(exists ? NO_LONGER_INVITATION : 'Client introuvable.');
    }
    await recordEvent(tx, { firmId: admin.firmId, clientId, actorId: admin.id, kind: accept ? 'invitation_accepted' : 'invitation_declined' });
    return updated;
  });
}

/** The firm's active users among these ids; anything else is refused. */
async function activeMembers(firmId: string, userIds: string[]) {
  if (userIds.length === 0) return [];
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.firmId, firmId), eq(users.active, true), inArray(users.id, userIds)));
  if (rows.length !== new Set(userIds).size) throw new SafeError('Un des comptables choisis ne fait pas partie de votre équipe.');
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
      await tx.insert(assignments).values(team.map((u) => ({ firmId: admin.firmId, clientId: created!.id, userId: u.id })));
    }
    await recordEvent(tx, { firmId: admin.firmId, clientId: created!.id, actorId: admin.id, kind: 'client_invited', detail: input.contactEmail });
    return created!;
  });
  const props = { firmName: admin.firmName, clientName: client.name, inviterName: admin.name, signupUrl: `${env.PLATFORM_SIGNUP_URL}?invitation=${client.id}` };
  const email = await renderEmail(ClientInvitationEmail, props, { to: input.contactEmail, subject: clientInvitationSubject(props), text: clientInvitationText });
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
    await recordEvent(tx, { firmId: updated.firmId, clientId, kind: state === 'verified' ? 'verified' : 'verification_step', detail: state });
    return true;
  });
}

export async function listClientEvents(firmId: string, clientId: string, limit = 20) {
  return db
    .select({ id: clientEvents.id, kind: clientEvents.kind, detail: clientEvents.detail, createdAt: clientEvents.createdAt, actorName: users.name })
    .from(clientEvents)
    .leftJoin(users, eq(users.id, clientEvents.actorId))
    .where(and(eq(clientEvents.firmId, firmId), eq(clientEvents.clientId, clientId)))
    .orderBy(desc(clientEvents.createdAt), desc(clientEvents.id))
    .limit(limit);
}
