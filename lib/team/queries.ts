import { and, asc, eq, gt, isNull } from 'drizzle-orm';
import { db } from '@/db';
import { userInvitations, users } from '@/db/schema';
import { hashToken } from './tokens';

export async function listMembers(firmId: string) {
  return db
    .select({ id: users.id, name: users.name, email: users.email, role: users.role, active: users.active })
    .from(users)
    .where(eq(users.firmId, firmId))
    .orderBy(asc(users.active), asc(users.name));
}

export async function listOpenInvitations(firmId: string, now = new Date()) {
  return db
    .select({
      id: userInvitations.id,
      name: userInvitations.name,
      email: userInvitations.email,
      role: userInvitations.role,
      expiresAt: userInvitations.expiresAt,
    })
    .from(userInvitations)
    .where(and(eq(userInvitations.firmId, firmId), isNull(userInvitations.usedAt), gt(userInvitations.expiresAt, now)))
    .orderBy(asc(userInvitations.createdAt));
}

export async function findOpenInvitation(token: string, now = new Date()) {
  const [row] = await db
    .select({
      id: userInvitations.id,
      name: userInvitations.name,
      email: userInvitations.email,
      firmId: userInvitations.firmId,
    })
    .from(userInvitations)
    .where(
      and(
        eq(userInvitations.tokenHash, hashToken(token)),
        isNull(userInvitations.usedAt),
        gt(userInvitations.expiresAt, now),
      ),
    );
  return row;
}
