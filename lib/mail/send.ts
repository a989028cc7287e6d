import { transportFromEnv, type OutgoingEmail, type Transport, type TransportResult } from './transport';

export const MAX_BATCH = 100;
const MAX_ATTEMPTS = 4;
const REQUEST_TIMEOUT_MS = 15_000;

export type SendOutcome =
  | { status: 'sent'; ids: string[] }
  // Worth trying again later with the same key and payload (5xx, 429, network, time-out).
  | { status: 'retry-later'; message: string }
  // The provider refused this batch for good (other 4xx): do not resend it.
  | { status: 'rejected'; message: string }
  // The account's quota is spent: stop sending anything in this run.
  | { status: 'quota'; message: string };

export type SendOptions = {
  transport?: Transport;
  /** Epoch ms after which no new attempt starts. */
  deadline?: number;
  sleep?: (ms: number) => Promise<void>;
  /** How long one request may hang before it counts as a network error (default 15 s). */
  requestTimeoutMs?: number;
};

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function classify(result: Extract<TransportResult, { ok: false }>): 'retry' | 'rejected' | 'quota' {
  if (result.name === 'daily_quota_exceeded' || result.name === 'monthly_quota_exceeded') return 'quota';
  if (result.status === null || result.status === 429 || result.status >= 500) return 'retry';
  return 'rejected';
}

/**
 * The one path every e-mail takes: one batch, one idempotency key, retried with backoff on 429
 * (honouring retry-after), 5xx and network errors, never on other 4xx.
 */
export async function sendEmailBatch(
  emails: OutgoingEmail[],
  idempotencyKey: string,
  options: SendOptions = {},
): Promise<SendOutcome> {
  if (emails.length === 0) return { status: 'sent', ids: [] };
  if (emails.length > MAX_BATCH) throw new Error(`a batch holds at most ${MAX_BATCH} e-mails`);
  const transport = options.transport ?? transportFromEnv();
  const sleep = options.sleep ?? defaultSleep;
  let last = '';
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    let result: TransportResult;
    try {
      result = await transport.sendBatch(
        emails,
        idempotencyKey,
        AbortSignal.timeout(options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS),
      );
    } catch (error) {
      result = { ok: false, status: null, name: 'network_error', message: (error as Error).message };
    }
    if (result.ok) return { status: 'sent', ids: result.ids };
    const kind = classify(result);
    last = `${result.status ?? 'network'} ${result.name}: ${result.message}`;
    if (kind === 'quota') return { status: 'quota', message: last };
    if (kind === 'rejected') return { status: 'rejected', message: last };
    const backoff = result.retryAfterSeconds !== undefined ? result.retryAfterSeconds * 1000 : 500 * 2 ** (attempt - 1);
    if (attempt === MAX_ATTEMPTS || (options.deadline !== undefined && Date.now() + backoff > options.deadline)) break;
    await sleep(backoff);
  }
  return { status: 'retry-later', message: last };
}
