// Resend accepts a few requests per second per account (2 by default) and answers 429 beyond.
// Rather than run into that wall and wait out its Retry-After, every request of this process to one
// account waits for its turn: evenly spaced, at most `perSecond` in any second. Other instances
// have their own pacer; the 429 they may still meet is retried as before.

const next = new Map<string, number>();

/** Resolves when a request to `account` may start; the turns are handed out in call order. */
export async function takeTurn(
  account: string,
  perSecond: number,
  options: { now?: () => number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<void> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  // 5 % over the interval: the provider counts its second from when each request arrives, and
  // one request may take a few milliseconds longer than the next to get there.
  const interval = Math.ceil((1000 / perSecond) * 1.05);
  const at = Math.max(now(), next.get(account) ?? 0);
  next.set(account, at + interval);
  const wait = at - now();
  if (wait > 0) await sleep(wait);
}
