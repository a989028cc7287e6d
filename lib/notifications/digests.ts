import { endExpiredAccess } from '@/lib/access/access-expiry';
import { MAX_BATCH, sendEmailBatch } from '@/lib/server/mail/send';
import type { Transport } from '@/lib/server/mail/transport';
import {
  type ClaimedBatch,
  claimPendingBatch,
  countDue,
  markFailed,
  markSent,
  planDeliveries,
  reclaimStaleBatch,
  releaseForRetry,
} from './digest-queue';
import { parisDay } from './schedule';

export type DigestRunSummary = {
  day: string;
  due: number;
  sent: number;
  skipped: number;
  failed: number;
  retryLater: number;
  stoppedBy: 'done' | 'budget' | 'quota' | 'misconfigured';
};

/** Batches claimed and rendered ahead of the one being sent. */
const PIPELINE_DEPTH = 2;

type Prefetched = { batch: ClaimedBatch | undefined } | { error: unknown };

export type DigestRunOptions = {
  now: Date;
  transport?: Transport;
  /** Milliseconds this run may spend before it leaves the rest to the next run. */
  budgetMs?: number;
  elapsed?: () => number;
  sleep?: (ms: number) => Promise<void>;
  chunkSize?: number;
  /** Test hook: called after the provider accepted a batch, before it is recorded. */
  afterSend?: (batchKey: string) => Promise<void> | void;
};

/**
 * One run of the digest cron: records what is due today, then renders and sends it in batches.
 * Every step is guarded by unique keys and row locks, so that runs that overlap, repeat or crash
 * never send a slot twice; a batch is always resent with the same payload and idempotency key.
 */
export async function runDigests(options: DigestRunOptions): Promise<DigestRunSummary> {
  const started = Date.now();
  const elapsed = options.elapsed ?? (() => Date.now() - started);
  const budget = options.budgetMs ?? 250_000;
  const chunk = Math.min(options.chunkSize ?? MAX_BATCH, MAX_BATCH);
  const now = options.now;
  const day = parisDay(now);
  const summary: DigestRunSummary = { day, due: 0, sent: 0, skipped: 0, failed: 0, retryLater: 0, stoppedBy: 'done' };

  // An access whose time is up ends before anything is planned: its client leaves the digests.
  await endExpiredAccess(now);
  await planDeliveries(now);

  summary.due = await countDue(now);

  // Sending is paced by the provider's rate limit (2 requests a second for Resend), rendering by
  // the CPU and storing by the database: while one batch is being sent, the next two are claimed,
  // rendered and stored (one renders while the other is written), so that the wait for the
  // provider's turn is spent working. Batches left claimed when the run stops are released at
  // once for the next run (same key, same payload).
  const seen: string[] = [];
  const claimNext = async (): Promise<ClaimedBatch | undefined> => {
    for (;;) {
      const stale = await reclaimStaleBatch(now, seen);
      const batch = stale ?? (await claimPendingBatch(now, chunk));
      if (!batch) return undefined;
      summary.skipped += batch.skipped ?? 0;
      seen.push(batch.key);
      if (batch.emails.length > 0) return batch;
    }
  };
  const queue: Promise<Prefetched>[] = [];
  let exhausted = false;
  // Settled, never rejected: an error of a batch ahead surfaces when it is its turn, not as an
  // unhandled rejection while the current batch is being sent.
  const fill = () => {
    while (!exhausted && queue.length < PIPELINE_DEPTH && elapsed() < budget)
      queue.push(
        claimNext().then(
          (batch) => ({ batch }),
          (error: unknown) => ({ error }),
        ),
      );
  };
  const releaseAhead = async (reason: string) => {
    for (const next of await Promise.all(queue.splice(0))) {
      if ('batch' in next && next.batch) {
        await releaseForRetry(next.batch.key, reason, now);
        summary.retryLater += next.batch.emails.length;
      }
    }
  };

  try {
    fill();
    for (;;) {
      const upcoming = queue.shift();
      if (!upcoming) {
        if (!exhausted) summary.stoppedBy = 'budget';
        break;
      }
      const next = await upcoming;
      if ('error' in next) throw next.error;
      const batch = next.batch;
      if (!batch) {
        // Nothing left to claim; batches claimed alongside may still be queued.
        exhausted = true;
        continue;
      }
      fill();
      const outcome = await sendEmailBatch(
        batch.emails.map((e) => e.email),
        `digest:${batch.key}`,
        { transport: options.transport, sleep: options.sleep, deadline: started + budget },
      );
      if (outcome.status === 'sent') {
        await options.afterSend?.(batch.key);
        // One address the provider refuses fails that e-mail alone; the others went.
        const failed = new Set(outcome.failed.map((f) => f.index));
        const delivered = batch.emails
          .map((e, i) => ({ id: e.deliveryId, providerId: outcome.ids[i] ?? null, i }))
          .filter((d) => !failed.has(d.i));
        await markSent(
          batch.key,
          delivered.map((d) => d.id),
          delivered.map((d) => d.providerId),
          now,
        );
        for (const failure of outcome.failed)
          await markFailed(batch.key, failure.message, [batch.emails[failure.index]!.deliveryId]);
        summary.sent += delivered.length;
        summary.failed += failed.size;
      } else if (outcome.status === 'already-accepted') {
        // This key carried an earlier payload of this batch, and the provider accepted it before a
        // crash: everyone in it got their e-mail then. Recorded as sent; nothing goes twice.
        await markSent(
          batch.key,
          batch.emails.map((e) => e.deliveryId),
          [],
          now,
        );
        summary.sent += batch.emails.length;
      } else if (outcome.status === 'rejected') {
        await markFailed(batch.key, outcome.message);
        summary.failed += batch.emails.length;
      } else {
        await releaseForRetry(batch.key, outcome.message, now);
        summary.retryLater += batch.emails.length;
        // Quota spent, or our key refused: nothing else would go either; the next run resumes,
        // with the batches rendered ahead too.
        if (outcome.status === 'quota' || outcome.status === 'misconfigured') {
          await releaseAhead(outcome.message);
          summary.stoppedBy = outcome.status;
          break;
        }
      }
    }
  } catch (error) {
    // The batches ahead go back to the queue with the run.
    await releaseAhead('run_stopped').catch(() => undefined);
    throw error;
  }
  return summary;
}
