import { and, asc, desc, eq, getTableColumns, gt, inArray, ne, sql, type Placeholder, type SQL } from 'drizzle-orm';
import { arrayLiteral, db, preparedStatement, queryRows, type Db } from '@/db';
import {
  assignments,
  clientGroupMembers,
  clients,
  notificationSubscriptions,
  users,
  type ClientStatus,
  type DigestFrequency,
  type VerificationState,
} from '@/db/schema';
import { isUuid } from '@/lib/server/ids';
import { assignedTo, markVisible, visibleTo, type Viewer, type ViewerRef } from '@/lib/access/visibility';
import { PAGE_SIZE, type ClientListParams, type ClientTab } from './schemas';
import { openMonth, parisWeek } from '@/lib/close/board';
import { monthToClose } from '@/lib/close/deadlines';

export type ClientListRow = {
  id: string;
  name: string;
  status: ClientStatus;
  verificationState: VerificationState | null;
  missingReceipts: number;
  readyToExport: number;
  balanceCents: number;
  currency: string;
  vatAtRiskCents: number;
  /** The close date of the month to close (« Échéance »), unless that month is closed. */
  closeOn: string | null;
  accountants: { id: string; name: string }[];
  followed: DigestFrequency | null;
  /** Who asked (an invitation), and since when the client is in its tab. */
  contactName: string | null;
  contactEmail: string | null;
  createdAt: Date;
};

export type ClientListPage = {
  rows: ClientListRow[];
  /** Exact with a search, or up to COUNT_CAP; beyond it, COUNT_CAP + 1 and `totalIsExact` false. */
  total: number;
  totalIsExact: boolean;
  page: number;
  /** Known when the total is exact. */
  pageCount: number | undefined;
  hasNext: boolean;
};

/**
 * Counting stops here: a page costs the same at 100 clients and at 10,000 ("plus de 1 000
 * clients"), instead of a count that grows with the firm on every request.
 */
export const COUNT_CAP = 1000;

const TAB_STATUS: Record<ClientTab, ClientStatus> = {
  invitations: 'invitation',
  integration: 'onboarding',
  'mes-clients': 'active',
  tous: 'active',
};

/** Which clients a tab holds for this user: the firm always, the user's assignments where the role asks it. */
function tabCondition(viewer: ViewerRef, tab: ClientTab): SQL {
  // Firm-wide tabs are the admins': for anyone else they hold nothing, whatever the URL says.
  if (viewer.role !== 'admin' && (tab === 'tous' || tab === 'invitations')) return sql`false`;
  const status = eq(clients.status, TAB_STATUS[tab]);
  // "Mes clients" is the admin's own assignments too; every other tab is what the viewer may see.
  if (tab === 'mes-clients') return and(eq(clients.firmId, viewer.firmId), status, assignedTo(viewer.id))!;
  return and(visibleTo(viewer), status)!;
}

/** The tabs this user sees, in the seed's order: empty ones hidden, except "Mes clients". One query. */
export type TabCount = { tab: ClientTab; count: number; capped: boolean };

/**
 * The tabs this user sees, each with how many clients it holds, counted up to COUNT_CAP (then
 * « 1 000+ »), like the list's own count: one statement, each count reading at most COUNT_CAP + 1
 * index entries, so that the cost does not grow with the firm. A tab with nothing in it is not
 * shown, except « Mes clients ».
 */
const tabsOf = (role: Viewer['role']): ClientTab[] =>
  role === 'admin' ? ['invitations', 'integration', 'mes-clients', 'tous'] : ['integration', 'mes-clients'];

const tabCounts = preparedStatement('client-tabs', (on, { role }: { role: Viewer['role'] }) => {
  const who = viewerPlaceholders(role);
  const counts = tabsOf(role).map((tab, i) => [`t${i}`, cappedCount(who, { tab, missingOnly: false })]);
  return on
    .select(Object.fromEntries(counts) as Record<string, SQL<number>>)
    .from(sql`(SELECT 1) AS one`)
    .prepare('client_tabs');
});

export async function listTabs(viewer: Viewer): Promise<TabCount[]> {
  const candidates = tabsOf(viewer.role);
  const [row] = await tabCounts({ role: viewer.role }).execute(viewerValues(viewer));
  return candidates
    .map((tab, i) => {
      const n = Number(row?.[`t${i}`] ?? 0);
      return { tab, count: Math.min(n, COUNT_CAP), capped: n > COUNT_CAP };
    })
    .filter((t) => t.tab === 'mes-clients' || t.count > 0);
}

