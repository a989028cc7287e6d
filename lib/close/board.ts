import { sql, type SQL } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { db, plannedEachTime, queryRows, sqlArray } from '@/db';
import { actorOf, recordActivity, recordActivityForClients } from '@/lib/activity/record';
import type { Viewer, VisibleClient } from '@/lib/access/visibility';
import { recordClientEvents } from '@/lib/clients/events';
import { SafeError } from '@/lib/server/errors';
import { TIME_ZONE } from '@/lib/server/i18n/translator';
import { monthDeadline, type Deadline, type VatRegime } from './calendar';
import { firmCloseRules, monthToClose } from './deadlines';

// « La clôture du mois »: the board of every client's month, read from client_months, whose
// counters the database keeps (pp_expense_months, db/README.md) and whose dates this fills.

export const BOARD_STATUSES = ['todo', 'in_progress', 'ready', 'closed'] as const;
type BoardStatus = (typeof BOARD_STATUSES)[number];
export const BOARD_SORTS = ['due', 'vat', 'missing', 'to_code'] as const;
type BoardSort = (typeof BOARD_SORTS)[number];
/** The board's months: the one to close now and the three before it. */
const BOARD_MONTHS = 4;

export type BoardParams = {
  month: string;
  status?: BoardStatus;
  preparer?: string;
  reviewer?: string;
  /** A client group the viewer sees (checked by the page, lib/groups). */
  group?: string;
  late: boolean;
  week: boolean;
  sort: BoardSort;
  page: number;
  size: number;
};

export type BoardRow = {
  clientId: string;
  name: string;
  status: BoardStatus;
  closeOn: string | null;
  vatDueOn: string | null;
  expenses: number;
  missing: number;
  toCode: number;
  toReview: number;
  notExported: number;
  vatAtRiskCents: number;
  afterClose: number;
  balanceCents: number;
  currency: string;
  preparer: string | null;
  reviewer: string | null;
};

/** « 2026-11 » → « 2026-11-01 », the month's key in client_months. */
function monthStart(month: string): string {
  return `${month}-01`;
}

/** The months the board offers on `now`, newest first. */
export function boardMonths(now: Date): string[] {
  const first = DateTime.fromFormat(monthToClose(now), 'yyyy-LL', { zone: 'UTC' });
  return Array.from({ length: BOARD_MONTHS }, (_, i) => first.minus({ months: i }).toFormat('yyyy-LL'));
}

/** Today in Paris, and the Monday and Sunday of its week. */
export function parisWeek(now: Date): { today: string; monday: string; sunday: string } {
  const today = DateTime.fromJSDate(now, { zone: TIME_ZONE }).startOf('day');
  const monday = today.minus({ days: today.weekday - 1 });
  return { today: today.toISODate()!, monday: monday.toISODate()!, sunday: monday.plus({ days: 6 }).toISODate()! };
}

/**
 * Opens a month on a firm's board: each of its clients gets a row (once per firm and month; a
 * client added later gets its rows from pp_client_months), and the rows without dates (new, or
 * whose regime or firm rule changed) get them, one UPDATE per regime and day in use. With
 * `follow` (the Clients page, whose « Échéance » is this month's), the firm's copies of the close
 * dates move on to this month if they are of an older one: read in the same first statement.
 */
export async function openMonth(firmId: string, month: string, { follow = false } = {}): Promise<void> {
  const start = monthStart(month);
  const [state] = await queryRows<{ opened: number | null; behind: boolean }>(
    sql`SELECT (SELECT 1 FROM close_periods WHERE firm_id = ${firmId} AND month = ${start}::date) AS opened,
          coalesce((SELECT close_month IS NULL OR close_month < ${start}::date FROM firms WHERE id = ${firmId}), false)
            AS behind`,
  );
  await datesOf(firmId, month, start, state?.opened === 1);
  if (follow && state?.behind) await followMonthToClose(firmId, month);
}

/**
 * The cron's share of « La clôture du mois »: each firm whose month to close has moved on gets it
 * opened (its rows, their dates, the Clients page's « Échéance ») before its first visitor does —
 * at 10,000 clients a first opening takes about two seconds (BENCHMARKS.md). Firms in id order
 * while the run's time lasts; the next run takes the rest. Safe to repeat: openMonth is. Returns how
 * many firms it opened the month for.
 */
