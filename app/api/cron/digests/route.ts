import { NextResponse } from 'next/server';
import { purgeActivity } from '@/lib/activity/record';
import { isCronAuthorized } from '@/lib/cron';
import { readEnv } from '@/lib/env';
import { logger } from '@/lib/log';
import { runDigests } from '@/lib/notifications/digests';

export const dynamic = 'force-dynamic';
export const maxDuration = 300;

// Called by the scheduler (vercel.json) several times a day; the code decides what is due.
export async function GET(request: Request) {
  const env = readEnv();
  if (!isCronAuthorized(request.headers.get('authorization'), env.CRON_SECRET)) {
    return NextResponse.json({ error: 'unauthorized' }, { status: 401 });
  }
  const started = Date.now();
  const now = env.CRON_NOW ? new Date(env.CRON_NOW) : new Date();
  const summary = await runDigests({ now, budgetMs: env.CRON_TIME_BUDGET_MS });
  // The activity log's retention rides on the same call: the only delete the log allows.
  const purged = await purgeActivity(env.ACTIVITY_RETENTION_DAYS);
  logger.info(
    { requestId: request.headers.get('x-request-id'), durationMs: Date.now() - started, purged, ...summary },
    'digest run',
  );
  return NextResponse.json(summary);
}
