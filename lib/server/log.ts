import { headers } from 'next/headers';
import pino from 'pino';
import { redactLinkTokens } from '@/lib/server/redact';

/**
 * One JSON line per event (pino), on stdout: request errors, cron runs, webhook refusals. Never a
 * password, a token, a cookie or an e-mail body: those paths are redacted wherever they appear.
 */
export const logger = pino(
  {
    level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
    base: { service: 'portail-partenaires' },
    redact: {
      paths: [
        'password',
        '*.password',
        'token',
        '*.token',
        'cookie',
        '*.cookie',
        'authorization',
        '*.authorization',
        'html',
        '*.html',
        'text',
        '*.text',
        'email.html',
        'email.text',
      ],
      censor: '[redacted]',
    },
    serializers: { err: pino.stdSerializers.err },
    // A link's token can hide in any string (an error's message, a URL): the written line is cleaned.
    hooks: { streamWrite: redactLinkTokens },
  },
  // Tests load this module once per file: a synchronous stdout there registers no exit hook per
  // load (pino's asynchronous one does, and kept jest's workers from exiting cleanly).
  pino.destination({ dest: 1, sync: process.env.NODE_ENV === 'test' }),
);

/** The id middleware.ts gave this request (or the proxy's, with TRUST_PROXY=1), for the log lines. */
export async function currentRequestId(): Promise<string | undefined> {
  try {
    return (await headers()).get('x-request-id') ?? undefined;
  } catch {
    // Outside a request: a script, a test.
    return undefined;
  }
}