export async function openMonthsToClose(now: Date, deadline: number): Promise<number> {
  const month = monthToClose(now);
  const behind = await queryRows<{ id: string }>(
    sql`SELECT id FROM firms WHERE close_month IS NULL OR close_month < ${monthStart(month)}::date ORDER BY id`,
  );
  let opened = 0;
  for (const { id } of behind) {
    if (Date.now() >= deadline) break;
    await openMonth(id, month, { follow: true });
    opened += 1;
  }
  return opened;
}

/**
 * Locks a firm's clients (all of them, or `ids`) in id order: the order openMonth, « Attribuer à… »
 * and the platform's batches take, so that none waits on another in a cycle (db/README.md).
 */
async function lockClients(on: Pick<typeof db, 'execute'>, firmId: string, ids?: readonly string[]): Promise<void> {
  await on.execute(sql`
    SELECT count(*) FROM (SELECT 1 FROM clients WHERE firm_id = ${firmId}
      ${ids ? sql`AND id = ANY(${sqlArray(ids, 'uuid')})` : sql``} ORDER BY id FOR NO KEY UPDATE) locked`);
}

/** openMonth's work: the month's rows if it was not opened yet, then the dates they lack. */
async function datesOf(firmId: string, month: string, start: string, opened: boolean): Promise<void> {
  if (!opened) {
    await db.transaction(async (tx) => {
      const inserted = await queryRows<{ month: string }>(
        sql`INSERT INTO close_periods (firm_id, month) VALUES (${firmId}, ${start}::date)
            ON CONFLICT DO NOTHING RETURNING month`,
        tx,
      );
      if (inserted.length === 0) return;
      // The clients' rows first: a new assignment or a change of one of them waits for the month's
      // rows, or they for it (migration 0045).
      await lockClients(tx, firmId);
      await tx.execute(sql`
        INSERT INTO client_months (firm_id, client_id, month, sort_name)
        SELECT firm_id, id, ${start}::date, search_name FROM clients WHERE firm_id = ${firmId}
        ON CONFLICT DO NOTHING`);
    });
  }
  const combos = await queryRows<{ regime: VatRegime; day: number }>(sql`
    SELECT DISTINCT c.vat_regime AS regime, c.vat_due_day AS day
    FROM client_months m JOIN clients c ON c.id = m.client_id
    WHERE m.firm_id = ${firmId} AND m.month = ${start}::date AND m.close_on IS NULL`);
  if (combos.length === 0) return;
  const rules = await firmCloseRules(firmId);
  const values = combos.map(({ regime, day }) => {
    const deadline: Deadline = monthDeadline(month, {
      regime,
      dueDay: day,
      closeWorkingDays: rules.closeWorkingDays,
      franchiseDay: rules.franchiseCloseDay,
    });
    return sql`(${regime}::vat_regime, ${day}::int, ${deadline.close}::date, ${deadline.due}::date)`;
  });
  const dated = await queryRows<{ id: string }>(sql`
    UPDATE client_months m SET close_on = v.close_on, vat_due_on = v.due_on
    FROM clients c, (VALUES ${sql.join(values, sql`, `)}) AS v(regime, day, close_on, due_on)
    WHERE m.firm_id = ${firmId} AND m.month = ${start}::date AND m.close_on IS NULL
      AND c.id = m.client_id AND c.vat_regime = v.regime AND c.vat_due_day = v.day
    RETURNING m.client_id AS id`);
  // New dates for the month the Clients page shows: those clients' copies follow.
  if (dated.length > 0)
    await copyCloseDates(
      firmId,
      start,
      { onlyIfFollowed: true },
      dated.map((r) => r.id),
    );
}

/**
 * The Clients page's month to close, `month` (« 2026-11 »): once a firm's month to close moves on,
 * every client's « Échéance » (clients.close_on) is copied from the new month's rows. Only
 * forward: two instances whose clocks straddle a month's change do not copy back and forth. Safe
 * to race: two instances write the same values.
 */
