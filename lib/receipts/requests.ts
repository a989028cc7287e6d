import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { db, queryRows, sqlArray, timestamptz, type Tx } from '@/db';
import ReceiptRequestEmail, { receiptRequestSubject, receiptRequestText } from '@/emails/receipt-request';
import { actorOf, recordActivity } from '@/lib/activity/record';
import type { CurrentUser } from '@/lib/access/users';
import { findWorkspaceClient, findWorkspaceClients } from '@/lib/clients/queries';
import type { VisibleClient } from '@/lib/access/visibility';
import { appUrl } from '@/lib/server/env';
import { SafeError } from '@/lib/server/errors';
import { suppressedAmong } from '@/lib/server/mail/delivery-events';
import { renderEmail } from '@/lib/server/mail/render';
import { sendEmailBatch } from '@/lib/server/mail/send';
import type { Transport } from '@/lib/server/mail/transport';
import { TIME_ZONE } from '@/lib/server/i18n/translator';
import { newRequestToken } from './tokens';
import type { ReceiptRequestInput } from './schemas';
import type { ExpenseQuestion } from '@/db/schema';

const VALID_DAYS = 30;
/** Resend's batch holds at most 100 e-mails. */
const MAX_EMAILS_PER_BATCH = 100;

type Requester = Pick<CurrentUser, 'id' | 'firmId' | 'role' | 'name'>;

export type RecipientGroup = {
  email: string;
  name: string | null;
  /** Card holder of these expenses, or the client's contact when the platform named none. */
  kind: 'card_holder' | 'contact';
  expenses: RequestedExpense[];
};

/**
 * Who « Demander les reçus » writes to, for these missing expenses of the client: each expense's
 * card holder when the platform gave one, otherwise the client's contact. One group per address.
 */
/** The client's expenses whose receipt is missing, oldest first, at most `limit`. */
export async function missingExpenseIds(client: VisibleClient, limit: number): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    sql`SELECT id FROM expenses WHERE client_id = ${client.id} AND receipt_state = 'missing'
        ORDER BY spent_on, id LIMIT ${limit}`,
  );
  return rows.map((r) => r.id);
}

/**
 * Who « Demander les reçus » writes to, for these expenses of the client: each expense's card
 * holder when the platform gave one, otherwise the client's contact; one group per address. An
 * expense is in when its receipt is missing (the receipt is asked) or, with `questions`, when a
 * question is asked about it (its receipt may be there already). Without `questions` (the page that
 * shows the plan before asking), every selected expense is shown, each with `receiptMissing`.
 */
export async function planRecipients(
  client: VisibleClient<{ id: string; firmId: string; contactEmail: string | null; contactName: string | null }>,
  expenseIds: string[],
  questions?: ReadonlyMap<string, AskedQuestion>,
) {
  const rows = await queryRows<
    ExpenseRow & { holder_email: string | null; holder_name: string | null; missing: boolean }
  >(
    sql`SELECT id, spent_on::text, merchant, amount_cents, currency, card_holder_email AS holder_email,
               card_holder_name AS holder_name, receipt_state = 'missing' AS missing
        FROM expenses
        WHERE client_id = ${client.id} AND id = ANY(${sqlArray(expenseIds, 'uuid')})
        ORDER BY spent_on, id`,
  );
  const groups = new Map<string, RecipientGroup>();
  const unreachable: string[] = [];
  let asked = 0;
  for (const row of rows) {
    const question = questions?.get(row.id) ?? null;
    if (questions && !row.missing && !question) continue;
    asked += 1;
    const email = row.holder_email ?? client.contactEmail?.toLowerCase() ?? null;
    if (!email) {
      unreachable.push(row.id);
      continue;
    }
    const group = groups.get(email) ?? {
      email,
      name: row.holder_email ? row.holder_name : client.contactName,
      kind: row.holder_email ? ('card_holder' as const) : ('contact' as const),
      expenses: [],
    };
    group.expenses.push({
      ...toRequestedExpense(row),
      needsReceipt: row.missing,
      question: question?.kind ?? null,
      questionText: question?.text ?? null,
    });
    groups.set(email, group);
  }
  return {
    groups: [...groups.values()].sort((a, b) => a.email.localeCompare(b.email)),
    // Selected expenses with nothing left to ask (answered meanwhile) or of another client are left out.
    leftOut: expenseIds.length - asked,
    unreachable,
  };
}

