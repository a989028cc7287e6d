import { eq, sql } from 'drizzle-orm';
import { db, queryRows, timestamptz } from '@/db';
import { firms, type UserLocale } from '@/db/schema';
import AccessRequestEmail, { accessRequestSubject, accessRequestText } from '@/emails/access-request';
import { assertAdmin } from '@/lib/access/roles';
import type { Viewer } from '@/lib/access/visibility';
import { actorOf, recordActivity } from '@/lib/activity/record';
import { recordClientEvents } from '@/lib/clients/events';
import { escapeLike } from '@/lib/clients/queries';
import { appUrl } from '@/lib/server/env';
import { SafeError } from '@/lib/server/errors';
import { isUuid } from '@/lib/server/ids';
import { renderEmail } from '@/lib/server/mail/render';
import { sendEmailBatch } from '@/lib/server/mail/send';
import type { Transport } from '@/lib/server/mail/transport';

// « Demander l'accès »: where the firm allows it, an accountant sees the firm's other clients
// greyed out (a name, no figure), asks for one with a reason; the firm's admins get the request in
// the portal and by e-mail, and grant it for a day, 30 days or without end, or refuse it with a
// reason. A grant is an assignment with an end (assignments.expires_at): once the end has passed,
// endExpiredAccess deletes it before anything else is served (each request, each cron run), so
// that every rule written on assignments (pages, lists, digests, reminders) follows without a
// condition of its own. Everything is in the Journal.

export const GRANTS = ['day', 'month', 'forever'] as const;
type Grant = (typeof GRANTS)[number];

const DAY_MS = 86_400_000;

function grantEnd(grant: Grant, now: Date): Date | null {
  if (grant === 'day') return new Date(now.getTime() + DAY_MS);
  if (grant === 'month') return new Date(now.getTime() + 30 * DAY_MS);
  return null;
}

async function accessRequestsEnabled(firmId: string): Promise<boolean> {
  const [row] = await db.select({ on: firms.accessRequests }).from(firms).where(eq(firms.id, firmId));
  return Boolean(row?.on);
}

export async function setAccessRequestsPolicy(admin: Viewer, enabled: boolean) {
  assertAdmin(admin);
  await db.update(firms).set({ accessRequests: enabled }).where(eq(firms.id, admin.firmId));
}

type OtherClient = {
  id: string;
  name: string;
  /** This viewer's latest request for the client, if any. */
  requestState: 'pending' | 'refused' | null;
  refusal: string | null;
};

const OTHER_CLIENTS_PAGE = 50;

/**
 * The firm's clients an accountant is not assigned to, by name: what she may ask for. Nothing but
 * the name: no figure, no status, no detail. Empty when the firm has not switched it on.
 */
export async function listOtherClients(viewer: Viewer, options: { q: string; page: number }) {
  if (viewer.role === 'admin' || !(await accessRequestsEnabled(viewer.firmId)))
    return { rows: [] as OtherClient[], hasMore: false };
  const source = options.q
    ? sql`pp_matching_client_rows(${viewer.firmId}::uuid, '%' || pp_fold(${escapeLike(options.q)}) || '%')`
    : sql`clients`;
  const rows = await queryRows<{
    id: string;
    name: string;
    state: 'pending' | 'refused' | null;
    refusal: string | null;
  }>(
    sql`SELECT c.id, c.name, r.state, r.refusal
        FROM ${source} c
        LEFT JOIN LATERAL (
          SELECT state::text AS state, refusal FROM access_requests ar
          WHERE ar.client_id = c.id AND ar.user_id = ${viewer.id} AND ar.state <> 'granted'
          ORDER BY ar.created_at DESC LIMIT 1) r ON true
        WHERE c.firm_id = ${viewer.firmId} AND c.status <> 'declined'
          AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.client_id = c.id AND a.user_id = ${viewer.id})
        ORDER BY c.search_name, c.id
        LIMIT ${OTHER_CLIENTS_PAGE + 1} OFFSET ${(options.page - 1) * OTHER_CLIENTS_PAGE}`,
  );
  return {
    rows: rows.slice(0, OTHER_CLIENTS_PAGE).map((r) => ({
      id: r.id,
      name: r.name,
      requestState: r.state,
      refusal: r.refusal,
    })),
    hasMore: rows.length > OTHER_CLIENTS_PAGE,
  };
}

/**
 * An accountant asks for a client of her firm she is not assigned to. Asking again while a request
 * is open is the same request (one row, one Journal line); its e-mail to the admins goes again only
 * if it has not gone yet (under the same key: the provider sends it once).
 */