async function followMonthToClose(firmId: string, month: string): Promise<void> {
  const start = monthStart(month);
  const moved = await queryRows<{ id: string }>(
    sql`UPDATE firms SET close_month = ${start}::date
        WHERE id = ${firmId} AND (close_month IS NULL OR close_month < ${start}::date) RETURNING id`,
  );
  if (moved.length > 0) await copyCloseDates(firmId, start, { onlyIfFollowed: false });
}

/**
 * Copies each client's close date of the month `start` (null once closed, or without a row) onto
 * clients.close_on, for the clients whose copy differs: locked in id order first, the order the
 * platform's batches take, so that a copy never deadlocks with a batch. With `onlyIfFollowed`, only
 * when `start` is the firm's month to close.
 */
async function copyCloseDates(
  firmId: string,
  start: string,
  { onlyIfFollowed }: { onlyIfFollowed: boolean },
  clientIds?: string[],
  on: Pick<typeof db, 'execute'> = db,
): Promise<void> {
  await on.execute(sql`
    WITH wanted AS (
      SELECT c.id, CASE WHEN m.status <> 'closed' THEN m.close_on END AS close_on
      FROM clients c LEFT JOIN client_months m ON m.client_id = c.id AND m.month = ${start}::date
      WHERE c.firm_id = ${firmId} ${clientIds ? sql`AND c.id = ANY(${sqlArray(clientIds, 'uuid')})` : sql``}
        ${onlyIfFollowed ? sql`AND EXISTS (SELECT 1 FROM firms f WHERE f.id = ${firmId} AND f.close_month = ${start}::date)` : sql``}),
    locked AS (
      SELECT c.id FROM clients c JOIN wanted w ON w.id = c.id
      WHERE c.close_on IS DISTINCT FROM w.close_on ORDER BY c.id FOR NO KEY UPDATE OF c)
    UPDATE clients c SET close_on = w.close_on FROM wanted w
    WHERE c.id = w.id AND c.id IN (SELECT id FROM locked)`);
}

/**
 * Where a page of the board is read, so that it is an index scan that stops after its rows at any
 * size (`npm run bench:close`): an accountant's own copies (assigned_months, migration 0045), or
 * the firm's months, of connected clients (the indexes hold no other: `t.client_active`). `t` is
 * the table whose index gives the order, `m` the month's row shown. Every index holds the status
 * (the firm's months' by preparer and by reviewer too, after them): listBoard reads each status
 * apart.
 */
type BoardSource = { from: SQL; shown: SQL; keys: SQL[] };

function boardSource(viewer: Viewer, month: string): BoardSource {
  const start = sql`${monthStart(month)}::date`;
  if (viewer.role !== 'admin') {
    return {
      from: sql`assigned_months t JOIN client_months m ON m.client_id = t.client_id AND m.month = t.month`,
      shown: sql`m`,
      keys: [sql`t.user_id = ${viewer.id}`, sql`t.month = ${start}`, sql`t.client_active`],
    };
  }
  return {
    from: sql`client_months t`,
    shown: sql`t`,
    keys: [sql`t.firm_id = ${viewer.firmId}`, sql`t.month = ${start}`, sql`t.client_active`],
  };
}

/** The board's filters, on the ordering table `t`: connected clients, and the viewer's choices. */
function boardFilters(params: BoardParams, now: Date): SQL[] {
  const { today, monday, sunday } = parisWeek(now);
  const parts: SQL[] = [sql`c.status = 'active'`];
  // An admin's preparer or reviewer is read by its index; an accountant's from their copies.
  if (params.preparer) parts.push(sql`t.preparer_id = ${params.preparer}`);
  if (params.reviewer) parts.push(sql`t.reviewer_id = ${params.reviewer}`);
  if (params.group) {
    parts.push(
      sql`EXISTS (SELECT 1 FROM client_group_members g WHERE g.group_id = ${params.group}::uuid AND g.client_id = t.client_id)`,
    );
  }
  if (params.late) parts.push(sql`t.close_on < ${today}::date AND t.status <> 'closed'`);
  if (params.week) parts.push(sql`t.close_on BETWEEN ${monday}::date AND ${sunday}::date`);
  return parts;
}

