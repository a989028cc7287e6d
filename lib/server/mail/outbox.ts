import { readEnv } from '@/lib/server/env';

/** /dev/outbox exists while the outbox is the transport: in development, or when asked for. */
export function outboxPageEnabled(source: NodeJS.ProcessEnv = process.env): boolean {
  const env = readEnv(source);
  if (env.RESEND_API_KEY) return false;
  return env.NODE_ENV !== 'production' || env.MAIL_OUTBOX_PAGE === '1';
}
