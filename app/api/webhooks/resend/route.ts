import { NextResponse } from 'next/server';
import { withRouteSecurityHeaders } from '@/lib/server/security-headers';
import { readEnv } from '@/lib/server/env';
import { readBodyUpTo } from '@/lib/server/http/read-body';
import { logger } from '@/lib/server/log';
import { receiveDeliveryEvent } from '@/lib/server/mail/delivery-events';
import { receiveInboundEmail, type ReceivedEmail } from '@/lib/receipts/inbound';

export const dynamic = 'force-dynamic';

// Resend's delivery events (delivered, bounced, complained, delayed), and the e-mails it received at
// the clients' receipt addresses (email.received). No secret configured: refused.
export async function POST(request: Request) {
  const rawBody = await readBodyUpTo(request, 256 * 1024);
  if (rawBody === undefined)
    return withRouteSecurityHeaders(NextResponse.json({ error: 'body_too_large' }, { status: 413 }));
  const answer = await receiveDeliveryEvent(
    rawBody,
    {
      id: request.headers.get('webhook-id') ?? request.headers.get('svix-id'),
      timestamp: request.headers.get('webhook-timestamp') ?? request.headers.get('svix-timestamp'),
      signature: request.headers.get('webhook-signature') ?? request.headers.get('svix-signature'),
    },
    readEnv().RESEND_WEBHOOK_SECRET,
    async (data) => {
      const email = data as ReceivedEmail | undefined;
      if (!email || typeof email.email_id !== 'string' || !Array.isArray(email.to)) return { ok: true, ignored: true };
      const outcome = await receiveInboundEmail(email);
      return { ...outcome };
    },
  );
  if (answer.status >= 400) logger.warn({ status: answer.status }, 'resend webhook refused');
  return withRouteSecurityHeaders(NextResponse.json(answer.body, { status: answer.status }));
}
