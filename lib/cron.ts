import { createHash, timingSafeEqual } from 'node:crypto';
import { purgeActivity } from '@/lib/activity/record';
import { openMonthsToClose } from '@/lib/close/board';
import { runDigests } from '@/lib/notifications/digests';
import { runReceiptFollowups } from '@/lib/receipts/followups';
import { sweepIncompleteFiles } from '@/lib/server/storage';

/** `Authorization: Bearer <secret>`, compared in constant time; no secret configured → refused. */
export function isCronAuthorized(authorization: string | null, secret: string | undefined): boolean {
  if (!secret || !authorization) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(authorization), digest(`Bearer ${secret}`));
}

/**
 * One pass of the cron (the route and `npm run cron:digests`): the digests, then the receipt
 * follow-ups that go with them, within the same time budget; then the housekeeping (the month to
 * close opened for the firms whose month has moved on, while the budget lasts; uploads a crash left
 * incomplete; the activity log's retention).
 */
export async function runCron(now: Date, options: { budgetMs: number; retentionDays?: number }) {
  const started = Date.now();
  const digests = await runDigests({ now, budgetMs: options.budgetMs });
  const followups = await runReceiptFollowups({ now, deadline: started + options.budgetMs });
  const closeMonthsOpened = await openMonthsToClose(now, started + options.budgetMs);
  const sweptFiles = await sweepIncompleteFiles(now);
  const purged = options.retentionDays === undefined ? 0 : await purgeActivity(options.retentionDays);
  return { ...digests, followups, closeMonthsOpened, sweptFiles, purged };
}