/** Each sort's column and direction; each ends by name, then id: the order of its indexes (db/schema.ts). */
const SORT_KEY: Record<BoardSort, SQL> = {
  due: sql`close_on`,
  vat: sql`vat_at_risk_cents`,
  missing: sql`missing`,
  to_code: sql`to_code`,
};
function orderBy(sort: BoardSort, key: SQL, name: SQL, id: SQL): SQL {
  return sort === 'due' ? sql`${key}, ${name}, ${id}` : sql`${key} DESC NULLS LAST, ${name}, ${id}`;
}

export type BoardPage = { rows: BoardRow[]; page: number; hasNext: boolean };

/**
 * One page of the board: for each status shown, an index scan in the order of the sort that stops
 * after the page's end, the four merged (`npm run bench:close`). No count: counting a status across
 * 10,000 clients would read them all on every visit — the tabs say what they hold, the pages go on
 * while there are rows.
 */
export async function listBoard(viewer: Viewer, params: BoardParams, now = new Date()): Promise<BoardPage> {
  await openMonth(viewer.firmId, params.month);
  const offset = (params.page - 1) * params.size;
  const source = boardSource(viewer, params.month);
  const where = sql.join([...source.keys, ...boardFilters(params, now)], sql` AND `);
  const key = SORT_KEY[params.sort];
  const m = source.shown;
  const branch = (status: SQL, limit: SQL) => sql`(
    SELECT ${m}.client_id AS "clientId", c.name, ${m}.status, ${m}.close_on::text AS "closeOn",
      ${m}.vat_due_on::text AS "vatDueOn", ${m}.expenses, ${m}.missing, ${m}.to_code AS "toCode",
      ${m}.to_review AS "toReview", ${m}.not_exported AS "notExported",
      ${m}.vat_at_risk_cents::float8 AS "vatAtRiskCents", ${m}.after_close AS "afterClose",
      c.balance_cents::float8 AS "balanceCents", c.currency, c.close_preparer_id, c.close_reviewer_id,
      t.${key} AS k_key, t.sort_name AS k_name, t.client_id AS k_id
    FROM ${source.from} JOIN clients c ON c.id = t.client_id
    WHERE ${where} ${status}
    ORDER BY ${orderBy(params.sort, sql`t.${key}`, sql`t.sort_name`, sql`t.client_id`)}
    ${limit})`;
  const limit = sql`LIMIT ${offset + params.size + 1}`;
  // A late month is not closed: its branch would read every closed month to find none.
  const statuses = BOARD_STATUSES.filter((s) => !params.late || s !== 'closed');
  const pages = sql.join(
    (params.status ? [params.status] : statuses).map((s) => branch(sql`AND t.status = ${s}`, limit)),
    sql` UNION ALL `,
  );
  const rows = await queryRows<BoardRow>(
    plannedEachTime(sql`
    SELECT b."clientId", b.name, b.status, b."closeOn", b."vatDueOn", b.expenses, b.missing, b."toCode",
      b."toReview", b."notExported", b."vatAtRiskCents", b."afterClose", b."balanceCents", b.currency,
      (SELECT name FROM users u WHERE u.id = b.close_preparer_id) AS preparer,
      (SELECT name FROM users u WHERE u.id = b.close_reviewer_id) AS reviewer
    FROM (${pages}) b
    ORDER BY ${orderBy(params.sort, sql`b.k_key`, sql`b.k_name`, sql`b.k_id`)}
    LIMIT ${params.size + 1} OFFSET ${offset}`),
  );
  return { rows: rows.slice(0, params.size), page: params.page, hasNext: rows.length > params.size };
}

export type ClientMonth = Omit<BoardRow, 'name' | 'balanceCents' | 'currency' | 'preparer' | 'reviewer'> & {
  closedAt: Date | null;
  closedBy: string | null;
  closeOverride: string | null;
};