/**
 * Records one request per recipient and e-mails each its link. The form token makes a second
 * submission (a double click, or « Envoyer » again after a failure) send what is not sent yet,
 * with no second request: a request whose e-mail did not go gets a fresh link (only the hash of
 * the first was kept) under the same idempotency key.
 */
export async function requestReceipts(
  requester: Requester,
  input: Omit<ReceiptRequestInput, 'questions' | 'alsoOtherClients'> &
    Partial<Pick<ReceiptRequestInput, 'questions' | 'alsoOtherClients'>>,
  options: { transport?: Transport; now?: Date } = {},
): Promise<{ sent: number; recipients: string[] }> {
  const client = await findWorkspaceClient(requester, input.clientId);
  if (!client) throw new SafeError('errors.clientNotFound');
  const now = options.now ?? new Date();
  const plan = await planRecipients(client, input.ids, questionsOf(input.questions ?? []));
  if (plan.groups.length === 0)
    throw new SafeError(plan.unreachable.length > 0 ? 'errors.noReceiptRecipient' : 'errors.nothingMissing');
  const parisDay = DateTime.fromJSDate(now, { zone: TIME_ZONE }).toISODate()!;

  const others = input.alsoOtherClients ? await othersOfRecipients(requester, client.id, plan.groups) : [];
  const form = { formToken: input.formToken, comment: input.comment, parisDay, now };
  await db.transaction(async (tx) => {
    await insertRequests(tx, requester, client, plan.groups, form);
    for (const other of others) await insertRequests(tx, requester, other.client, other.groups, form);
  });
  return deliverRequests(requester.firmId, input.formToken, options);
}

/** One request per recipient group of a client, once per form (a form sent again inserts nothing). */
async function insertRequests(
  tx: Tx,
  requester: Requester,
  client: VisibleClient<{ id: string; firmId: string; name: string }>,
  groups: RecipientGroup[],
  form: { formToken: string; comment: string; parisDay: string; now: Date },
) {
  const { formToken, comment, parisDay, now } = form;
  for (const group of groups) {
    const [created] = await queryRows<{ id: string }>(
      sql`INSERT INTO receipt_requests (firm_id, client_id, requested_by, recipient_email, recipient_name, message,
            paris_day, expires_at, form_token, followup_days)
          VALUES (${requester.firmId}, ${client.id}, ${requester.id}, ${group.email}, ${group.name}, ${comment},
            ${parisDay}::date, ${timestamptz(new Date(now.getTime() + VALID_DAYS * 86_400_000))},
            ${formToken}, (SELECT followup_days FROM clients WHERE id = ${client.id}))
          ON CONFLICT (form_token, recipient_email, client_id) DO NOTHING RETURNING id`,
      tx,
    );
    if (!created) continue;
    const items = group.expenses;
    await tx.execute(sql`
      INSERT INTO receipt_request_items (request_id, expense_id, wants_receipt, question, question_text)
      SELECT ${created.id}::uuid, i.id, i.wants, i.question::expense_question, i.text
      FROM unnest(${sqlArray(
        items.map((e) => e.id),
        'uuid',
      )}, ${sqlArray(
        items.map((e) => String(e.needsReceipt)),
        'boolean',
      )}, ${sqlArray(
        items.map((e) => e.question),
        'text',
      )}, ${sqlArray(
        items.map((e) => e.questionText),
        'text',
      )}) AS i(id, wants, question, text)`);
    const questions = items.filter((e) => e.question).length;
    await recordActivity(tx, {
      firmId: requester.firmId,
      actor: actorOf(requester),
      action: 'receipts_requested',
      client,
      details: {
        requestId: created.id,
        expenses: items.filter((e) => e.needsReceipt).length,
        ...(questions > 0 ? { questions } : {}),
      },
    });
  }
}

