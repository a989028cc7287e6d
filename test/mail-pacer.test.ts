import { takeTurn } from '@/lib/server/mail/pacer';
import { FakeResend } from './fake-resend';

describe('the request pacer', () => {
  it('spaces the requests to one account evenly, in call order, and accounts apart', async () => {
    let clock = 1_000;
    const waits: number[] = [];
    const options = { now: () => clock, sleep: async (ms: number) => void waits.push(ms) };
    await Promise.all([takeTurn('a', 2, options), takeTurn('a', 2, options), takeTurn('a', 2, options)]);
    expect(waits).toEqual([525, 1050]);
    // Another account has its own turns.
    await takeTurn('b', 2, options);
    expect(waits).toEqual([525, 1050]);
    // Once the turns are past, no wait.
    clock += 5_000;
    await takeTurn('a', 2, options);
    expect(waits).toEqual([525, 1050]);
  });
});

describe('the fake provider’s rate limit', () => {
  it('answers 429 with retry-after beyond its requests per second, and 422 beyond 100 e-mails', async () => {
    const fake = await new FakeResend({ requestsPerSecond: 2 }).start();
    try {
      const post = (count: number) =>
        fetch(`${fake.baseUrl}/emails/batch`, {
          method: 'POST',
          headers: { authorization: 'Bearer re_test_key', 'content-type': 'application/json' },
          body: JSON.stringify(Array.from({ length: count }, (_, i) => ({ to: `${i}@x.fr` }))),
        });
      const statuses = [];
      for (let i = 0; i < 3; i += 1) statuses.push((await post(1)).status);
      expect(statuses).toEqual([200, 200, 429]);
      expect(fake.rateLimited).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 1_050));
      expect((await post(101)).status).toBe(422);
    } finally {
      await fake.stop();
    }
  });
});
