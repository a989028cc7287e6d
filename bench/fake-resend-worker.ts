// The fake Resend of bench:digests' network run, on its own thread: a provider is another machine,
// so that its work (parsing 6 MB batches) and its clock (the arrival stamps its rate limit counts)
// are not the portal's. In the portal's own event loop, a stamp taken while a batch renders came
// late, two requests looked closer than they were sent, and each such 429 cost a 1 s retry-after.
import { parentPort, workerData } from 'node:worker_threads';
import { FakeResend } from '../test/fake-resend';

async function main() {
  const fake = await new FakeResend({ keepBodies: false, requestsPerSecond: workerData.requestsPerSecond }).start();
  parentPort!.postMessage({ baseUrl: fake.baseUrl });
  parentPort!.on('message', async (message) => {
    if (message !== 'report') return;
    parentPort!.postMessage({
      // Absolute times: each thread's performance.now() counts from its own origin.
      requests: fake.requests.map((r) => ({ path: r.path, at: performance.timeOrigin + r.at })),
      rateLimited: fake.rateLimited,
    });
    await fake.stop();
  });
}

void main();
