import { NextResponse } from 'next/server';
import { withRouteSecurityHeaders } from '@/lib/server/security-headers';
import { readEnv } from '@/lib/server/env';
import { logger } from '@/lib/server/log';
import { receivePlatformWebhook } from '@/lib/platform/webhook';

export const dynamic = 'force-dynamic';

// The platform reports each client's verification progress here (server to server, no session).
export async function POST(request: Request) {
  // Out of the middleware's path (it streams its body): the request id is ours, never the caller's.
  const requestId = crypto.randomUUID();
  const answer = await receivePlatformWebhook(request, readEnv().PLATFORM_WEBHOOK_SECRET);
  if (answer.status >= 400)
    logger.warn({ requestId, status: answer.status, error: answer.body.error }, 'platform webhook refused');
  return withRouteSecurityHeaders(NextResponse.json(answer.body, { status: answer.status }), requestId);
}
