import { logger } from '@/lib/server/log';
import { transportFromEnv, type OutgoingEmail, type Transport, type TransportResult } from './transport';

export const MAX_BATCH = 100;
const MAX_ATTEMPTS = 4;
const REQUEST_TIMEOUT_MS = 15_000;

export type SendOutcome =
  // Accepted. `failed` lists the e-mails the provider refused one by one (an invalid address): the
  // others went. `ids[i]` is the provider's id of e-mail i, null for a failed one.
  | { status: 'sent'; ids: (string | null)[]; failed: { index: number; message: string }[] }
  // Worth trying again later with the same key and payload (5xx, 429, network, time-out).
  | { status: 'retry-later'; message: string }
  // The provider refused this batch for good (other 4xx): do not resend it.
  | { status: 'rejected'; message: string }
  // The account's quota is spent: stop sending anything in this run.
  | { status: 'quota'; message: string }
  // 401/403: our key is wrong or the account is suspended. Nothing is the messages' fault: stop the
  // run and keep everything for the next one.
  | { status: 'misconfigured'; message: string }
  // 409 `invalid_idempotent_request`: this key already carried another payload, which the provider
  // accepted. What went under it went; nothing was sent now (see lib/notifications/digest-queue.ts).
  | { status: 'already-accepted'; message: string };

export type SendOptions = {
  transport?: Transport;
  /** Epoch ms after which no new attempt starts. */
  deadline?: number;
  sleep?: (ms: number) => Promise<void>;
  /** How long one request may hang before it counts as a network error (default 15 s). */
  requestTimeoutMs?: number;
};

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type Failure = Extract<TransportResult, { ok: false }>;
type Kind = 'retry' | 'rejected' | 'quota' | 'misconfigured' | 'invalid-message' | 'already-accepted';

function classify(result: Failure): Kind {
  if (result.name === 'daily_quota_exceeded' || result.name === 'monthly_quota_exceeded') return 'quota';
  if (result.name === 'invalid_idempotent_request') return 'already-accepted';
  // The first request under this key is still being processed: ask again.
  if (result.name === 'concurrent_idempotent_requests') return 'retry';
  if (result.status === null || result.status === 429 || result.status >= 500) return 'retry';
  if (result.status === 401 || result.status === 403) return 'misconfigured';
  // The payload itself is invalid (an address the provider refuses): the message's own fault.
  if (result.status === 422) return 'invalid-message';
  return 'rejected';
}

type Attempt = { ok: true; ids: string[] } | { ok: false; kind: Kind; message: string };

/** One call, retried with backoff on 429 (honouring retry-after), 5xx and network errors. */
async function sendWithRetries(
  emails: OutgoingEmail[],
  key: string,
  options: SendOptions,
  transport: Transport,
): Promise<Attempt> {
  const sleep = options.sleep ?? defaultSleep;
  let last = '';
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    let result: TransportResult;
    try {
      result = await transport.sendBatch(
        emails,
        key,
        AbortSignal.timeout(options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS),
      );
    } catch (error) {
      result = { ok: false, status: null, name: 'network_error', message: (error as Error).message };
    }
    if (result.ok) return { ok: true, ids: result.ids };
    const kind = classify(result);
    last = `${result.status ?? 'network'} ${result.name}: ${result.message}`;
    if (kind !== 'retry') return { ok: false, kind, message: last };
    const backoff = result.retryAfterSeconds !== undefined ? result.retryAfterSeconds * 1000 : 500 * 2 ** (attempt - 1);
    if (attempt === MAX_ATTEMPTS || (options.deadline !== undefined && Date.now() + backoff > options.deadline)) break;
    await sleep(backoff);
  }
  return { ok: false, kind: 'retry', message: last };
}

/**
 * The one path every e-mail takes: one batch, one idempotency key. When the provider says one
 * message of the batch is invalid (422), the batch is sent again one e-mail at a time (each under
 * its own key derived from the batch's), so that one bad address does not hold back the others.
 */
export async function sendEmailBatch(
  emails: OutgoingEmail[],
  idempotencyKey: string,
  options: SendOptions = {},
): Promise<SendOutcome> {
  if (emails.length === 0) return { status: 'sent', ids: [], failed: [] };
  if (emails.length > MAX_BATCH) throw new Error(`a batch holds at most ${MAX_BATCH} e-mails`);
  const transport = options.transport ?? transportFromEnv();
  const whole = await sendWithRetries(emails, idempotencyKey, options, transport);
  if (whole.ok) return { status: 'sent', ids: whole.ids, failed: [] };
  if (whole.kind === 'misconfigured') {
    logger.error(
      { idempotencyKey, error: whole.message },
      'e-mail provider refused our credentials: check RESEND_API_KEY and the account',
    );
    return { status: 'misconfigured', message: whole.message };
  }
  if (whole.kind === 'quota') return { status: 'quota', message: whole.message };
  if (whole.kind === 'already-accepted') return { status: 'already-accepted', message: whole.message };
  if (whole.kind === 'rejected') return { status: 'rejected', message: whole.message };
  if (whole.kind === 'retry') return { status: 'retry-later', message: whole.message };
  if (emails.length === 1) return { status: 'sent', ids: [null], failed: [{ index: 0, message: whole.message }] };

  const ids: (string | null)[] = [];
  const failed: { index: number; message: string }[] = [];
  for (const [index, email] of emails.entries()) {
    const one = await sendWithRetries([email], `${idempotencyKey}:${index}`, options, transport);
    if (one.ok || one.kind === 'already-accepted') {
      ids.push(one.ok ? (one.ids[0] ?? null) : null);
      continue;
    }
    // Anything but the message's own fault stops here; what went already is reported as sent.
    if (one.kind !== 'invalid-message') {
      if (ids.length === 0)
        return {
          status:
            one.kind === 'retry'
              ? 'retry-later'
              : one.kind === 'quota'
                ? 'quota'
                : one.kind === 'misconfigured'
                  ? 'misconfigured'
                  : 'rejected',
          message: one.message,
        };
      for (let rest = index; rest < emails.length; rest += 1) failed.push({ index: rest, message: one.message });
      while (ids.length < emails.length) ids.push(null);
      break;
    }
    ids.push(null);
    failed.push({ index, message: one.message });
  }
  return { status: 'sent', ids, failed };
}