/** A client's month (its row made and dated if the board has not opened it yet). */
export async function findClientMonth(client: VisibleClient, month: string): Promise<ClientMonth> {
  await openMonth(client.firmId, month);
  const [row] = await queryRows<ClientMonth>(sql`
    SELECT m.client_id AS "clientId", m.status, m.close_on::text AS "closeOn", m.vat_due_on::text AS "vatDueOn",
      m.expenses, m.missing, m.to_code AS "toCode", m.to_review AS "toReview", m.not_exported AS "notExported",
      m.vat_at_risk_cents::float8 AS "vatAtRiskCents", m.after_close AS "afterClose", m.closed_at AS "closedAt",
      (SELECT name FROM users u WHERE u.id = m.closed_by) AS "closedBy", m.close_override AS "closeOverride"
    FROM client_months m WHERE m.client_id = ${client.id} AND m.month = ${monthStart(month)}::date`);
  if (!row) throw new SafeError('errors.clientNotFound');
  return { ...row, closedAt: row.closedAt ? new Date(row.closedAt) : null };
}

export type CloseResult = 'closed' | 'already_closed';

/**
 * « Clôturer le mois »: refused while a check fails (receipts missing, expenses to code, to review
 * or to export), unless an admin gives a reason, which the Journal keeps. The month's row is locked
 * while it is checked and closed, so that an expense changing at the same moment waits and then
 * lands « Après clôture ». Safe to retry: a closed month stays closed, nothing is written twice.
 */
export async function closeMonth(
  viewer: Viewer,
  client: VisibleClient,
  month: string,
  override: string,
  now = new Date(),
): Promise<CloseResult> {
  if (month > monthToClose(now)) throw new SafeError('errors.monthNotOver');
  if (override && viewer.role !== 'admin') throw new SafeError('errors.adminOnly');
  await openMonth(client.firmId, month);
  const start = monthStart(month);
  return db.transaction(async (tx) => {
    // The client's row first, then its month: the order the platform's batches take.
    await tx.execute(sql`SELECT 1 FROM clients WHERE id = ${client.id} FOR NO KEY UPDATE`);
    const [row] = await queryRows<{ status: BoardStatus }>(
      sql`SELECT status FROM client_months WHERE client_id = ${client.id} AND month = ${start}::date FOR UPDATE`,
      tx,
    );
    if (!row) throw new SafeError('errors.clientNotFound');
    if (row.status === 'closed') return 'already_closed';
    if (row.status !== 'ready' && !override) {
      throw new SafeError(viewer.role === 'admin' ? 'errors.closeBlockedAdmin' : 'errors.closeBlocked');
    }
    // Its late arrivals are part of the month from now on.
    await tx.execute(sql`
      UPDATE expenses SET after_close = false
      WHERE client_id = ${client.id} AND after_close
        AND spent_on >= ${start}::date AND spent_on < (${start}::date + interval '1 month')::date`);
    await tx.execute(sql`
      UPDATE client_months SET closed_at = now(), closed_by = ${viewer.id},
        close_override = ${row.status === 'ready' ? null : override}
      WHERE client_id = ${client.id} AND month = ${start}::date`);
    await copyCloseDates(client.firmId, start, { onlyIfFollowed: true }, [client.id], tx);
    await recordActivity(tx, {
      firmId: viewer.firmId,
      actor: actorOf(viewer),
      action: 'month_closed',
      client,
      details: row.status === 'ready' ? { month } : { month, reason: override },
    });
    return 'closed';
  });
}

