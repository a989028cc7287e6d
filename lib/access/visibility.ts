import { and, eq, exists, sql, type Placeholder, type SQL } from 'drizzle-orm';
import { db } from '@/db';
import { assignments, clients } from '@/db/schema';
import type { CurrentUser } from '@/lib/access/users';

/** Who is looking: everything the visibility rule needs, re-read from the database for each request. */
export type Viewer = Pick<CurrentUser, 'id' | 'firmId' | 'role' | 'name'>;

/**
 * A viewer as the SQL below needs them: their role, and their ids either as values or as the
 * placeholders of a statement prepared once per role (`prepared` in db/index.ts).
 */
export type ViewerRef = Pick<Viewer, 'role'> & { firmId: string | Placeholder; id: string | Placeholder };

/**
 * The one visibility rule, as SQL on `clients`: a client of the viewer's firm, and for an
 * accountant one assigned to them. Which statuses a page shows (a tab, the workspace) is that
 * page's own condition, added to this one.
 */
export function visibleTo(viewer: ViewerRef): SQL {
  return and(eq(clients.firmId, viewer.firmId), viewer.role === 'admin' ? undefined : assignedTo(viewer.id))!;
}

export function assignedTo(userId: string | Placeholder): SQL {
  return exists(
    db
      .select({ one: sql`1` })
      .from(assignments)
      .where(and(eq(assignments.clientId, clients.id), eq(assignments.userId, userId))),
  );
}

/**
 * The same rule for a query over many users at once (the digest run), on raw SQL aliases: a user
 * row `u` and a client row `c`.
 */
export function visibleToUserRow(user: SQL, client: SQL): SQL {
  return sql`(${client}.firm_id = ${user}.firm_id AND (${user}.role = 'admin' OR EXISTS (
    SELECT 1 FROM assignments a WHERE a.client_id = ${client}.id AND a.user_id = ${user}.id)))`;
}

declare const checked: unique symbol;

/**
 * A client row that went through the visibility rule for the current viewer. Per-client reads
 * (expenses, exports, reminders, history) take this type rather than a bare id, so that a page
 * cannot call them with an id from the URL it has not checked: only the finders in
 * lib/clients/queries.ts make one.
 */
export type VisibleClient<T extends { id: string; firmId: string } = { id: string; firmId: string }> = T & {
  readonly [checked]: true;
};

export function markVisible<T extends { id: string; firmId: string }>(row: T): VisibleClient<T> {
  return row as VisibleClient<T>;
}
