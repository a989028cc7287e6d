import { and, eq, sql } from 'drizzle-orm';
import { db } from '@/db';
import { firms, users, type UserLocale, type UserRole } from '@/db/schema';
import { isUuid } from '@/lib/server/ids';
import { endExpiredAccess } from '@/lib/access/access-expiry';

export type CurrentUser = {
  id: string;
  firmId: string;
  firmName: string;
  role: UserRole;
  name: string;
  email: string;
  locale: UserLocale;
  twoFactorEnabled: boolean;
  /** The firm requires two-factor login and this user has not set it up: only its set-up is open. */
  mustSetUpTwoFactor: boolean;
  /** The firm lets accountants see its other clients and ask for access (« Demander l'accès »). */
  accessRequests: boolean;
};

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findUserForLogin(email: string) {
  const [user] = await db
    .select({
      id: users.id,
      firmId: users.firmId,
      name: users.name,
      role: users.role,
      active: users.active,
      passwordHash: users.passwordHash,
      email: users.email,
      totpEnabledAt: users.totpEnabledAt,
    })
    .from(users)
    .where(eq(sql`lower(${users.email})`, normalizeEmail(email)))
    .limit(1);
  return user;
}

/** Role, firm and active flag as the database has them now: the session only says who logged in. */
export async function loadActiveUser(userId: string, now: Date = new Date()): Promise<CurrentUser | undefined> {
  if (!isUuid(userId)) return undefined;
  // Accesses whose time is up end before anything is served: their client answers 404 from that minute.
  await endExpiredAccess(now);
  const [user] = await db
    .select({
      id: users.id,
      firmId: users.firmId,
      firmName: firms.name,
      role: users.role,
      name: users.name,
      email: users.email,
      locale: users.locale,
      twoFactorEnabled: sql<boolean>`${users.totpEnabledAt} IS NOT NULL`,
      firmRequiresTwoFactor: firms.requireTwoFactor,
      accessRequests: firms.accessRequests,
      setupRequired: users.totpSetupRequired,
    })
    .from(users)
    .innerJoin(firms, eq(firms.id, users.firmId))
    .where(and(eq(users.id, userId), eq(users.active, true)))
    .limit(1);
  if (!user) return undefined;
  const { firmRequiresTwoFactor, setupRequired, ...rest } = user;
  const twoFactorEnabled = Boolean(user.twoFactorEnabled);
  return {
    ...rest,
    twoFactorEnabled,
    mustSetUpTwoFactor: (firmRequiresTwoFactor || setupRequired) && !twoFactorEnabled,
  };
}