export async function requestAccess(
  viewer: Viewer,
  input: { clientId: string; reason: string },
  options: { transport?: Transport; now?: Date } = {},
): Promise<{ again: boolean; emailSent: boolean; clientName: string }> {
  const now = options.now ?? new Date();
  if (viewer.role === 'admin') throw new SafeError('errors.accessAdminSeesAll');
  if (!(await accessRequestsEnabled(viewer.firmId))) throw new SafeError('errors.accessRequestsOff');
  if (!isUuid(input.clientId)) throw new SafeError('errors.clientNotFound');
  const request = await db.transaction(async (tx) => {
    const [client] = await queryRows<{ id: string; name: string; assigned: boolean }>(
      sql`SELECT c.id, c.name, EXISTS (SELECT 1 FROM assignments a WHERE a.client_id = c.id AND a.user_id = ${viewer.id}) AS assigned
          FROM clients c WHERE c.id = ${input.clientId} AND c.firm_id = ${viewer.firmId} AND c.status <> 'declined'`,
      tx,
    );
    if (!client) throw new SafeError('errors.clientNotFound');
    if (client.assigned) throw new SafeError('errors.accessAlreadyGranted');
    const [created] = await queryRows<{ id: string }>(
      sql`INSERT INTO access_requests (firm_id, client_id, user_id, reason, created_at)
          VALUES (${viewer.firmId}, ${client.id}, ${viewer.id}, ${input.reason}, ${timestamptz(now)})
          ON CONFLICT (client_id, user_id) WHERE state = 'pending' DO NOTHING
          RETURNING id`,
      tx,
    );
    if (created) {
      await recordActivity(tx, {
        firmId: viewer.firmId,
        actor: actorOf(viewer),
        action: 'access_requested',
        client: { id: client.id },
        details: { reason: input.reason },
      });
      return { id: created.id, clientName: client.name, reason: input.reason, again: false, notified: false };
    }
    const [open] = await queryRows<{ id: string; reason: string; notified: boolean }>(
      sql`SELECT id, reason, notified_at IS NOT NULL AS notified FROM access_requests
          WHERE client_id = ${client.id} AND user_id = ${viewer.id} AND state = 'pending'`,
      tx,
    );
    if (!open) throw new SafeError('errors.accessRetry');
    return { id: open.id, clientName: client.name, reason: open.reason, again: true, notified: open.notified };
  });
  const emailSent = request.notified || (await notifyAdmins(viewer, request, options.transport, now));
  return { again: request.again, emailSent, clientName: request.clientName };
}

/** One e-mail to each active admin of the firm, in their language, under the request's key. */
async function notifyAdmins(
  viewer: Viewer,
  request: { id: string; clientName: string; reason: string },
  transport: Transport | undefined,
  now: Date,
): Promise<boolean> {
  const admins = await queryRows<{ name: string; email: string; locale: UserLocale }>(
    sql`SELECT name, email, locale FROM users
        WHERE firm_id = ${viewer.firmId} AND role = 'admin' AND active ORDER BY id`,
  );
  if (admins.length === 0) return false;
  const emails = await Promise.all(
    admins.map((admin) => {
      const props = {
        locale: admin.locale,
        adminName: admin.name,
        requesterName: viewer.name,
        clientName: request.clientName,
        reason: request.reason,
        decideUrl: `${appUrl()}/clients/acces`,
      };
      return renderEmail(AccessRequestEmail, props, {
        to: admin.email,
        subject: accessRequestSubject(props),
        text: accessRequestText,
        firmId: viewer.firmId,
      });
    }),
  );
  const outcome = await sendEmailBatch(emails, `access-request:${request.id}`, { transport });
  if (outcome.status !== 'sent' && outcome.status !== 'already-accepted') return false;
  await db.execute(sql`UPDATE access_requests SET notified_at = ${timestamptz(now)} WHERE id = ${request.id}`);
  return true;
}

export type AccessRequestRow = {
  id: string;
  clientId: string;
  clientName: string;
  userName: string;
  reason: string;
  state: 'pending' | 'granted' | 'refused';
  createdAt: Date;
  decidedAt: Date | null;
  deciderName: string | null;
  grantedUntil: Date | null;
  refusal: string | null;
};

