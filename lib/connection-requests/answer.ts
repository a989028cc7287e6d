import { and, eq } from 'drizzle-orm';
import { db } from '@/db';
import { clients, type ClientStatus } from '@/db/schema';
import { assertAdmin } from '@/lib/access/roles';
import type { CurrentUser } from '@/lib/access/users';
import { recordClientEvent } from '@/lib/clients/events';
import { SafeError } from '@/lib/server/errors';
import { isUuid } from '@/lib/server/ids';

// A connection request: a client that added the firm as its external accountant ("Invitations" tab)
// and waits for the firm's answer. Not to be confused with a client invitation (the firm invites a
// client, lib/onboarding) or a team invitation (an admin invites a colleague, lib/team).

/** Answers a client's connection request (its invitation to the firm) once: a second answer, or one for another status, changes nothing. */
export async function answerConnectionRequest(
  admin: Pick<CurrentUser, 'id' | 'firmId' | 'role'>,
  clientId: string,
  accept: boolean,
) {
  assertAdmin(admin);
  if (!isUuid(clientId)) throw new SafeError('errors.clientNotFound');
  const next: ClientStatus = accept ? 'active' : 'declined';
  return db.transaction(async (tx) => {
    const [updated] = await tx
      .update(clients)
      .set({ status: next })
      .where(and(eq(clients.id, clientId), eq(clients.firmId, admin.firmId), eq(clients.status, 'invitation')))
      .returning({ id: clients.id, name: clients.name });
    if (!updated) {
      const [exists] = await tx
        .select({ id: clients.id })
        .from(clients)
        .where(and(eq(clients.id, clientId), eq(clients.firmId, admin.firmId)));
      throw new SafeError(exists ? 'errors.noLongerInvitation' : 'errors.clientNotFound');
    }
    await recordClientEvent(tx, {
      firmId: admin.firmId,
      clientId,
      actorId: admin.id,
      kind: accept ? 'invitation_accepted' : 'invitation_declined',
    });
    return updated;
  });
}
