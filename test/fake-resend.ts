import { createHmac, createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type RecordedRequest = {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
  /** When it arrived (performance.now() of this process). */
  at: number;
};

const arrivedAt = new WeakMap<IncomingMessage, number>();

export type InboundEmail = {
  id: string;
  from: string;
  to: string[];
  subject: string;
  text: string | null;
  created_at: string;
  attachments: { id: string; filename: string; content_type: string; bytes: Buffer }[];
  /** false: the receiving server could not vouch for the From address (a forged sender). */
  authenticated?: boolean;
};

export type Scripted = { status: 429 | 500 | 400 | 422; name?: string; retryAfter?: number } | 'hang';

/**
 * A stand-in for the Resend API on 127.0.0.1: records every request (headers included), answers
 * like Resend (ids, idempotency: a key seen before returns the first answer and sends nothing), and
 * can be told to answer 429, 500, 4xx, or hang for the next requests.
 */
export class FakeResend {
  readonly requests: RecordedRequest[] = [];
  /** The e-mails the "provider" accepted, once each. */
  readonly delivered: Record<string, unknown>[] = [];
  private readonly script: Scripted[] = [];
  /** Addresses the provider refuses: any request holding one gets a 422, as Resend validates a batch whole. */
  readonly invalidAddresses = new Set<string>();
  // Per idempotency key, a SHA-256 of the first payload and the answer: not the payload itself, which
  // (6 MB a digest batch) made the benchmark's process hold 2 GB after 200 batches and spend its time
  // collecting garbage instead of rendering.
  private readonly idempotent = new Map<string, { payload: string; answer: string }>();
  private readonly hanging: ServerResponse[] = [];
  /** E-mails "received" at a receiving domain, served by GET /emails/receiving/:id (see `receive`). */
  private readonly inbound = new Map<string, InboundEmail>();
  private server?: Server;
  private counter = 0;

  /** Requests refused with 429 because they came too fast (see `requestsPerSecond`). */
  rateLimited = 0;
  private readonly arrivals: number[] = [];

  /**
   * `keepBodies: false` records counts only (benchmarks: the fake must not weigh on memory).
   * `requestsPerSecond` enforces Resend's rate limit as Resend does: more than that many requests in
   * the last second get a 429 with `retry-after`; a batch of more than 100 e-mails gets a 422.
   */
  constructor(private readonly options: { keepBodies?: boolean; requestsPerSecond?: number } = {}) {}

  get baseUrl(): string {
    const address = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  /** The next requests get these answers, in order, before normal service resumes. */
  failNext(...answers: Scripted[]): void {
    this.script.push(...answers);
  }

  reset(): void {
    this.requests.length = 0;
    this.delivered.length = 0;
    this.script.length = 0;
    this.idempotent.clear();
    this.invalidAddresses.clear();
    this.arrivals.length = 0;
    this.rateLimited = 0;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      // The rate limit counts a request when it arrives, as a provider's front end does.
      arrivedAt.set(req, performance.now());
      let raw = '';
      req.on('data', (chunk) => (raw += chunk));
      req.on('end', () => this.handle(req, res, raw));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private handle(req: IncomingMessage, res: ServerResponse, raw: string) {
    let body: unknown = raw;
    try {
      body = JSON.parse(raw);
    } catch {
      // keep the raw text
    }
    const keep = this.options.keepBodies !== false;
    this.requests.push({
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      body: keep ? body : undefined,
      at: arrivedAt.get(req) ?? performance.now(),
    });
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(payload));
    };
    // An attachment's download URL is signed by Resend, not authenticated by the API key.
    const file = /^\/_attachments\/([^/]+)\/([^/?]+)$/.exec(req.url ?? '');
    if (req.method === 'GET' && file) {
      const attachment = this.inbound.get(file[1]!)?.attachments.find((a) => a.id === file[2]);
      if (!attachment) return send(404, { message: 'not found' });
      res.writeHead(200, {
        'content-type': attachment.content_type,
        'content-length': String(attachment.bytes.length),
      });
      return res.end(attachment.bytes);
    }
    if (req.headers.authorization !== 'Bearer re_test_key') {
      return send(401, { statusCode: 401, name: 'missing_api_key', message: 'Missing API key' });
    }
    const limit = this.options.requestsPerSecond;
    if (limit) {
      const now = arrivedAt.get(req) ?? performance.now();
      while (this.arrivals.length > 0 && this.arrivals[0]! <= now - 1000) this.arrivals.shift();
      if (this.arrivals.length >= limit) {
        this.rateLimited += 1;
        return send(
          429,
          { statusCode: 429, name: 'rate_limit_exceeded', message: 'Too many requests' },
          { 'retry-after': '1', 'ratelimit-limit': String(limit) },
        );
      }
      this.arrivals.push(now);
    }
    const scripted = this.script.shift();
    if (scripted === 'hang') {
      this.hanging.push(res);
      return;
    }
    if (scripted) {
      const headers: Record<string, string> =
        scripted.retryAfter !== undefined ? { 'retry-after': String(scripted.retryAfter) } : {};
      return send(
        scripted.status,
        { statusCode: scripted.status, name: scripted.name ?? 'application_error', message: 'scripted' },
        headers,
      );
    }
    const receiving = /^\/emails\/receiving\/([^/?]+)(\/attachments)?(?:\?.*)?$/.exec(req.url ?? '');
    if (req.method === 'GET' && receiving) {
      const email = this.inbound.get(receiving[1]!);
      if (!email) return send(404, { statusCode: 404, name: 'not_found', message: 'Email not found' });
      const attachments = email.attachments.map((a) => ({
        id: a.id,
        filename: a.filename,
        size: a.bytes.length,
        content_type: a.content_type,
        content_disposition: 'attachment',
        download_url: `${this.baseUrl}/_attachments/${email.id}/${a.id}`,
        expires_at: new Date(Date.now() + 3_600_000).toISOString(),
      }));
      if (receiving[2]) return send(200, { object: 'list', has_more: false, data: attachments });
      return send(200, {
        object: 'email',
        id: email.id,
        to: email.to,
        from: email.from,
        created_at: email.created_at,
        subject: email.subject,
        bcc: null,
        cc: null,
        reply_to: null,
        received_for: email.to,
        html: null,
        text: email.text,
        headers: authenticationResults(email),
        message_id: `<${email.id}@fake>`,
        attachments: attachments.map(({ download_url: _u, expires_at: _e, ...a }) => ({ ...a, content_id: null })),
      });
    }
    const key = req.headers['idempotency-key'];
    const keyed = typeof key === 'string' ? `${req.url} ${key}` : undefined;
    // As Resend documents it: the same key with the same payload gets the first answer and sends
    // nothing; with another payload, a 409 `invalid_idempotent_request` (nothing sent either).
    const payload = createHash('sha256').update(raw).digest('base64');
    if (keyed && this.idempotent.has(keyed)) {
      const first = this.idempotent.get(keyed)!;
      if (first.payload !== payload)
        return send(409, {
          statusCode: 409,
          name: 'invalid_idempotent_request',
          message: 'Same idempotency key used with a different request payload.',
        });
      return send(200, JSON.parse(first.answer));
    }
    const emails = (req.url === '/emails/batch' ? body : [body]) as Record<string, unknown>[];
    if (emails.length > 100) {
      return send(422, { statusCode: 422, name: 'validation_error', message: 'A batch holds at most 100 e-mails' });
    }
    const invalid = emails.find((email) => this.invalidAddresses.has(String(email.to)));
    if (invalid) {
      return send(422, {
        statusCode: 422,
        name: 'validation_error',
        message: `Invalid \`to\` field: ${String(invalid.to)}`,
      });
    }
    const ids = emails.map(() => `fake-${(this.counter += 1)}`);
    if (keep) this.delivered.push(...emails);
    const answer = req.url === '/emails/batch' ? { data: ids.map((id) => ({ id })) } : { id: ids[0] };
    if (keyed) this.idempotent.set(keyed, { payload, answer: JSON.stringify(answer) });
    return send(200, answer);
  }

  /**
   * An e-mail Resend received: kept for the API to serve, and the `email.received` event its webhook
   * posts (as Resend documents it: metadata only, content and attachments fetched through the API).
   */
  receive(secret: string, email: Omit<InboundEmail, 'created_at'> & { created_at?: string }, now = new Date()) {
    const stored = { ...email, created_at: email.created_at ?? now.toISOString() };
    this.inbound.set(email.id, stored);
    return FakeResend.signedPayload(
      secret,
      {
        type: 'email.received',
        created_at: stored.created_at,
        data: {
          email_id: email.id,
          created_at: stored.created_at,
          from: email.from,
          to: email.to,
          bcc: [],
          cc: [],
          received_for: email.to,
          message_id: `<${email.id}@fake>`,
          subject: email.subject,
          attachments: email.attachments.map((a) => ({
            id: a.id,
            filename: a.filename,
            content_type: a.content_type,
            content_disposition: 'attachment',
            content_id: null,
          })),
        },
      },
      now,
    );
  }

  /** Any payload, signed as Resend's webhooks are (Svix: HMAC-SHA256 of `id.timestamp.body`). */
  static signedPayload(
    secret: string,
    payload: unknown,
    now = new Date(),
    id = `msg_${Math.random().toString(36).slice(2)}`,
  ) {
    const timestamp = String(Math.floor(now.getTime() / 1000));
    const body = JSON.stringify(payload);
    const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
    const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
    return {
      body,
      headers: { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` },
    };
  }

  /**
   * A delivery event as Resend's webhook sends it: Svix/Standard Webhooks headers, the signature an
   * HMAC-SHA256 of `id.timestamp.body` under the base64 key after `whsec_`.
   */
  static signedEvent(
    secret: string,
    event: { id?: string; type: string; emailId: string; to: string; createdAt?: string; bounceType?: string },
    now = new Date(),
  ): { body: string; headers: Record<string, string> } {
    const id = event.id ?? `msg_${Math.random().toString(36).slice(2)}`;
    const timestamp = String(Math.floor(now.getTime() / 1000));
    const body = JSON.stringify({
      type: event.type,
      created_at: event.createdAt ?? now.toISOString(),
      data: {
        email_id: event.emailId,
        to: [event.to],
        ...(event.bounceType ? { bounce: { type: event.bounceType } } : {}),
      },
    });
    const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
    const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
    return {
      body,
      headers: { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` },
    };
  }
}

/** What Resend's receiving server writes of the sender's DKIM, SPF and DMARC checks. */
function authenticationResults(email: InboundEmail): Record<string, string> {
  const address = (/<([^<>]+)>\s*$/.exec(email.from)?.[1] ?? email.from).trim().toLowerCase();
  const domain = address.split('@')[1] ?? '';
  const verdict = email.authenticated === false ? 'fail' : 'pass';
  return {
    'Authentication-Results': `inbound.resend.test; dkim=${verdict} header.d=${domain}; spf=${verdict} smtp.mailfrom=${address}; dmarc=${verdict} header.from=${domain}`,
  };
}