/** For admins: the open requests (oldest first), then the last decided ones. */
export async function listAccessRequests(
  admin: Viewer,
): Promise<{ open: AccessRequestRow[]; decided: AccessRequestRow[] }> {
  assertAdmin(admin);
  const select = (where: ReturnType<typeof sql>, order: ReturnType<typeof sql>, limit: number) =>
    queryRows<{
      id: string;
      client_id: string;
      client_name: string;
      user_name: string;
      reason: string;
      state: AccessRequestRow['state'];
      created_at: string | Date;
      decided_at: string | Date | null;
      decider_name: string | null;
      granted_until: string | Date | null;
      refusal: string | null;
    }>(
      sql`SELECT r.id, r.client_id, c.name AS client_name, u.name AS user_name, r.reason, r.state,
                 r.created_at, r.decided_at, d.name AS decider_name, r.granted_until, r.refusal
          FROM access_requests r
          JOIN clients c ON c.id = r.client_id
          JOIN users u ON u.id = r.user_id
          LEFT JOIN users d ON d.id = r.decided_by
          WHERE r.firm_id = ${admin.firmId} AND ${where}
          ORDER BY ${order} LIMIT ${limit}`,
    );
  const toRow = (r: Awaited<ReturnType<typeof select>>[number]): AccessRequestRow => ({
    id: r.id,
    clientId: r.client_id,
    clientName: r.client_name,
    userName: r.user_name,
    reason: r.reason,
    state: r.state,
    createdAt: new Date(r.created_at),
    decidedAt: r.decided_at ? new Date(r.decided_at) : null,
    deciderName: r.decider_name,
    grantedUntil: r.granted_until ? new Date(r.granted_until) : null,
    refusal: r.refusal,
  });
  const [open, decided] = await Promise.all([
    select(sql`r.state = 'pending'`, sql`r.created_at, r.id`, 200),
    select(sql`r.state <> 'pending'`, sql`r.decided_at DESC, r.id`, 20),
  ]);
  return { open: open.map(toRow), decided: decided.map(toRow) };
}

/** How many requests wait for the firm's admins (the count beside « Demandes d'accès »). */
export async function countOpenAccessRequests(admin: Viewer): Promise<number> {
  if (admin.role !== 'admin') return 0;
  const [row] = await queryRows<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM access_requests WHERE firm_id = ${admin.firmId} AND state = 'pending'`,
  );
  return row?.n ?? 0;
}

export type Decision = { grant: Grant } | { refusal: string };

/**
 * An admin decides an open request, once: deciding it again (a form sent twice) is told it is
 * already decided and changes nothing. A grant assigns the accountant to the client until its end;
 * it never shortens an access she already has (without end, or ending later).
 */
export async function decideAccessRequest(
  admin: Viewer,
  requestId: string,
  decision: Decision,
  now: Date = new Date(),
): Promise<{ userName: string; clientName: string; until: Date | null; granted: boolean }> {
  assertAdmin(admin);
  if (!isUuid(requestId)) throw new SafeError('errors.accessRequestNotFound');
  return db.transaction(async (tx) => {
    const until = 'grant' in decision ? grantEnd(decision.grant, now) : null;
    const [request] = await queryRows<{ client_id: string; user_id: string; user_name: string; client_name: string }>(
      sql`UPDATE access_requests r SET
            state = ${'grant' in decision ? 'granted' : 'refused'}::access_request_state,
            decided_by = ${admin.id}, decided_at = ${timestamptz(now)},
            granted_until = ${until ? timestamptz(until) : null},
            refusal = ${'refusal' in decision ? decision.refusal : null}
          FROM users u, clients c
          WHERE r.id = ${requestId} AND r.firm_id = ${admin.firmId} AND r.state = 'pending'
            AND u.id = r.user_id AND c.id = r.client_id
          RETURNING r.client_id, r.user_id, u.name AS user_name, c.name AS client_name`,
      tx,
    );
    if (!request) {
      const [exists] = await queryRows<{ state: string }>(
        sql`SELECT state::text AS state FROM access_requests WHERE id = ${requestId} AND firm_id = ${admin.firmId}`,
        tx,
      );
      throw new SafeError(exists ? 'errors.accessRequestDecided' : 'errors.accessRequestNotFound');
    }
    if ('grant' in decision) {
      await tx.execute(sql`
        INSERT INTO assignments (firm_id, client_id, user_id, expires_at)
        SELECT ${admin.firmId}, ${request.client_id}, u.id, ${until ? timestamptz(until) : null}
        FROM users u WHERE u.id = ${request.user_id} AND u.active
        ON CONFLICT (client_id, user_id) DO UPDATE SET expires_at =
          CASE WHEN assignments.expires_at IS NULL OR EXCLUDED.expires_at IS NULL THEN NULL
               ELSE greatest(assignments.expires_at, EXCLUDED.expires_at) END`);
      await recordClientEvents(tx, {
        firmId: admin.firmId,
        clientIds: [request.client_id],
        actorId: admin.id,
        kind: 'access_granted',
        detail: request.user_name,
        details: { until: until ? until.toISOString() : null },
      });
    } else {
      await recordActivity(tx, {
        firmId: admin.firmId,
        actor: actorOf(admin),
        action: 'access_refused',
        client: { id: request.client_id },
        details: { member: request.user_name, reason: decision.refusal },
      });
    }
    return {
      userName: request.user_name,
      clientName: request.client_name,
      until,
      granted: 'grant' in decision,
    };
  });
}