/**
 * « Joindre leurs reçus manquants des autres clients »: for the card holders a request writes to,
 * their missing receipts at the requester's other connected clients (20 clients, 100 receipts
 * each at most), planned like the Clients page's « Demander les reçus ».
 */
async function othersOfRecipients(requester: Requester, clientId: string, groups: RecipientGroup[]) {
  const holders = groups.filter((g) => g.kind === 'card_holder').map((g) => g.email.toLowerCase());
  if (holders.length === 0) return [];
  const candidates = await queryRows<{ client_id: string }>(
    sql`SELECT DISTINCT e.client_id FROM expenses e JOIN clients c ON c.id = e.client_id
        WHERE c.firm_id = ${requester.firmId} AND c.status = 'active' AND c.id <> ${clientId}
          AND e.receipt_state = 'missing' AND lower(e.card_holder_email) = ANY(${sqlArray(holders, 'text')})
        LIMIT 200`,
  );
  const clients = (
    await findWorkspaceClients(
      requester,
      candidates.map((c) => c.client_id),
    )
  ).slice(0, 20);
  const plans = [];
  for (const client of clients) {
    const ids = await queryRows<{ id: string }>(
      sql`SELECT id FROM expenses WHERE client_id = ${client.id} AND receipt_state = 'missing'
            AND lower(card_holder_email) = ANY(${sqlArray(holders, 'text')})
          ORDER BY spent_on, id LIMIT ${ACROSS_PER_CLIENT}`,
    );
    const plan = await planRecipients(
      client,
      ids.map((r) => r.id),
      new Map(),
    );
    if (plan.groups.length > 0) plans.push({ client, groups: plan.groups });
  }
  return plans;
}

/** The most missing receipts one client contributes to « Demander les reçus » from the Clients page. */
const ACROSS_PER_CLIENT = 100;

/**
 * « Demander les reçus » from the Clients page: every missing receipt of the ticked clients (the
 * oldest 100 of each), to each expense's card holder (or the client's contact), one e-mail per
 * person across those clients — one section and one link per client in it. Clients the requester
 * may not open, or not connected, are left out; safe to send again under the same form token.
 */
export async function requestReceiptsAcross(
  requester: Requester,
  input: { clientIds: string[]; formToken: string; comment: string },
  options: { transport?: Transport; now?: Date } = {},
): Promise<{ sent: number; recipients: string[]; clients: number; receipts: number; unreachable: number }> {
  const now = options.now ?? new Date();
  const parisDay = DateTime.fromJSDate(now, { zone: TIME_ZONE }).toISODate()!;
  const clients = await findWorkspaceClients(requester, input.clientIds);
  const plans: { client: (typeof clients)[number]; groups: RecipientGroup[] }[] = [];
  let receipts = 0;
  let unreachable = 0;
  for (const client of clients) {
    const ids = await missingExpenseIds(client, ACROSS_PER_CLIENT);
    if (ids.length === 0) continue;
    const plan = await planRecipients(client, ids, new Map());
    unreachable += plan.unreachable.length;
    receipts += plan.groups.reduce((n, g) => n + g.expenses.length, 0);
    if (plan.groups.length > 0) plans.push({ client, groups: plan.groups });
  }
  if (plans.length === 0) throw new SafeError(unreachable > 0 ? 'errors.noReceiptRecipient' : 'errors.nothingMissing');
  await db.transaction(async (tx) => {
    for (const { client, groups } of plans)
      await insertRequests(tx, requester, client, groups, {
        formToken: input.formToken,
        comment: input.comment,
        parisDay,
        now,
      });
  });
  const delivered = await deliverRequests(requester.firmId, input.formToken, options);
  return { ...delivered, recipients: [...new Set(delivered.recipients)], clients: plans.length, receipts, unreachable };
}

/**
 * Sends the requests of a form that are not sent yet, each with a new link (only hashes are kept,
 * so a link is minted with the e-mail that carries it; one that never went opens nothing anyone has).
 */
