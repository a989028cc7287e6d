import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import { db } from '@/db';
import { firms, userInvitations, users } from '@/db/schema';
import { hashToken } from './tokens';

export async function listMembers(firmId: string) {
  return db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      role: users.role,
      active: users.active,
      twoFactor: sql<boolean>`${users.totpEnabledAt} IS NOT NULL`,
      emailFailing: sql<boolean>`EXISTS (SELECT 1 FROM email_suppressions x WHERE x.address = lower(${users.email}) AND x.cleared_at IS NULL)`,
    })
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

/** Whether the firm requires two-factor login of its members. */
export async function firmRequiresTwoFactor(firmId: string): Promise<boolean> {
  const [row] = await db.select({ required: firms.requireTwoFactor }).from(firms).where(eq(firms.id, firmId));
  return row?.required ?? false;
}