export async function listVisibleTabs(viewer: Viewer): Promise<ClientTab[]> {
  return (await listTabs(viewer)).map((t) => t.tab);
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Where a list reads its clients from. Without a search, the table. With one, the clients whose
 * folded name contains the folded text (`%`, `_` and `\` taken literally), as whole rows, from
 * pp_matching_client_rows (migrations 0016–0018): it plans the match with the pattern itself, so
 * that PostgreSQL's trigram index is used (a preparedStatement statement's generic plan never would). The
 * rows come as a `WITH clients AS (…)` that stands in for the table (PostgreSQL inlines it): every
 * condition, sort and column written against `clients` applies to them unchanged. The cost
 * follows the matches, not the firm's size.
 */
function clientsSource(on: Db, firmId: string | Placeholder, search: string | Placeholder | null) {
  if (search === null) return { db: on, from: clients, withClause: sql`` };
  const matching = sql`SELECT * FROM pp_matching_client_rows(${firmId}::uuid, '%' || pp_fold(${search}) || '%')`;
  const cte = on.$with('clients', getTableColumns(clients)).as(matching);
  return {
    db: on.with(cte),
    // The rows under the table's own name and with its columns (drizzle checks the name).
    from: cte as unknown as typeof clients,
    withClause: sql`WITH clients AS (${matching}) `,
  };
}

/** What a search sends to clientsSource: its text with `%`, `_` and `\` taken literally; none without one. */
function searchValue(q: string): string | null {
  return q ? escapeLike(q) : null;
}

/**
 * The viewer's ids as the placeholders of a statement preparedStatement once per shape (their role is
 * part of the shape); `viewerValues` fills them.
 */
function viewerPlaceholders(role: Viewer['role']): ViewerRef {
  return { role, firmId: sql.placeholder('firmId'), id: sql.placeholder('userId') };
}

function viewerValues(viewer: Viewer) {
  return { firmId: viewer.firmId, userId: viewer.id };
}

function orderBy(params: Pick<ClientListParams, 'sort' | 'dir'>): SQL[] {
  const direction = params.dir === 'desc' ? desc : asc;
  // Ties are broken by name then id, so that a page never shows a row twice or skips one.
  if (params.sort === 'name') return [direction(clients.searchName), direction(clients.id)];
  // « Échéance »: the soonest (or latest) first, the clients without one (month closed) last either
  // way, as the indexes clients_by_close_* hold them.
  if (params.sort === 'echeance')
    return [
      params.dir === 'desc' ? sql`${clients.closeOn} DESC NULLS LAST` : sql`${clients.closeOn} ASC NULLS LAST`,
      asc(clients.searchName),
      asc(clients.id),
    ];
  const column =
    params.sort === 'missing'
      ? clients.missingReceipts
      : params.sort === 'ready'
        ? clients.readyToExport
        : params.sort === 'vat'
          ? clients.vatAtRiskCents
          : clients.balanceCents;
  return [direction(column), asc(clients.searchName), asc(clients.id)];
}

function accountantsOf() {
  // The active users assigned to the row's client, as JSON, in the same query as the rows.
  return sql<string | { id: string; name: string }[]>`(
    SELECT coalesce(json_agg(json_build_object('id', u.id, 'name', u.name) ORDER BY u.name, u.id), '[]'::json)
    FROM ${assignments} a JOIN ${users} u ON u.id = a.user_id AND u.active
    WHERE a.client_id = "clients"."id" AND a.firm_id = "clients"."firm_id")`;
}

/** The clients of a list, read from clientsSource(): the tab (with the viewer's rights) and « Reçus manquants ». */
function listCondition(
  viewer: ViewerRef,
  params: Pick<ClientListParams, 'tab' | 'missingOnly'> & { lateOnly?: boolean; group?: string | boolean },
  close: CloseRef = CLOSE_PLACEHOLDERS,
) {
  // The group: its id as a value, or (a prepared statement's shape says `true`) as a placeholder.
  const group = params.group === true ? sql.placeholder('group') : params.group || undefined;
  return and(
    tabCondition(viewer, params.tab),
    params.missingOnly ? gt(clients.missingReceipts, 0) : undefined,
    params.lateOnly ? lateCondition(close) : undefined,
    group
      ? sql`EXISTS (SELECT 1 FROM client_group_members g WHERE g.group_id = ${group}::uuid AND g.client_id = ${clients.id})`
      : undefined,
  );
}

/** The month to close and today (Paris), as values or as a prepared statement's placeholders. */
type CloseRef = { month: string | Placeholder; today: string | Placeholder };
const CLOSE_PLACEHOLDERS: CloseRef = { month: sql.placeholder('closeMonth'), today: sql.placeholder('today') };

function closeValues(now = new Date()): { closeMonth: string; today: string } {
  return { closeMonth: `${monthToClose(now)}-01`, today: parisWeek(now).today };
}

/** « En retard »: the client's month to close is past its close date and not closed (client_months). */
function lateCondition(close: CloseRef): SQL {
  return sql`EXISTS (SELECT 1 FROM client_months m WHERE m.client_id = ${clients.id} AND m.month = ${close.month}::date
    AND m.close_on < ${close.today}::date AND m.status <> 'closed')`;
}

/**
 * How many clients a list holds (its tab with the viewer's rights, « Reçus manquants »), counted up
 * to COUNT_CAP + 1, as a subquery of its own. A list made of the viewer's assignments (« Mes
 * clients », and any tab of an accountant) is counted from them alone: each assignment carries its
 * client's status and whether it has a missing receipt (kept by triggers, migration 0019), so the
 * count reads one index. Checking each assigned client by its key cost an accountant with 500
 * clients 500 lookups per count, and as a join PostgreSQL read the whole firm's clients
 * (BENCHMARKS.md).
 */
function cappedCount(
  viewer: ViewerRef,
  params: Pick<ClientListParams, 'tab' | 'missingOnly'> & { lateOnly?: boolean; group?: string | boolean },
): SQL<number> {
  const limit = COUNT_CAP + 1;
  const capped = (rows: SQL) =>
    sql<number>`(SELECT count(*)::int FROM (${rows} LIMIT ${limit}) AS capped)`.mapWith(Number);
  // The assignments say the status and the missing receipts, nothing of « En retard »; a group's
  // members say the same (migration 0036): they count the tabs where an admin sees the whole firm.
  const group = params.group === true ? sql.placeholder('group') : params.group || undefined;
  if (group && !params.lateOnly && viewer.role === 'admin' && params.tab !== 'mes-clients') {
    const counted = and(
      sql`${clientGroupMembers.groupId} = ${group}::uuid`,
      eq(clientGroupMembers.firmId, viewer.firmId),
      eq(clientGroupMembers.clientStatus, TAB_STATUS[params.tab]),
      params.missingOnly ? eq(clientGroupMembers.clientMissing, true) : undefined,
    );
    return capped(sql`SELECT 1 FROM ${clientGroupMembers} WHERE ${counted}`);
  }
  const fromAssignments =
    !params.lateOnly && (params.tab === 'mes-clients' || (viewer.role !== 'admin' && params.tab === 'integration'));
  if (fromAssignments) {
    const counted = and(
      eq(assignments.userId, viewer.id),
      eq(assignments.firmId, viewer.firmId),
      eq(assignments.clientStatus, TAB_STATUS[params.tab]),
      params.missingOnly ? eq(assignments.clientMissing, true) : undefined,
      // With a group: each of her clients looked up in the group's key, a subquery per assignment
      // (as EXISTS, PostgreSQL hashed the whole group first: twice the time at 1,000 members).
      group
        ? sql`(SELECT true FROM ${clientGroupMembers} g WHERE g.group_id = ${group}::uuid AND g.client_id = ${assignments.clientId})`
        : undefined,
    );
    return capped(sql`SELECT 1 FROM ${assignments} WHERE ${counted}`);
  }
  return capped(sql`SELECT 1 FROM ${clients} WHERE ${listCondition(viewer, params)}`);
}

/**
 * « Tout sélectionner (n) »: the ids of every client of a filtered list, exactly what the list
 * shows this viewer (the same condition, rights included), at most `cap`; undefined past it.
 */
export async function listFilteredClientIds(
  viewer: Viewer,
  params: Pick<ClientListParams, 'tab' | 'q' | 'missingOnly' | 'group'>,
  cap: number,
): Promise<string[] | undefined> {
  const source = clientsSource(db, viewer.firmId, searchValue(params.q));
  const rows = await source.db
    .select({ id: clients.id })
    .from(source.from)
    .where(listCondition(viewer, params))
    .limit(cap + 1);
  return rows.length > cap ? undefined : rows.map((r) => r.id);
}

/**
 * The page statement of a list shape (role, tab, « Reçus manquants », with or without a search,
 * sort, first page or not), preparedStatement once: the viewer's ids, the search, the page size and the
 * offset are placeholders. The first page has no OFFSET at all: with `OFFSET $n`, PostgreSQL
 * cannot use a generic plan it trusts (it assumes an unknown offset skips a tenth of the rows) and
 * plans every execution afresh, ~3.4 ms for an accountant's « Mes clients » sorted by a figure.
 */
type PageShape = {
  role: Viewer['role'];
  tab: ClientListParams['tab'];
  missingOnly: boolean;
  lateOnly: boolean;
  group: boolean;
  searching: boolean;
  sort: ClientListParams['sort'];
  dir: ClientListParams['dir'];
  paged: boolean;
};

const pageStatement = preparedStatement('client-page', (on, shape: PageShape) => {
  const who = viewerPlaceholders(shape.role);
  const where = listCondition(who, shape);
  const source = clientsSource(on, who.firmId, shape.searching ? sql.placeholder('search') : null);
  const query = source.db
    .select({
      id: clients.id,
      name: clients.name,
      status: clients.status,
      verificationState: clients.verificationState,
      missingReceipts: clients.missingReceipts,
      readyToExport: clients.readyToExport,
      balanceCents: clients.balanceCents,
      currency: clients.currency,
      vatAtRiskCents: clients.vatAtRiskCents,
      closeOn: clients.closeOn,
      contactName: clients.contactName,
      contactEmail: clients.contactEmail,
      createdAt: clients.createdAt,
      accountants: accountantsOf(),
      // The page also counts its list, in the same statement: with a search, every match (all of
      // them are read to sort them anyway: one run of the match); without, up to COUNT_CAP + 1
      // (a subquery of its own, run once: the `clients` inside it is not the outer row).
      matches: shape.searching ? sql<number>`count(*) OVER ()`.mapWith(Number) : cappedCount(who, shape),
    })
    .from(source.from)
    .where(where)
    .orderBy(...orderBy(shape))
    .limit(sql.placeholder('limit'));
  return shape.paged ? query.offset(sql.placeholder('offset')).prepare('client_page') : query.prepare('client_page');
});

export async function listClients(viewer: Viewer, params: ClientListParams): Promise<ClientListPage> {
  const size = params.size ?? PAGE_SIZE;
  // « Échéance » and « En retard » read the month to close's rows: opened once per firm and month.
  const close = closeValues();
  await openMonth(viewer.firmId, close.closeMonth.slice(0, 7), { follow: true });
  const pageOf = (page: number) =>
    pageStatement({
      role: viewer.role,
      tab: params.tab,
      missingOnly: params.missingOnly,
      lateOnly: params.lateOnly,
      group: Boolean(params.group),
      searching: Boolean(params.q),
      sort: params.sort,
      dir: params.dir,
      paged: page > 1,
    }).execute({
      ...viewerValues(viewer),
      ...close,
      group: params.group ?? null,
      search: searchValue(params.q),
      limit: size + 1,
      offset: (page - 1) * size,
    });
  const fetched = await pageOf(params.page);
  let total = fetched[0]?.matches ?? 0;
  let totalIsExact = params.q ? true : total <= COUNT_CAP;
  let page = params.page;
  let rows = fetched;
  if (rows.length === 0 && page > 1) {
    // A page past the end (an old link, a hand-edited URL): answer with the last page.
    const source = clientsSource(db, viewer.firmId, searchValue(params.q));
    const [exact] = await queryRows<{ n: number }>(
      sql`${source.withClause}SELECT count(*)::int AS n FROM ${clients} WHERE ${listCondition(viewer, params, { month: close.closeMonth, today: close.today })}`,
    );
    total = exact?.n ?? 0;
    totalIsExact = true;
    page = Math.max(1, Math.ceil(total / size));
    rows = await pageOf(page);
  }
  // The bell: the viewer's subscriptions among this page's clients, in a query of its own. As a
  // column of the page query, PostgreSQL evaluated it for every candidate row before sorting, which
  // made « Mes clients » grow with the portfolio (BENCHMARKS.md).
  const followed = await followedAmong(
    viewer.id,
    rows.slice(0, size).map((r) => r.id),
  );
  return {
    rows: rows.slice(0, size).map(({ matches: _matches, ...row }) => ({
      ...row,
      accountants: typeof row.accountants === 'string' ? JSON.parse(row.accountants) : row.accountants,
      followed: followed.get(row.id) ?? null,
    })),
    total,
    totalIsExact,
    page,
    pageCount: totalIsExact ? Math.max(1, Math.ceil(total / size)) : undefined,
    hasNext: rows.length > size,
  };
}

/** The active users assigned to each of these clients, in one query. */
async function listAccountants(firmId: string, clientIds: string[]) {
  const teams = new Map<string, { id: string; name: string }[]>();
  if (clientIds.length === 0) return teams;
  const rows = await db
    .select({ clientId: assignments.clientId, id: users.id, name: users.name })
    .from(assignments)
    .innerJoin(users, eq(users.id, assignments.userId))
    .where(and(eq(assignments.firmId, firmId), inArray(assignments.clientId, clientIds), eq(users.active, true)))
    .orderBy(asc(users.name));
  for (const row of rows) {
    const team = teams.get(row.clientId) ?? [];
    team.push({ id: row.id, name: row.name });
    teams.set(row.clientId, team);
  }
  return teams;
}

/**
 * A client this user may open in the workspace: a connected client of their firm, and for an
 * accountant one assigned to them. Anything else is undefined, whatever the reason.
 */
export async function findWorkspaceClient(viewer: Viewer, clientId: string) {
  if (!isUuid(clientId)) return undefined;
  const [client] = await db
    .select()
    .from(clients)
    .where(and(eq(clients.id, clientId), visibleTo(viewer), eq(clients.status, 'active')))
    .limit(1);
  return client ? markVisible(client) : undefined;
}

/** The connected clients among these that this user may open, by name (a bulk action's clients). */
export async function findWorkspaceClients(viewer: Viewer, clientIds: string[]) {
  const ids = clientIds.filter(isUuid);
  if (ids.length === 0) return [];
  const rows = await db
    .select()
    .from(clients)
    .where(and(inArray(clients.id, ids), visibleTo(viewer), eq(clients.status, 'active')))
    .orderBy(asc(clients.searchName), asc(clients.id));
  return rows.map((row) => markVisible(row));
}

/**
 * A client whose details this user may see: an admin any client of the firm still in a tab
 * (not declined), an accountant only assigned ones.
 */
export async function findClientDetails(viewer: Viewer, clientId: string) {
  if (!isUuid(clientId)) return undefined;
  const [client] = await db
    .select()
    .from(clients)
    .where(and(eq(clients.id, clientId), visibleTo(viewer), ne(clients.status, 'declined')))
    .limit(1);
  if (!client) return undefined;
  const teams = await listAccountants(viewer.firmId, [client.id]);
  return markVisible({ ...client, accountants: teams.get(client.id) ?? [] });
}

/** How many clients the workspace's switcher proposes at once. */
const SWITCHER_LIMIT = 8;

/**
 * The client switcher's search: the connected clients this user may open whose name contains the
 * text (all of them, by name, when it is empty), at most `limit`, and whether there are more.
 */
export async function searchWorkspaceClients(viewer: Viewer, q: string, limit = SWITCHER_LIMIT) {
  const source = clientsSource(db, viewer.firmId, searchValue(q));
  const rows = await source.db
    .select({ id: clients.id, name: clients.name })
    .from(source.from)
    .where(and(visibleTo(viewer), eq(clients.status, 'active')))
    .orderBy(asc(clients.searchName), asc(clients.id))
    .limit(limit + 1);
  return { clients: rows.slice(0, limit), more: rows.length > limit };
}

/** The name of a client this admin just declined (for the confirmation banner). */
export async function findDeclinedClientName(viewer: Viewer, clientId: string): Promise<string | undefined> {
  if (viewer.role !== 'admin' || !isUuid(clientId)) return undefined;
  const [row] = await db
    .select({ name: clients.name })
    .from(clients)
    .where(and(eq(clients.id, clientId), eq(clients.firmId, viewer.firmId), eq(clients.status, 'declined')));
  return row?.name;
}

const followedAmongStatement = preparedStatement('followed-among', (on) =>
  on
    .select({ clientId: notificationSubscriptions.clientId, frequency: notificationSubscriptions.frequency })
    .from(notificationSubscriptions)
    .where(
      and(
        eq(notificationSubscriptions.userId, sql.placeholder('userId')),
        sql`${notificationSubscriptions.clientId} = ANY(${sql.placeholder('clientIds')}::uuid[])`,
        eq(notificationSubscriptions.enabled, true),
      ),
    )
    .prepare('followed_among'),
);

/** The viewer's digest frequency for each of these clients they follow. */
async function followedAmong(userId: string, clientIds: string[]): Promise<Map<string, DigestFrequency>> {
  if (clientIds.length === 0) return new Map();
  const rows = await followedAmongStatement({}).execute({ userId, clientIds: arrayLiteral(clientIds) });
  return new Map(rows.map((r) => [r.clientId, r.frequency]));
}
