import { and, eq } from 'drizzle-orm';
import { db } from '@/db';
import { users } from '@/db/schema';

/** The firm's active members, for the "Attribuer à…" choices. */
export async function listAssignableUsers(firmId: string) {
  return db
    .select({ id: users.id, name: users.name, role: users.role })
    .from(users)
    .where(and(eq(users.firmId, firmId), eq(users.active, true)))
    .orderBy(users.name);
}
