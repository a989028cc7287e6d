import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { Resend } from 'resend';
import { db, queryRows, timestamptz, type Tx } from '@/db';
import type { InboundState } from '@/db/schema';
import { recordActivity } from '@/lib/activity/record';
import type { Viewer } from '@/lib/access/visibility';
import { findWorkspaceClient } from '@/lib/clients/queries';
import { readEnv } from '@/lib/server/env';
import { logger } from '@/lib/server/log';
import { completeFile, discardFile, FileTooLarge, storeFile } from '@/lib/server/storage';
import { readFacturX } from './facturx';
import { applyFacturX } from './invoices';
import { recordInboxItem } from '@/lib/inbox/inbox';
import {
  evidenceFromInvoice,
  evidenceFromText,
  matchDocument,
  MATCH_WINDOW_DAYS,
  type Candidate,
  type Evidence,
} from './match';
import { MAX_RECEIPT_BYTES, sniffReceipt } from './sniff';

// Receipts forwarded to a client's receipt address, « recus+<code>@<RECEIVING_DOMAIN> » (Resend's
// receiving: the `email.received` webhook names the e-mail and its attachments; the content and the
// files are fetched through the API). Each attachment becomes one `inbound_documents` row, once
// (by e-mail × attachment, so that Resend's retries and a replayed event write nothing twice), and
// is matched to one of the client's expenses missing a receipt (lib/receipts/match.ts): attached
// by itself when the evidence is strong and the sender is known to the client (its contact, a card
// holder of its expenses), else left in « Boîte de réception » as a suggestion, unmatched, or held.

const MAX_DOCUMENT_BYTES = MAX_RECEIPT_BYTES;
/** The most attachments read from one e-mail (a forward of a whole mailbox is not a receipt). */
const MAX_ATTACHMENTS = 10;

/** A client's receipt address, or nothing when no receiving domain is configured. */
export function receiptAddress(code: string): string | undefined {
  const domain = readEnv().RECEIVING_DOMAIN;
  return domain ? `recus+${code}@${domain}` : undefined;
}

/** The client code an e-mail was sent to, from its recipients: « recus+<code>@<domain> », any case. */
export function codeFromRecipients(recipients: string[], domain: string | undefined): string | undefined {
  if (!domain) return undefined;
  for (const recipient of recipients) {
    // « Cabinet <recus+abc@domaine> » or the bare address.
    const address = (/<([^<>]+)>\s*$/.exec(recipient)?.[1] ?? recipient).trim().toLowerCase();
    const match = /^recus\+([0-9a-f]{12})@(.+)$/.exec(address);
    if (match && match[2] === domain.toLowerCase()) return match[1];
  }
  return undefined;
}

/**
 * Whether the server that received the e-mail vouched for its From address (its
 * Authentication-Results, RFC 8601): DMARC passed for that domain, or DKIM or SPF passed for it.
 * Without that, anyone could write a card holder's address and have a document attached.
 */
export function authenticatedSender(headers: Record<string, string> | null | undefined, address: string): boolean {
  const domain = address.split('@')[1];
  if (!domain) return false;
  const results = Object.entries(headers ?? {})
    .filter(([name]) => name.toLowerCase() === 'authentication-results')
    .map(([, value]) => String(value).toLowerCase())
    .join(';');
  const ours = (d: string | undefined) => d === domain || (d !== undefined && domain.endsWith(`.${d}`));
  for (const clause of results.split(';').map((c) => c.trim())) {
    if (/^dmarc=pass\b/.test(clause) && ours(/header\.from=([a-z0-9.-]+)/.exec(clause)?.[1])) return true;
    if (/^dkim=pass\b/.test(clause) && ours(/header\.d=([a-z0-9.-]+)/.exec(clause)?.[1])) return true;
    if (/^spf=pass\b/.test(clause) && ours(/smtp\.mailfrom=(?:[^@\s]*@)?([a-z0-9.-]+)/.exec(clause)?.[1])) return true;
  }
  return false;
}

function bareAddress(from: string): string {
  return (/<([^<>]+)>\s*$/.exec(from)?.[1] ?? from).trim().toLowerCase();
}

export type ReceivedEmail = {
  email_id: string;
  created_at?: string;
  from: string;
  to: string[];
  subject?: string;
  attachments?: { id: string; filename?: string | null; content_type?: string }[];
};

export type InboundOutcome =
  | { ok: true; ignored: 'no_client' | 'no_attachment' }
  | { ok: true; documents: { attachmentId: string; state: InboundState | 'refused' }[] }
  | { ok: false; retry: true };