async function deliverRequests(
  firmId: string,
  formToken: string,
  options: { transport?: Transport },
): Promise<{ sent: number; recipients: string[] }> {
  const requests = await queryRows<{
    id: string;
    recipient_email: string;
    recipient_name: string | null;
    message: string;
    expires_at: string | Date;
    provider_message_id: string | null;
    client_name: string;
    firm_name: string;
    requester_name: string;
    requester_email: string;
  }>(
    sql`SELECT r.id, r.recipient_email, r.recipient_name, r.message, r.expires_at, r.provider_message_id,
               c.name AS client_name, f.name AS firm_name, u.name AS requester_name, u.email AS requester_email
        FROM receipt_requests r
        JOIN clients c ON c.id = r.client_id JOIN firms f ON f.id = r.firm_id JOIN users u ON u.id = r.requested_by
        WHERE r.firm_id = ${firmId} AND r.form_token = ${formToken} AND r.cancelled_at IS NULL
        ORDER BY r.recipient_email, c.name, r.id`,
  );
  const recipients = requests.map((r) => r.recipient_email);
  const suppressed = await suppressedAmong(recipients);
  const unsent = requests.filter((r) => !r.provider_message_id && !suppressed.has(r.recipient_email.toLowerCase()));
  if (unsent.length === 0) return { sent: 0, recipients };
  // One e-mail per person: the form's requests to the same address (one per client) go together,
  // one section and one link each; at most 100 e-mails per batch.
  const byRecipient = new Map<string, typeof unsent>();
  for (const request of unsent) {
    const key = request.recipient_email.toLowerCase();
    byRecipient.set(key, [...(byRecipient.get(key) ?? []), request]);
  }
  const requested = await listRequestedExpenses(unsent.map((r) => r.id));
  const people = [...byRecipient.values()];
  let failures = 0;
  for (let start = 0; start < people.length; start += MAX_EMAILS_PER_BATCH) {
    const chunk = people.slice(start, start + MAX_EMAILS_PER_BATCH);
    const emails = [];
    const tokens = new Map<string, string>();
    for (const requests of chunk) {
      const sections = requests.map((request) => {
        const { token, hash } = newRequestToken();
        tokens.set(request.id, hash);
        return {
          clientName: request.client_name,
          expenses: requested.get(request.id) ?? [],
          url: `${appUrl()}/recus/${token}`,
        };
      });
      const [first, ...others] = sections;
      const request = requests[0]!;
      const props = {
        recipientName: request.recipient_name,
        firmName: request.firm_name,
        requesterName: request.requester_name,
        clientName: first!.clientName,
        message: request.message,
        expenses: first!.expenses,
        url: first!.url,
        others,
        expiresAt: new Date(request.expires_at),
        followUp: 0,
      };
      emails.push(
        await renderEmail(ReceiptRequestEmail, props, {
          to: request.recipient_email,
          subject: receiptRequestSubject(props),
          text: receiptRequestText,
          firmId,
          replyTo: request.requester_email,
        }),
      );
    }
    // The links are stored before sending: an e-mail never carries a link the portal would not know.
    await storeLinks(tokens);
    const key = `receipts:${formToken}:${createHash('sha256')
      .update([...tokens.values()].join(','))
      .digest('hex')
      .slice(0, 16)}`;
    const outcome = await sendEmailBatch(emails, key, { transport: options.transport });
    if (outcome.status !== 'sent') throw new SafeError('errors.receiptRequestSendFailed');
    const failed = new Set(outcome.failed.map((f) => f.index));
    failures += failed.size;
    const sent = chunk.flatMap((requests, i) =>
      failed.has(i) ? [] : requests.map((r) => ({ id: r.id, providerId: outcome.ids[i] ?? 'sent' })),
    );
    await db.execute(sql`
      UPDATE receipt_requests r SET provider_message_id = v.provider_id
      FROM unnest(${sqlArray(
        sent.map((s) => s.id),
        'uuid',
      )}, ${sqlArray(
        sent.map((s) => s.providerId),
        'text',
      )}) AS v(id, provider_id)
      WHERE r.id = v.id`);
  }
  if (failures > 0) throw new SafeError('errors.receiptRequestSendFailed');
  return { sent: people.length, recipients };
}

