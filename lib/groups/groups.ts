import { sql } from 'drizzle-orm';
import { db, queryRows, sqlArray, sqlState } from '@/db';
import { actorOf, recordActivity } from '@/lib/activity/record';
import type { Viewer, VisibleClient } from '@/lib/access/visibility';
import { SafeError } from '@/lib/server/errors';

// Client groups: firm-wide ones (no owner), made and filled by admins and seen by every member;
// personal ones, made, filled and seen by their owner only. A group filters the lists each member
// sees: it never shows a client the member may not see.

export type ClientGroup = { id: string; name: string; personal: boolean; clients: number };

/** Who may see a group: every member for a firm-wide group, its owner for a personal one. */
function seenBy(viewer: Viewer) {
  return sql`g.firm_id = ${viewer.firmId} AND (g.owner_id IS NULL OR g.owner_id = ${viewer.id})`;
}

/**
 * The groups a member sees, firm-wide first, by name; with `counts`, how many of their clients
 * each holds (the groups page). The lists' filters need the names only.
 */
export async function listGroups(viewer: Viewer, options: { counts?: boolean } = {}): Promise<ClientGroup[]> {
  const clients = options.counts
    ? sql`(SELECT count(*)::int FROM client_group_members m JOIN clients c ON c.id = m.client_id
         WHERE m.group_id = g.id AND c.status <> 'declined'
           ${viewer.role === 'admin' ? sql`` : sql`AND EXISTS (SELECT 1 FROM assignments a WHERE a.client_id = c.id AND a.user_id = ${viewer.id})`})`
    : sql`0`;
  return queryRows<ClientGroup>(sql`
    SELECT g.id, g.name, g.owner_id IS NOT NULL AS personal, ${clients} AS clients
    FROM client_groups g
    WHERE ${seenBy(viewer)}
    ORDER BY g.owner_id IS NOT NULL, lower(g.name), g.id`);
}

/** A group the viewer sees, or undefined (another firm's, another member's, or none). */
export async function findGroup(viewer: Viewer, groupId: string | undefined): Promise<ClientGroup | undefined> {
  if (!groupId) return undefined;
  const [group] = await queryRows<ClientGroup>(sql`
    SELECT g.id, g.name, g.owner_id IS NOT NULL AS personal, 0 AS clients
    FROM client_groups g WHERE g.id = ${groupId}::uuid AND ${seenBy(viewer)}`);
  return group;
}

/** A group the viewer may change: their own, or a firm-wide one for an admin. */
async function editableGroup(viewer: Viewer, groupId: string): Promise<ClientGroup> {
  const group = await findGroup(viewer, groupId);
  if (!group) throw new SafeError('errors.groupNotFound');
  if (!group.personal && viewer.role !== 'admin') throw new SafeError('errors.adminOnly');
  return group;
}

function uniqueName(error: unknown): never {
  if (sqlState(error) === '23505') throw new SafeError('errors.groupNameTaken');
  throw error;
}

/** A new group: firm-wide (admins) or the viewer's own. Safe to retry: the same name is refused. */
export async function createGroup(viewer: Viewer, input: { name: string; firmWide: boolean }): Promise<string> {
  if (input.firmWide && viewer.role !== 'admin') throw new SafeError('errors.adminOnly');
  return db
    .transaction(async (tx) => {
      const [row] = await queryRows<{ id: string }>(
        sql`INSERT INTO client_groups (firm_id, owner_id, name)
            VALUES (${viewer.firmId}, ${input.firmWide ? null : viewer.id}, ${input.name}) RETURNING id`,
        tx,
      );
      if (input.firmWide) {
        await recordActivity(tx, {
          firmId: viewer.firmId,
          actor: actorOf(viewer),
          action: 'group_created',
          details: { group: input.name },
        });
      }
      return row!.id;
    })
    .catch(uniqueName);
}

export async function renameGroup(viewer: Viewer, groupId: string, name: string): Promise<void> {
  const group = await editableGroup(viewer, groupId);
  await db.execute(sql`UPDATE client_groups SET name = ${name} WHERE id = ${group.id}`).catch(uniqueName);
}

export async function deleteGroup(viewer: Viewer, groupId: string): Promise<string> {
  const group = await editableGroup(viewer, groupId);
  await db.transaction(async (tx) => {
    await tx.execute(sql`DELETE FROM client_groups WHERE id = ${group.id}`);
    if (!group.personal) {
      await recordActivity(tx, {
        firmId: viewer.firmId,
        actor: actorOf(viewer),
        action: 'group_deleted',
        details: { group: group.name },
      });
    }
  });
  return group.name;
}

/**
 * Puts clients in a group: only clients of the viewer's firm that the viewer may see (an
 * accountant, her assigned ones); one she may not see refuses all. Safe to retry: a client already
 * in the group stays once. Returns how many were added.
 */
export async function addToGroup(viewer: Viewer, groupId: string, clientIds: readonly string[]): Promise<number> {
  const group = await editableGroup(viewer, groupId);
  const ids = sqlArray(clientIds, 'uuid');
  const [visible] = await queryRows<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM clients c
    WHERE c.id = ANY(${ids}) AND c.firm_id = ${viewer.firmId}
      ${viewer.role === 'admin' ? sql`` : sql`AND EXISTS (SELECT 1 FROM assignments a WHERE a.client_id = c.id AND a.user_id = ${viewer.id})`}`);
  if ((visible?.n ?? 0) !== new Set(clientIds).size) throw new SafeError('errors.clientNotFound');
  return db.transaction(async (tx) => {
    // The insert's trigger share-locks each client to copy its state (migration 0036). Taken here
    // first, in id order, as « Attribuer à… » and the platform's batches take theirs, so that they
    // never wait on each other in a cycle.
    await queryRows(sql`SELECT id FROM clients WHERE id = ANY(${ids}) ORDER BY id FOR SHARE`, tx);
    const added = await queryRows<{ client_id: string }>(
      sql`INSERT INTO client_group_members (group_id, firm_id, client_id)
          SELECT ${group.id}::uuid, ${viewer.firmId}::uuid, c FROM unnest(${ids}) c
          ON CONFLICT DO NOTHING RETURNING client_id`,
      tx,
    );
    if (!group.personal && added.length > 0) {
      await recordActivity(tx, {
        firmId: viewer.firmId,
        actor: actorOf(viewer),
        action: 'group_clients_added',
        details: { group: group.name, clients: added.length },
      });
    }
    return added.length;
  });
}

export async function removeFromGroup(viewer: Viewer, groupId: string, clientId: string): Promise<boolean> {
  const group = await editableGroup(viewer, groupId);
  const removed = await queryRows<{ client_id: string }>(
    sql`DELETE FROM client_group_members WHERE group_id = ${group.id} AND client_id = ${clientId}::uuid
        RETURNING client_id`,
  );
  return removed.length > 0;
}

/** The groups (that the viewer sees) a client is in, and whether the viewer may take it out. */
export async function listClientGroups(viewer: Viewer, client: VisibleClient) {
  return queryRows<{ id: string; name: string; personal: boolean; editable: boolean }>(sql`
    SELECT g.id, g.name, g.owner_id IS NOT NULL AS personal,
      (g.owner_id IS NOT NULL OR ${viewer.role === 'admin'}) AS editable
    FROM client_group_members m JOIN client_groups g ON g.id = m.group_id
    WHERE m.client_id = ${client.id} AND ${seenBy(viewer)}
    ORDER BY g.owner_id IS NOT NULL, lower(g.name), g.id`);
}
