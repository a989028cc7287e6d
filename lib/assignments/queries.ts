import { and, eq, sql } from 'drizzle-orm';
import { preparedStatement } from '@/db';
import { users } from '@/db/schema';

/** The firm's active members, for the "Attribuer à…" choices. */
const assignableUsers = preparedStatement('assignable-users', (on) =>
  on
    .select({ id: users.id, name: users.name, role: users.role })
    .from(users)
    .where(and(eq(users.firmId, sql.placeholder('firmId')), eq(users.active, true)))
    .orderBy(users.name)
    .prepare('assignable_users'),
);

export async function listAssignableUsers(firmId: string) {
  return assignableUsers({}).execute({ firmId });
}
