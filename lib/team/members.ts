import { and, eq, sql } from 'drizzle-orm';
import { db, queryRows, type Tx } from '@/db';
import { users, type UserRole } from '@/db/schema';
import { assertAdmin } from '@/lib/access/roles';
import type { CurrentUser } from '@/lib/access/users';
import { actorOf, recordActivity, type ActivityEntry } from '@/lib/activity/record';
import { SafeError } from '@/lib/server/errors';
import { isUuid } from '@/lib/server/ids';

/**
 * Locks the firm's active admins, then checks that the change leaves one: two admins demoting
 * each other at the same moment cannot leave the firm without one.
 */
async function keepAnAdmin(tx: Tx, firmId: string, changedUserId: string) {
  const admins = await queryRows<{ id: string }>(
    sql`SELECT id FROM users WHERE firm_id = ${firmId} AND role = 'admin' AND active FOR UPDATE`,
    tx,
  );
  if (admins.every((a) => a.id === changedUserId)) throw new SafeError('errors.lastAdmin');
}

type Admin = Pick<CurrentUser, 'id' | 'firmId' | 'role'>;

/**
 * Changes one member of the admin's firm and records it in the Journal, in one transaction; a
 * change that takes an admin away (demotion, deactivation) first checks that one remains.
 */
async function updateMember(
  admin: Admin,
  userId: string,
  change: { role: UserRole } | { active: boolean },
  removesAdmin: boolean,
  activity: (member: { id: string; name: string }) => Pick<ActivityEntry, 'action' | 'details'>,
) {
  assertAdmin(admin);
  if (!isUuid(userId)) throw new SafeError('errors.memberNotFound');
  return db.transaction(async (tx) => {
    if (removesAdmin) await keepAnAdmin(tx, admin.firmId, userId);
    const [row] = await tx
      .update(users)
      .set(change)
      .where(and(eq(users.id, userId), eq(users.firmId, admin.firmId)))
      .returning({ id: users.id, name: users.name });
    if (!row) throw new SafeError('errors.memberNotFound');
    await recordActivity(tx, { firmId: admin.firmId, actor: actorOf(admin), ...activity(row) });
    return row;
  });
}

export function changeRole(admin: Admin, userId: string, role: UserRole) {
  return updateMember(admin, userId, { role }, role !== 'admin', (row) => ({
    action: 'member_role_changed',
    details: { member: row.name, memberId: row.id, role },
  }));
}

export function setActive(admin: Admin, userId: string, active: boolean) {
  return updateMember(admin, userId, { active }, !active, (row) => ({
    action: active ? 'member_activated' : 'member_deactivated',
    details: { member: row.name, memberId: row.id },
  }));
}

/**
 * « Rétablir l'adresse »: an admin, having fixed the address (or checked it), lets e-mails go to a
 * member whose address bounced or complained.
 */
export async function clearSuppression(admin: Admin, userId: string) {
  assertAdmin(admin);
  if (!isUuid(userId)) throw new SafeError('errors.memberNotFound');
  const [member] = await db
    .select({ name: users.name, email: users.email })
    .from(users)
    .where(and(eq(users.id, userId), eq(users.firmId, admin.firmId)));
  if (!member) throw new SafeError('errors.memberNotFound');
  await db.execute(sql`UPDATE email_suppressions SET cleared_at = now(), cleared_by = ${admin.id}
    WHERE address = lower(${member.email}) AND cleared_at IS NULL`);
  return member;
}