type Client = { id: string; firm_id: string };

/**
 * One received e-mail, applied. Safe to run again for the same e-mail (Resend retries until a 2xx):
 * an attachment already recorded is skipped before anything is fetched. `{ ok: false }` when the
 * provider could not be reached: the webhook answers 5xx and Resend tries again later.
 */
export async function receiveInboundEmail(email: ReceivedEmail, now = new Date()): Promise<InboundOutcome> {
  // Read now, not once per process: the settings of the receiving are those of this event.
  const settings = readEnv();
  const code = codeFromRecipients(email.to ?? [], settings.RECEIVING_DOMAIN);
  const [client] = code
    ? await queryRows<Client>(sql`SELECT id, firm_id FROM clients WHERE receipt_code = ${code} AND status = 'active'`)
    : [];
  if (!client) return { ok: true, ignored: 'no_client' };
  const attachments = (email.attachments ?? []).slice(0, MAX_ATTACHMENTS);
  if (attachments.length === 0) return { ok: true, ignored: 'no_attachment' };
  const seen = await queryRows<{ attachment_id: string; state: InboundState }>(
    sql`SELECT attachment_id, state FROM inbound_documents WHERE email_id = ${email.email_id}`,
  );
  const done = new Map(seen.map((row) => [row.attachment_id, row.state]));
  if (attachments.every((a) => done.has(a.id)))
    return { ok: true, documents: attachments.map((a) => ({ attachmentId: a.id, state: done.get(a.id)! })) };

  if (!settings.RESEND_API_KEY) return { ok: false, retry: true };
  const resend = new Resend(
    settings.RESEND_API_KEY,
    settings.RESEND_BASE_URL ? { baseUrl: settings.RESEND_BASE_URL } : undefined,
  );
  const [content, listed] = await Promise.all([
    resend.emails.receiving.get(email.email_id),
    resend.emails.receiving.attachments.list({ emailId: email.email_id }),
  ]);
  if (content.error || listed.error || !content.data || !listed.data) {
    logger.warn(
      { emailId: email.email_id, error: content.error?.name ?? listed.error?.name },
      'inbound e-mail not fetched',
    );
    return { ok: false, retry: true };
  }
  const sender = bareAddress(content.data.from ?? email.from);
  // A From header is the sender's word: known only when the receiving server vouched for it.
  const senderName = authenticatedSender(content.data.headers, sender)
    ? await knownSender(client.id, sender)
    : undefined;
  const receivedAt = Date.parse(content.data.created_at ?? email.created_at ?? '') || now.getTime();
  const subject = (content.data.subject ?? email.subject ?? '').slice(0, 500);
  const body = (content.data.text ?? '').slice(0, 20_000);

  const documents: { attachmentId: string; state: InboundState | 'refused' }[] = [];
  for (const attachment of attachments) {
    const already = done.get(attachment.id);
    if (already) {
      documents.push({ attachmentId: attachment.id, state: already });
      continue;
    }
    const data = listed.data.data.find((a) => a.id === attachment.id);
    if (!data || data.size > MAX_DOCUMENT_BYTES) {
      documents.push({ attachmentId: attachment.id, state: 'refused' });
      continue;
    }
    const fetched = await download(data.download_url);
    if (fetched === 'failed') return { ok: false, retry: true };
    if (fetched === 'refused') {
      documents.push({ attachmentId: attachment.id, state: 'refused' });
      continue;
    }
    const filename = (data.filename ?? attachment.filename ?? 'document').slice(0, 200);
    const state = await recordDocument({
      client,
      emailId: email.email_id,
      attachmentId: attachment.id,
      sender,
      senderName,
      subject,
      filename,
      text: [subject, filename, body].join('\n'),
      receivedAt: new Date(receivedAt),
      file: fetched,
    });
    documents.push({ attachmentId: attachment.id, state });
  }
  return { ok: true, documents };
}

/**
 * A document a user of the firm dropped on a client's account (« Déposer des reçus »): matched like
 * a forwarded one, the user standing as a known sender. Only on a connected client they may open.
 */
export async function dropDocument(
  viewer: Viewer,
  clientId: string,
  file: { bytes: Buffer; contentType: string; filename: string },
  now = new Date(),
): Promise<InboundState | 'not_found'> {
  const client = await findWorkspaceClient(viewer, clientId);
  if (!client) return 'not_found';
  const [user] = await queryRows<{ email: string }>(sql`SELECT email FROM users WHERE id = ${viewer.id}`);
  return recordDocument({
    client: { id: client.id, firm_id: client.firmId },
    // « depot- » and « lien- »: not an e-mail's id (the digest tells them apart by it).
    emailId: `depot-${randomUUID()}`,
    attachmentId: '1',
    sender: user?.email ?? '',
    senderName: viewer.name,
    subject: '',
    filename: file.filename,
    text: file.filename,
    receivedAt: now,
    file,
    droppedBy: viewer.id,
  });
}

