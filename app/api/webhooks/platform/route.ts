import { NextResponse } from 'next/server';
import { readEnv } from '@/lib/env';
import { handlePlatformWebhook } from '@/lib/onboarding/webhook';

export const dynamic = 'force-dynamic';

// The platform reports each client's verification progress here (server to server, no session).
export async function POST(request: Request) {
  const answer = await handlePlatformWebhook(
    {
      rawBody: await request.text(),
      timestamp: request.headers.get('x-platform-timestamp'),
      signature: request.headers.get('x-platform-signature'),
    },
    readEnv().PLATFORM_WEBHOOK_SECRET,
  );
  return NextResponse.json(answer.body, { status: answer.status });
}
