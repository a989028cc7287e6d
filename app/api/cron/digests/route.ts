import { NextResponse } from 'next/server';
import { isCronAuthorized, runCron } from '@/lib/cron';
import { readEnv } from '@/lib/server/env';
import { logger } from '@/lib/server/log';

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
  // The activity log's retention rides on the same call: the only delete the log allows.
  const summary = await runCron(now, { budgetMs: env.CRON_TIME_BUDGET_MS, retentionDays: env.ACTIVITY_RETENTION_DAYS });
  logger.info(
    { requestId: request.headers.get('x-request-id'), durationMs: Date.now() - started, ...summary },
    'digest run',
  );
  return NextResponse.json(summary);
}