/**
 * A receipt sent through a request's link without naming its expense (« Je ne sais pas à quelle
 * dépense il correspond »): matched like one forwarded by that person, whom the client knows.
 */
export async function receiveUnnamedUpload(
  requestId: string,
  file: { bytes: Buffer; contentType: string; filename: string },
  now = new Date(),
): Promise<InboundState | 'link_invalid'> {
  const [request] = await queryRows<{ firm_id: string; client_id: string; email: string; name: string | null }>(
    sql`SELECT firm_id, client_id, recipient_email AS email, recipient_name AS name FROM receipt_requests
        WHERE id = ${requestId} AND cancelled_at IS NULL`,
  );
  if (!request) return 'link_invalid';
  return recordDocument({
    client: { id: request.client_id, firm_id: request.firm_id },
    emailId: `lien-${randomUUID()}`,
    attachmentId: '1',
    sender: request.email,
    senderName: request.name,
    subject: '',
    filename: file.filename,
    text: file.filename,
    receivedAt: now,
    file,
    link: { requestId },
  });
}

/** The sender's name when the client knows the address: its contact, or a card holder of its expenses. */
async function knownSender(clientId: string, address: string): Promise<string | null | undefined> {
  const [row] = await queryRows<{ name: string | null }>(sql`
    SELECT contact_name AS name FROM clients WHERE id = ${clientId} AND lower(contact_email) = ${address}
    UNION ALL
    (SELECT card_holder_name FROM expenses WHERE client_id = ${clientId} AND lower(card_holder_email) = ${address} LIMIT 1)
    LIMIT 1`);
  return row ? row.name : undefined;
}

type Fetched = { bytes: Buffer; contentType: string };

/** The attachment's bytes (at most 10 MB, read as they come) and its type from its first bytes. */
async function download(url: string): Promise<Fetched | 'refused' | 'failed'> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  } catch {
    return 'failed';
  }
  if (!response.ok || !response.body) return response.status >= 500 || response.status === 429 ? 'failed' : 'refused';
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      if (size > MAX_DOCUMENT_BYTES) return 'refused';
      parts.push(Buffer.from(chunk));
    }
  } catch {
    return 'failed';
  }
  const bytes = Buffer.concat(parts);
  const contentType = bytes.length > 0 ? await sniffReceipt(bytes.subarray(0, 4100)) : undefined;
  return contentType ? { bytes, contentType } : 'refused';
}

async function* once(bytes: Buffer) {
  yield bytes;
}

