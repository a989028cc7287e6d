import { sql } from 'drizzle-orm';
import { queryRows, sqlArray, timestamptz } from '@/db';
import { findWorkspaceClient } from '@/lib/clients/queries';
import { isUuid } from '@/lib/server/ids';
import type { Viewer, VisibleClient } from '@/lib/access/visibility';
import type { ExpenseQuestion } from '@/db/schema';
import { ITEM_PENDING } from './requests';

/** An expense's receipt file, if the viewer may open its client. */
export async function findReceipt(viewer: Viewer, clientId: string, expenseId: string) {
  const client = await findWorkspaceClient(viewer, clientId);
  if (!client || !isUuid(expenseId)) return undefined;
  const [row] = await queryRows<{
    file_id: string;
    driver: string;
    content_type: string;
    size: string | number;
    spent_on: string;
    merchant: string;
  }>(
    sql`SELECT f.id AS file_id, f.driver, f.content_type, f.size, e.spent_on::text, e.merchant
        FROM expenses e JOIN stored_files f ON f.id = e.receipt_file_id AND f.complete
        WHERE e.id = ${expenseId} AND e.client_id = ${client.id}`,
  );
  return row
    ? {
        fileId: row.file_id,
        driver: row.driver,
        contentType: row.content_type,
        size: Number(row.size),
        spentOn: row.spent_on,
        merchant: row.merchant,
      }
    : undefined;
}

export type RequestStatus = { requestedAt: Date; followups: number };

/** Per expense of the client, its latest request: when, and how many follow-ups went. */
export async function requestStatuses(
  client: VisibleClient,
  expenseIds: string[],
): Promise<Map<string, RequestStatus>> {
  if (expenseIds.length === 0) return new Map();
  const rows = await queryRows<{ expense_id: string; created_at: string | Date; followups: number }>(
    sql`SELECT DISTINCT ON (i.expense_id) i.expense_id, r.created_at,
               (SELECT count(*)::int FROM receipt_followups f
                WHERE f.request_id = r.id AND f.sent_at IS NOT NULL AND f.last_error IS NULL) AS followups
        FROM receipt_request_items i JOIN receipt_requests r ON r.id = i.request_id
        WHERE r.client_id = ${client.id} AND r.cancelled_at IS NULL
          AND i.expense_id = ANY(${sqlArray(expenseIds, 'uuid')})
        ORDER BY i.expense_id, r.created_at DESC`,
  );
  return new Map(rows.map((r) => [r.expense_id, { requestedAt: new Date(r.created_at), followups: r.followups }]));
}

export type OpenRequestRow = {
  id: string;
  recipientEmail: string;
  recipientName: string | null;
  createdAt: Date;
  expiresAt: Date;
  waiting: number;
  followups: number;
  requesterName: string;
};

/** The client's requests still open (not cancelled, not expired, something still missing). */
export async function listOpenRequests(client: VisibleClient, now = new Date()): Promise<OpenRequestRow[]> {
  const rows = await queryRows<{
    id: string;
    recipient_email: string;
    recipient_name: string | null;
    created_at: string | Date;
    expires_at: string | Date;
    waiting: number;
    followups: number;
    requester_name: string;
  }>(
    sql`SELECT r.id, r.recipient_email, r.recipient_name, r.created_at, r.expires_at, u.name AS requester_name,
               (SELECT count(*)::int FROM receipt_request_items i JOIN expenses e ON e.id = i.expense_id
                WHERE i.request_id = r.id AND ${ITEM_PENDING}) AS waiting,
               (SELECT count(*)::int FROM receipt_followups f
                WHERE f.request_id = r.id AND f.sent_at IS NOT NULL AND f.last_error IS NULL) AS followups
        FROM receipt_requests r JOIN users u ON u.id = r.requested_by
        WHERE r.client_id = ${client.id} AND r.cancelled_at IS NULL AND r.expires_at > ${timestamptz(now)}
        ORDER BY r.created_at DESC
        LIMIT 50`,
  );
  return rows
    .filter((r) => r.waiting > 0)
    .map((r) => ({
      id: r.id,
      recipientEmail: r.recipient_email,
      recipientName: r.recipient_name,
      createdAt: new Date(r.created_at),
      expiresAt: new Date(r.expires_at),
      waiting: r.waiting,
      followups: r.followups,
      requesterName: r.requester_name,
    }));
}

export type ExpenseQuestionRow = {
  expenseId: string;
  question: ExpenseQuestion;
  questionText: string | null;
  askedAt: Date;
  askedBy: string;
  recipient: string;
  answer: string | null;
  answeredAt: Date | null;
};

/**
 * The questions asked about these expenses of the client, with their answers, oldest first (those
 * of a cancelled request that were never answered are left out).
 */
export async function listExpenseQuestions(client: VisibleClient, expenseIds: string[]): Promise<ExpenseQuestionRow[]> {
  if (expenseIds.length === 0) return [];
  const rows = await queryRows<{
    expense_id: string;
    question: ExpenseQuestion;
    question_text: string | null;
    created_at: string | Date;
    asked_by: string;
    recipient: string;
    answer: string | null;
    answered_at: string | Date | null;
  }>(
    sql`SELECT i.expense_id, i.question, i.question_text, r.created_at, u.name AS asked_by,
               coalesce(nullif(trim(r.recipient_name), ''), r.recipient_email) AS recipient, i.answer, i.answered_at
        FROM receipt_request_items i JOIN receipt_requests r ON r.id = i.request_id JOIN users u ON u.id = r.requested_by
        WHERE r.client_id = ${client.id} AND i.expense_id = ANY(${sqlArray(expenseIds, 'uuid')})
          AND i.question IS NOT NULL AND (i.answered_at IS NOT NULL OR r.cancelled_at IS NULL)
        ORDER BY r.created_at, i.expense_id`,
  );
  return rows.map((r) => ({
    expenseId: r.expense_id,
    question: r.question,
    questionText: r.question_text,
    askedAt: new Date(r.created_at),
    askedBy: r.asked_by,
    recipient: r.recipient,
    answer: r.answer,
    answeredAt: r.answered_at ? new Date(r.answered_at) : null,
  }));
}
