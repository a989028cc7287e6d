import { sql } from 'drizzle-orm';
import { db, queryRows, sqlState } from '@/db';
import { actorOf, recordActivity } from '@/lib/activity/record';
import type { Viewer } from '@/lib/access/visibility';
import { clientListQuery, parseClientListParams } from '@/lib/clients/schemas';
import { SafeError } from '@/lib/server/errors';

// Saved views of the Clients page: a state (tab, search, filters, group, sort, page size) under a
// name, the owner's or shared with the firm. A view holds a query string, never ids of clients:
// opened, it is the same list for everyone within what each may see.

export type SavedView = { id: string; name: string; shared: boolean; mine: boolean; query: string };

/** The state a view keeps: the Clients page's, read and written as the page does (page 1). */
function normalizeViewQuery(query: string): string {
  const params = parseClientListParams(Object.fromEntries(new URLSearchParams(query)));
  return clientListQuery({ ...params, page: 1 }).toString();
}

/** The viewer's own views and the firm's shared ones, by name. */
export async function listViews(viewer: Viewer): Promise<SavedView[]> {
  return queryRows<SavedView>(sql`
    SELECT id, name, shared, owner_id = ${viewer.id} AS mine, query FROM saved_views
    WHERE firm_id = ${viewer.firmId} AND (owner_id = ${viewer.id} OR shared)
    ORDER BY lower(name), id`);
}

export async function findView(viewer: Viewer, viewId: string | undefined): Promise<SavedView | undefined> {
  if (!viewId || !/^[0-9a-f-]{36}$/i.test(viewId)) return undefined;
  const [view] = await queryRows<SavedView>(sql`
    SELECT id, name, shared, owner_id = ${viewer.id} AS mine, query FROM saved_views
    WHERE id = ${viewId}::uuid AND firm_id = ${viewer.firmId} AND (owner_id = ${viewer.id} OR shared)`);
  return view;
}

/** Saves the page's state under a name; the same name again replaces the owner's view (a retry too). */
export async function saveView(
  viewer: Viewer,
  input: { name: string; shared: boolean; query: string },
): Promise<string> {
  const query = normalizeViewQuery(input.query);
  const rows = await queryRows<{ id: string }>(sql`
    INSERT INTO saved_views (firm_id, owner_id, name, shared, query)
    VALUES (${viewer.firmId}, ${viewer.id}, ${input.name}, ${input.shared}, ${query})
    ON CONFLICT (owner_id, lower(name)) DO UPDATE SET shared = EXCLUDED.shared, query = EXCLUDED.query
    RETURNING id`).catch((error: unknown) => {
    throw sqlState(error) === '23505' ? new SafeError('errors.viewNameTaken') : error;
  });
  if (input.shared) {
    await recordActivity(db, {
      firmId: viewer.firmId,
      actor: actorOf(viewer),
      action: 'view_shared',
      details: { view: input.name },
    });
  }
  return rows[0]!.id;
}

/** Its owner deletes a view; an admin may delete a shared one too. */
export async function deleteView(viewer: Viewer, viewId: string): Promise<string> {
  const view = await findView(viewer, viewId);
  if (!view) throw new SafeError('errors.viewNotFound');
  if (!view.mine && viewer.role !== 'admin') throw new SafeError('errors.viewNotYours');
  await db.execute(sql`DELETE FROM saved_views WHERE id = ${view.id}`);
  return view.name;
}
