import { sql, type SQL } from 'drizzle-orm';
import { db, queryRows, type Tx, timestamptz } from '@/db';
import { recordActivity } from '@/lib/activity/record';
import { recordInboxItem } from '@/lib/inbox/inbox';
import { completeFile, discardFile } from '@/lib/server/storage';
import { listRequestedExpenses, type RequestedExpense } from './requests';
import { hashRequestToken, looksLikeToken } from './tokens';

// What a request link opens, without a login: the link is the only key, so every way it can be
// wrong (unknown, expired, cancelled, malformed) looks the same from outside.

export type OpenRequest = {
  id: string;
  firmId: string;
  clientId: string;
  clientName: string;
  firmName: string;
  requesterName: string;
  message: string;
  expiresAt: Date;
  expenses: RequestedExpense[];
};

export async function openRequest(token: string, now = new Date()): Promise<OpenRequest | undefined> {
  if (!looksLikeToken(token)) return undefined;
  const [request] = await queryRows<{
    id: string;
    firm_id: string;
    client_id: string;
    client_name: string;
    firm_name: string;
    requester_name: string;
    message: string;
    expires_at: string | Date;
  }>(
    sql`SELECT r.id, r.firm_id, r.client_id, c.name AS client_name, f.name AS firm_name, u.name AS requester_name,
               r.message, r.expires_at
        FROM receipt_request_links l
        JOIN receipt_requests r ON r.id = l.request_id
        JOIN clients c ON c.id = r.client_id JOIN firms f ON f.id = r.firm_id JOIN users u ON u.id = r.requested_by
        WHERE l.token_hash = ${hashRequestToken(token)} AND r.cancelled_at IS NULL
          AND r.expires_at > ${timestamptz(now)} AND c.status = 'active'`,
  );
  if (!request) return undefined;
  return {
    id: request.id,
    firmId: request.firm_id,
    clientId: request.client_id,
    clientName: request.client_name,
    firmName: request.firm_name,
    requesterName: request.requester_name,
    message: request.message,
    expiresAt: new Date(request.expires_at),
    expenses: (await listRequestedExpenses([request.id])).get(request.id) ?? [],
  };
}

export type AnswerResult = 'done' | 'link_invalid' | 'not_requested';

/**
 * Attaches a stored (not yet complete) file to an expense of the request, in one transaction: the
 * file becomes complete and the expense attached together, or neither (and the file is removed).
 * Counters follow through the triggers on expenses.
 */
export async function attachReceipt(
  token: string,
  expenseId: string,
  file: { id: string; size: number },
  now = new Date(),
): Promise<AnswerResult> {
  const result = await answer(token, expenseId, now, {
    set: sql`receipt_state = 'attached', receipt_file_id = ${file.id}, receipt_reason = NULL`,
    action: 'receipt_received',
    inbox: 'receipt',
    details: { bytes: file.size },
    alsoInTransaction: (tx) => completeFile(tx, file.id, file.size),
  });
  if (result !== 'done') await discardFile(file.id);
  return result;
}

/** « Pas de reçu »: the expense no longer needs one, with the reason the accountant will read. */
export function answerNoReceipt(token: string, expenseId: string, reason: string, now = new Date()) {
  return answer(token, expenseId, now, {
    set: sql`receipt_state = 'not_required', receipt_reason = ${reason}`,
    action: 'receipt_not_required',
    inbox: 'no_receipt',
    details: {},
  });
}

/**
 * The one way an expense of a request gets its answer: under the request's lock (a cancel waits,
 * or wins), only an expense of that request and client still missing its receipt, with the
 * Journal entry in the same transaction.
 */
async function answer(
  token: string,
  expenseId: string,
  now: Date,
  change: {
    set: SQL;
    action: 'receipt_received' | 'receipt_not_required';
    inbox: 'receipt' | 'no_receipt';
    details: Record<string, number>;
    alsoInTransaction?: (tx: Tx) => Promise<void>;
  },
): Promise<AnswerResult> {
  return db.transaction(async (tx) => {
    const request = await lockRequest(token, now, tx);
    if (!request) return 'link_invalid' as const;
    const [answered] = await queryRows<{ id: string }>(
      sql`UPDATE expenses e SET ${change.set}, receipt_answered_at = ${timestamptz(now)}
          FROM receipt_request_items i
          WHERE i.request_id = ${request.id} AND i.expense_id = e.id AND e.id = ${expenseId}
            AND e.client_id = ${request.client_id} AND i.wants_receipt AND e.receipt_state = 'missing'
          RETURNING e.id`,
      tx,
    );
    if (!answered) return 'not_requested' as const;
    await change.alsoInTransaction?.(tx);
    const actor = recipientOf(request);
    await recordInboxItem(tx, {
      firmId: request.firm_id,
      clientId: request.client_id,
      expenseId,
      requestId: request.id,
      kind: change.inbox,
      sender: actor.name,
    });
    await recordActivity(tx, {
      firmId: request.firm_id,
      actor,
      action: change.action,
      client: { id: request.client_id },
      details: { requestId: request.id, ...change.details },
    });
    return 'done' as const;
  });
}

/**
 * The answer to a question about an expense of the request (« De quoi s'agit-il ? »…), once: a
 * second answer (a form sent again) finds it answered and changes nothing. In the Journal, credited
 * to the person who answered.
 */
export async function answerQuestion(token: string, expenseId: string, text: string, now = new Date()) {
  return db.transaction(async (tx): Promise<AnswerResult> => {
    const request = await lockRequest(token, now, tx);
    if (!request) return 'link_invalid';
    const [answered] = await queryRows<{ question: string }>(
      sql`UPDATE receipt_request_items i SET answer = ${text}, answered_at = ${timestamptz(now)}
          FROM expenses e
          WHERE i.request_id = ${request.id} AND i.expense_id = ${expenseId} AND e.id = i.expense_id
            AND e.client_id = ${request.client_id} AND i.question IS NOT NULL AND i.answered_at IS NULL
          RETURNING i.question::text AS question`,
      tx,
    );
    if (!answered) return 'not_requested';
    const actor = recipientOf(request);
    await recordInboxItem(tx, {
      firmId: request.firm_id,
      clientId: request.client_id,
      expenseId,
      requestId: request.id,
      kind: 'answer',
      sender: actor.name,
    });
    await recordActivity(tx, {
      firmId: request.firm_id,
      actor,
      action: 'question_answered',
      client: { id: request.client_id },
      details: { requestId: request.id, question: answered.question },
    });
    return 'done';
  });
}

/** Who answers through a link: the person it was sent to, by name or else by address. */
function recipientOf(request: { recipient_name: string | null; recipient_email: string }) {
  return { kind: 'recipient' as const, name: request.recipient_name?.trim() || request.recipient_email };
}

async function lockRequest(token: string, now: Date, tx: Tx) {
  if (!looksLikeToken(token)) return undefined;
  const [request] = await queryRows<{
    id: string;
    firm_id: string;
    client_id: string;
    recipient_name: string | null;
    recipient_email: string;
  }>(
    sql`SELECT r.id, r.firm_id, r.client_id, r.recipient_name, r.recipient_email FROM receipt_request_links l JOIN receipt_requests r ON r.id = l.request_id
        WHERE l.token_hash = ${hashRequestToken(token)} AND r.cancelled_at IS NULL
          AND r.expires_at > ${timestamptz(now)}
        FOR SHARE OF r`,
    tx,
  );
  return request;
}