/** Records links (request id → token hash). */
export async function storeLinks(links: Map<string, string>, on: Pick<typeof db, 'execute'> = db) {
  if (links.size === 0) return;
  await on.execute(sql`
    INSERT INTO receipt_request_links (request_id, token_hash)
    SELECT * FROM unnest(${sqlArray([...links.keys()], 'uuid')}, ${sqlArray([...links.values()], 'text')})`);
}

export type RequestedExpense = {
  id: string;
  spentOn: string;
  merchant: string;
  amountCents: number;
  currency: string;
  /** The receipt is asked and still missing. */
  needsReceipt: boolean;
  /** A question asked and not answered yet (its free text for 'other'). */
  question: ExpenseQuestion | null;
  questionText: string | null;
};

/** A question asked about one expense. */
export type AskedQuestion = { kind: ExpenseQuestion; text: string | null };

/** The form's questions, by expense: a kind, and its text for « Autre question ». */
function questionsOf(questions: ReceiptRequestInput['questions']): Map<string, AskedQuestion> {
  return new Map(questions.map((q) => [q.expenseId, { kind: q.kind, text: q.kind === 'other' ? q.text : null }]));
}

type ExpenseRow = { id: string; spent_on: string; merchant: string; amount_cents: string | number; currency: string };

const toRequestedExpense = (r: ExpenseRow) => ({
  id: r.id,
  spentOn: r.spent_on,
  merchant: r.merchant,
  amountCents: Number(r.amount_cents),
  currency: r.currency,
});

/**
 * What an item of a request still waits for, as SQL over `i` (the item) and `e` (its expense): its
 * receipt, asked and missing, or the answer to its question. One definition for the link's page,
 * the e-mails, the follow-ups and the open requests.
 */
export const ITEM_PENDING = sql`((i.wants_receipt AND e.receipt_state = 'missing') OR (i.question IS NOT NULL AND i.answered_at IS NULL))`;

/** For each of these requests, its expenses still waiting for a receipt or an answer: one query for them all. */
export async function listRequestedExpenses(requestIds: string[]): Promise<Map<string, RequestedExpense[]>> {
  const rows = await queryRows<
    ExpenseRow & {
      request_id: string;
      needs_receipt: boolean;
      question: ExpenseQuestion | null;
      question_text: string | null;
    }
  >(
    sql`SELECT i.request_id, e.id, e.spent_on::text, e.merchant, e.amount_cents, e.currency,
               (i.wants_receipt AND e.receipt_state = 'missing') AS needs_receipt,
               CASE WHEN i.answered_at IS NULL THEN i.question END AS question,
               CASE WHEN i.answered_at IS NULL THEN i.question_text END AS question_text
        FROM receipt_request_items i JOIN expenses e ON e.id = i.expense_id
        WHERE i.request_id = ANY(${sqlArray(requestIds, 'uuid')}) AND ${ITEM_PENDING}
        ORDER BY e.spent_on, e.id`,
  );
  const byRequest = new Map<string, RequestedExpense[]>(requestIds.map((id) => [id, []]));
  for (const row of rows)
    byRequest.get(row.request_id)?.push({
      ...toRequestedExpense(row),
      needsReceipt: row.needs_receipt,
      question: row.question,
      questionText: row.question_text,
    });
  return byRequest;
}

/** « Annuler la demande »: the link stops working at once and no follow-up goes. */
export async function cancelRequest(viewer: Requester, clientId: string, requestId: string, now = new Date()) {
  const client = await findWorkspaceClient(viewer, clientId);
  if (!client) throw new SafeError('errors.clientNotFound');
  return db.transaction(async (tx) => {
    const [cancelled] = await queryRows<{ id: string }>(
      sql`UPDATE receipt_requests SET cancelled_at = ${timestamptz(now)}
          WHERE id = ${requestId} AND firm_id = ${viewer.firmId} AND client_id = ${client.id} AND cancelled_at IS NULL
          RETURNING id`,
      tx,
    );
    if (!cancelled) throw new SafeError('errors.requestNotFound');
    await recordActivity(tx, {
      firmId: viewer.firmId,
      actor: actorOf(viewer),
      action: 'receipt_request_cancelled',
      client,
      details: { requestId },
    });
  });
}