async function recordDocument(document: {
  client: Client;
  emailId: string;
  attachmentId: string;
  sender: string;
  senderName: string | null | undefined;
  subject: string;
  filename: string;
  text: string;
  receivedAt: Date;
  file: Fetched;
  /** Who put it there, when a user dropped it on the account (the Journal credits them). */
  droppedBy?: string;
  /** Sent through a request's link without naming its expense: the request it came by. */
  link?: { requestId: string };
}): Promise<InboundState> {
  const receivedOn = DateTime.fromJSDate(document.receivedAt, { zone: 'Europe/Paris' }).toISODate()!;
  const read = document.file.contentType === 'application/pdf' ? await readFacturX(document.file.bytes) : undefined;
  const evidence: Evidence =
    read?.kind === 'invoice'
      ? evidenceFromInvoice(read.invoice, receivedOn, document.text)
      : evidenceFromText(document.text, receivedOn);
  const known = document.senderName !== undefined;

  let stored: { id: string; size: number };
  try {
    stored = await storeFile(once(document.file.bytes), {
      contentType: document.file.contentType,
      maxBytes: MAX_DOCUMENT_BYTES,
    });
  } catch (error) {
    if (error instanceof FileTooLarge) return 'held';
    throw error;
  }
  const outcome = await db
    .transaction(async (tx) => {
      const candidates = await candidatesFor(tx, document.client.id, evidence);
      const result = known ? matchDocument(evidence, candidates) : { kind: 'none' as const };
      const suggested = known ? result : matchDocument(evidence, candidates);
      let state: InboundState = known ? 'unmatched' : 'held';
      let expenseId: string | null = suggested.kind === 'none' ? null : suggested.expenseId;
      if (result.kind === 'auto') {
        const attached = await attachFile(tx, result.expenseId, document.client.id, stored);
        state = attached ? 'attached' : 'suggested';
      } else if (known && result.kind === 'suggestion') state = 'suggested';
      if (state === 'unmatched') expenseId = null;
      const [row] = await queryRows<{ id: string }>(
        sql`INSERT INTO inbound_documents (firm_id, client_id, email_id, attachment_id, sender, sender_name, subject,
            filename, file_id, state, expense_id, evidence, received_at)
          VALUES (${document.client.firm_id}, ${document.client.id}, ${document.emailId}, ${document.attachmentId},
            ${document.sender}, ${document.senderName ?? null}, ${document.subject}, ${document.filename}, ${stored.id},
            ${state}, ${expenseId}, ${JSON.stringify({
              amounts: evidence.amounts,
              date: evidence.date ?? null,
              exact: evidence.exact,
              invoice:
                read?.kind === 'invoice' ? { number: read.invoice.number, seller: read.invoice.sellerName } : null,
            })}::jsonb, ${timestamptz(document.receivedAt)})
          ON CONFLICT (email_id, attachment_id) DO NOTHING RETURNING id`,
        tx,
      );
      if (!row) {
        // Another delivery of the same event got there first: roll this one back whole.
        throw new AlreadyRecorded();
      }
      await completeFile(tx, stored.id, stored.size);
      if (state === 'attached') {
        await recordActivity(tx, {
          firmId: document.client.firm_id,
          actor: document.droppedBy
            ? { kind: 'user', id: document.droppedBy }
            : { kind: 'recipient', name: document.senderName?.trim() || document.sender },
          action: document.droppedBy ? 'receipt_dropped' : document.link ? 'receipt_received' : 'receipt_emailed',
          client: { id: document.client.id },
          details: { bytes: stored.size, ...(document.link ? { requestId: document.link.requestId } : {}) },
        });
        if (document.link && expenseId)
          await recordInboxItem(tx, {
            firmId: document.client.firm_id,
            clientId: document.client.id,
            expenseId,
            requestId: document.link.requestId,
            kind: 'receipt',
            sender: document.senderName?.trim() || document.sender,
          });
      }
      return { state, expenseId };
    })
    .catch(async (error: unknown) => {
      await discardFile(stored.id).catch(() => undefined);
      if (error instanceof AlreadyRecorded) return undefined;
      throw error;
    });
  if (!outcome) {
    const [row] = await queryRows<{ state: InboundState }>(
      sql`SELECT state FROM inbound_documents WHERE email_id = ${document.emailId} AND attachment_id = ${document.attachmentId}`,
    );
    return row?.state ?? 'held';
  }
  if (outcome.state === 'attached' && outcome.expenseId && read?.kind === 'invoice') {
    // Its VAT fills the coding (lib/receipts/invoices.ts); the receipt stays attached whatever it says.
    await applyFacturX(outcome.expenseId, document.file.bytes).catch((error: unknown) =>
      logger.warn({ err: error }, 'factur-x read failed'),
    );
  }
  return outcome.state;
}

class AlreadyRecorded extends Error {}

/** The client's expenses still missing a receipt, around the document's date (or its arrival). */
async function candidatesFor(tx: Tx, clientId: string, evidence: Evidence): Promise<Candidate[]> {
  const around = DateTime.fromISO(evidence.date ?? evidence.receivedOn, { zone: 'utc' });
  return queryRows<Candidate>(
    sql`SELECT id, amount_cents::float8 AS "amountCents", currency, spent_on::text AS "spentOn", merchant
        FROM expenses
        WHERE client_id = ${clientId} AND receipt_state = 'missing'
          AND spent_on BETWEEN ${around.minus({ days: MATCH_WINDOW_DAYS }).toISODate()}::date
                           AND ${around.plus({ days: MATCH_WINDOW_DAYS }).toISODate()}::date
        ORDER BY spent_on, id
        LIMIT 2000`,
    tx,
  );
}

/** The file becomes the expense's receipt, if the expense (of this client) still misses one. */
async function attachFile(tx: Tx, expenseId: string, clientId: string, file: { id: string }): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    sql`UPDATE expenses SET receipt_state = 'attached', receipt_file_id = ${file.id}, receipt_reason = NULL,
          receipt_answered_at = now()
        WHERE id = ${expenseId} AND client_id = ${clientId} AND receipt_state = 'missing'
        RETURNING id`,
    tx,
  );
  return rows.length > 0;
}

export { attachFile as attachInboundFile };
