import { and, asc, eq, inArray, isNotNull, ne } from 'drizzle-orm';
import { db, retryOnConflict } from '@/db';
import { assignments, clients, users } from '@/db/schema';
import { assertAdmin } from '@/lib/access/roles';
import type { CurrentUser } from '@/lib/access/users';
import { SafeError } from '@/lib/server/errors';
import { recordClientEvent, recordClientEvents } from '@/lib/clients/events';

type Admin = Pick<CurrentUser, 'id' | 'firmId' | 'role'>;

async function memberOf(firmId: string, userId: string) {
  const [user] = await db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(users.id, userId), eq(users.firmId, firmId), eq(users.active, true)));
  if (!user) throw new SafeError('errors.notInTeam');
  return user;
}

/**
 * Assigns one user of the firm to clients of the firm (not declined ones), in one statement;
 * already assigned pairs are left as they are (one granted for a time becomes permanent). Returns how many clients were newly assigned.
 */
export async function assignClients(admin: Admin, clientIds: string[], userId: string): Promise<number> {
  assertAdmin(admin);
  const member = await memberOf(admin.firmId, userId);
  return retryOnConflict(() =>
    db.transaction(async (tx) => {
      // The insert's trigger share-locks each client to copy its state (migration 0019). Taken here
      // first, in id order, as the platform's balance batches take theirs, so that the two never
      // wait on each other in a cycle.
      const found = await tx
        .select({ id: clients.id })
        .from(clients)
        .where(and(eq(clients.firmId, admin.firmId), inArray(clients.id, clientIds), ne(clients.status, 'declined')))
        .orderBy(asc(clients.id))
        .for('share');
      if (found.length !== new Set(clientIds).size) throw new SafeError('errors.clientNotFound');
      const added = await tx
        .insert(assignments)
        .values(found.map((c) => ({ firmId: admin.firmId, clientId: c.id, userId: member.id })))
        // An access granted for a time (« Demander l'accès ») becomes permanent; others stay as they are.
        .onConflictDoUpdate({
          target: [assignments.clientId, assignments.userId],
          set: { expiresAt: null },
          setWhere: isNotNull(assignments.expiresAt),
        })
        .returning({ clientId: assignments.clientId });
      await recordClientEvents(tx, {
        firmId: admin.firmId,
        clientIds: added.map((row) => row.clientId),
        actorId: admin.id,
        kind: 'assigned',
        detail: member.name,
      });
      return added.length;
    }),
  );
}

export async function unassignClient(admin: Admin, clientId: string, userId: string): Promise<boolean> {
  assertAdmin(admin);
  return db.transaction(async (tx) => {
    const removed = await tx
      .delete(assignments)
      .where(
        and(eq(assignments.firmId, admin.firmId), eq(assignments.clientId, clientId), eq(assignments.userId, userId)),
      )
      .returning({ userId: assignments.userId });
    if (removed.length === 0) throw new SafeError('errors.notAssigned');
    const [user] = await tx.select({ name: users.name }).from(users).where(eq(users.id, userId));
    await recordClientEvent(tx, {
      firmId: admin.firmId,
      clientId,
      actorId: admin.id,
      kind: 'unassigned',
      detail: user?.name ?? '',
    });
    return true;
  });
}