/** « Rouvrir »: an admin's, with a reason (journaled). Safe to retry: an open month stays open. */
export async function reopenMonth(
  viewer: Viewer,
  client: VisibleClient,
  month: string,
  reason: string,
): Promise<'reopened' | 'already_open'> {
  if (viewer.role !== 'admin') throw new SafeError('errors.adminOnly');
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT 1 FROM clients WHERE id = ${client.id} FOR NO KEY UPDATE`);
    const reopened = await queryRows<{ month: string }>(
      sql`UPDATE client_months SET closed_at = NULL, closed_by = NULL, close_override = NULL
          WHERE client_id = ${client.id} AND month = ${monthStart(month)}::date AND closed_at IS NOT NULL
          RETURNING month`,
      tx,
    );
    if (reopened.length === 0) return 'already_open';
    await copyCloseDates(client.firmId, monthStart(month), { onlyIfFollowed: true }, [client.id], tx);
    await recordActivity(tx, {
      firmId: viewer.firmId,
      actor: actorOf(viewer),
      action: 'month_reopened',
      client,
      details: { month, reason },
    });
    return 'reopened';
  });
}

/**
 * An admin sets the preparer and/or the reviewer of many clients at once (« Attribuer à… » on the
 * board). Each must be an active member of the firm; they are assigned to the clients too, so that
 * they can open them. Only clients of the admin's firm are touched; returns how many.
 */
export async function setCloseRoles(
  viewer: Viewer,
  clientIds: readonly string[],
  roles: { preparerId?: string; reviewerId?: string },
): Promise<number> {
  if (viewer.role !== 'admin') throw new SafeError('errors.adminOnly');
  const people = [roles.preparerId, roles.reviewerId].filter((id): id is string => Boolean(id));
  if (people.length === 0) throw new SafeError('errors.chooseCloseRole');
  return db.transaction(async (tx) => {
    const members = await queryRows<{ id: string; name: string }>(
      sql`SELECT id, name FROM users WHERE id = ANY(${sqlArray(people, 'uuid')}) AND firm_id = ${viewer.firmId} AND active`,
      tx,
    );
    if (members.length !== new Set(people).size) throw new SafeError('errors.memberNotFound');
    const nameOf = (id: string) => members.find((m) => m.id === id)?.name ?? '';
    // The UPDATE below would lock the clients in the order it finds them.
    await lockClients(tx, viewer.firmId, clientIds);
    const updated = await queryRows<{ id: string }>(
      sql`UPDATE clients SET
            close_preparer_id = ${roles.preparerId ? sql`${roles.preparerId}::uuid` : sql`close_preparer_id`},
            close_reviewer_id = ${roles.reviewerId ? sql`${roles.reviewerId}::uuid` : sql`close_reviewer_id`}
          WHERE firm_id = ${viewer.firmId} AND id = ANY(${sqlArray(clientIds, 'uuid')})
          RETURNING id`,
      tx,
    );
    const ids = updated.map((r) => r.id);
    if (ids.length === 0) return 0;
    // They can open the clients they prepare or review, for good (an access granted for a time becomes permanent).
    const added = await queryRows<{ client_id: string; user_id: string }>(
      sql`INSERT INTO assignments (firm_id, client_id, user_id)
          SELECT ${viewer.firmId}::uuid, c, u FROM unnest(${sqlArray(ids, 'uuid')}) c, unnest(${sqlArray(people, 'uuid')}) u
          ON CONFLICT (client_id, user_id) DO UPDATE SET expires_at = NULL WHERE assignments.expires_at IS NOT NULL
          RETURNING client_id, user_id`,
      tx,
    );
    for (const person of new Set(people)) {
      const theirs = added.filter((a) => a.user_id === person).map((a) => a.client_id);
      await recordClientEvents(tx, {
        firmId: viewer.firmId,
        clientIds: theirs,
        actorId: viewer.id,
        kind: 'assigned',
        detail: nameOf(person),
      });
    }
    await recordActivityForClients(tx, {
      firmId: viewer.firmId,
      actor: actorOf(viewer),
      action: 'close_roles_changed',
      clientIds: ids,
      details: {
        ...(roles.preparerId ? { preparer: nameOf(roles.preparerId) } : {}),
        ...(roles.reviewerId ? { reviewer: nameOf(roles.reviewerId) } : {}),
      },
    });
    return ids.length;
  });
}

/** The expenses of a client's month that came or changed after its close (« Après clôture »). */
export async function listAfterClose(client: VisibleClient, month: string) {
  const start = monthStart(month);
  return queryRows<{ id: string; spentOn: string; merchant: string; amountCents: number; currency: string }>(sql`
    SELECT id, spent_on::text AS "spentOn", merchant, amount_cents::float8 AS "amountCents", currency
    FROM expenses
    WHERE client_id = ${client.id} AND after_close
      AND spent_on >= ${start}::date AND spent_on < (${start}::date + interval '1 month')::date
    ORDER BY spent_on, id
    LIMIT 100`);
}
