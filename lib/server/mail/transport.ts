import { Resend } from 'resend';
import { db } from '@/db';
import { outboxEmails } from '@/db/schema';
import { env } from '@/lib/server/env';
import { takeTurn } from './pacer';

export type OutgoingEmail = {
  to: string;
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
  /** Who the e-mail is for, kept by the outbox only (never sent to the provider). */
  firmId?: string;
  /** Where an answer goes (the admin who sent a reminder). */
  replyTo?: string;
};

export type TransportResult =
  | { ok: true; ids: string[] }
  | { ok: false; status: number | null; name: string; message: string; retryAfterSeconds?: number };

/** Sends one batch (at most 100 e-mails) under one idempotency key. Never throws for a refusal. */
export type Transport = {
  kind: 'resend' | 'outbox';
  sendBatch: (emails: OutgoingEmail[], idempotencyKey: string, signal?: AbortSignal) => Promise<TransportResult>;
};

export function resendTransport(options: {
  apiKey: string;
  baseUrl?: string;
  from: string;
  /** The account's rate limit (Resend's default: 2 requests per second); unpaced when absent. */
  requestsPerSecond?: number;
}): Transport {
  const resend = new Resend(options.apiKey, options.baseUrl ? { baseUrl: options.baseUrl } : undefined);
  const account = `${options.baseUrl ?? 'resend'} ${options.apiKey}`;
  return {
    kind: 'resend',
    async sendBatch(emails, idempotencyKey, signal) {
      if (options.requestsPerSecond) await takeTurn(account, options.requestsPerSecond);
      const { data, error, headers } = await resend.batch.send(
        emails.map(({ firmId: _firmId, ...email }) => ({ from: options.from, ...email })),
        { idempotencyKey, ...(signal ? { signal } : {}) } as { idempotencyKey: string },
      );
      if (error) {
        const retryAfter = Number((headers as Record<string, string> | null)?.['retry-after']);
        return {
          ok: false,
          status: (error as { statusCode?: number | null }).statusCode ?? null,
          name: error.name,
          message: error.message,
          ...(Number.isFinite(retryAfter) ? { retryAfterSeconds: retryAfter } : {}),
        };
      }
      return { ok: true, ids: (data?.data ?? []).map((item) => item.id) };
    },
  };
}

/**
 * Without a provider every e-mail is kept in the database (and shown at /dev/outbox). The unique
 * (idempotency key, recipient) makes a repeated batch a no-op, as Resend's idempotency does.
 */
export function outboxTransport(from: string): Transport {
  return {
    kind: 'outbox',
    async sendBatch(emails, idempotencyKey) {
      const rows = await db
        .insert(outboxEmails)
        .values(
          emails.map((email) => ({
            firmId: email.firmId ?? null,
            idempotencyKey,
            fromAddress: from,
            toAddress: email.to,
            subject: email.subject,
            html: email.html,
            text: email.text,
            headers: JSON.stringify({
              ...(email.headers ?? {}),
              ...(email.replyTo ? { 'Reply-To': email.replyTo } : {}),
            }),
          })),
        )
        .onConflictDoNothing()
        .returning({ id: outboxEmails.id });
      return { ok: true, ids: rows.map((row) => row.id) };
    },
  };
}

export function transportFromEnv(): Transport {
  return env.RESEND_API_KEY
    ? resendTransport({
        apiKey: env.RESEND_API_KEY,
        baseUrl: env.RESEND_BASE_URL,
        from: env.MAIL_FROM,
        requestsPerSecond: env.RESEND_REQUESTS_PER_SECOND,
      })
    : outboxTransport(env.MAIL_FROM);
}
