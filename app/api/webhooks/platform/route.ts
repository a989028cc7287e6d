import { NextResponse } from 'next/server';
import { readEnv } from '@/lib/env';
import { logger } from '@/lib/log';
import { receivePlatformWebhook } from '@/lib/platform/webhook';

export const dynamic = 'force-dynamic';

// The platform reports each client's verification progress here (server to server, no session).
export async function POST(request: Request) {
  const answer = await receivePlatformWebhook(request, readEnv().PLATFORM_WEBHOOK_SECRET);
  if (answer.status >= 400)
    logger.warn(
      { requestId: request.headers.get('x-request-id'), status: answer.status, error: answer.body.error },
      'platform webhook refused',
    );
  return NextResponse.json(answer.body, { status: answer.status });
}
