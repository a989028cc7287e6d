import { FakeResend } from '@/test/fake-resend';
import { sendEmailBatch } from '@/lib/server/mail/send';
import { outboxPageEnabled } from '@/lib/server/mail/outbox';
import { resendTransport } from '@/lib/server/mail/transport';

const fake = new FakeResend();
beforeAll(() => fake.start());
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

const transport = () =>
  resendTransport({ apiKey: 're_test_key', baseUrl: fake.baseUrl, from: 'Portail <n@portail.test>' });
const email = (to: string) => ({
  to,
  subject: 'Sujet',
  html: '<p>Bonjour</p>',
  text: 'Bonjour',
  headers: { 'X-Test': '1' },
});
const noWait = { sleep: async () => {} };

describe('sendEmailBatch through Resend', () => {
  it('sends one batch call with the key, the from address and the headers', async () => {
    const outcome = await sendEmailBatch([email('a@x.fr'), email('b@x.fr')], 'key-1', { transport: transport() });
    expect(outcome).toMatchObject({ status: 'sent', ids: ['fake-1', 'fake-2'] });
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request!.path).toBe('/emails/batch');
    expect(request!.headers['idempotency-key']).toBe('key-1');
    expect(request!.body).toEqual([
      expect.objectContaining({
        from: 'Portail <n@portail.test>',
        to: 'a@x.fr',
        text: 'Bonjour',
        headers: { 'X-Test': '1' },
      }),
      expect.objectContaining({ to: 'b@x.fr' }),
    ]);
  });

  it('retries a 500 with the same key, and the provider sends once', async () => {
    fake.failNext({ status: 500 });
    const outcome = await sendEmailBatch([email('a@x.fr')], 'key-2', { transport: transport(), ...noWait });
    expect(outcome.status).toBe('sent');
    expect(fake.requests.map((r) => r.headers['idempotency-key'])).toEqual(['key-2', 'key-2']);
    expect(fake.delivered).toHaveLength(1);
  });

  it('waits as long as retry-after says on a 429', async () => {
    fake.failNext({ status: 429, name: 'rate_limit_exceeded', retryAfter: 2 });
    const waits: number[] = [];
    const outcome = await sendEmailBatch([email('a@x.fr')], 'key-3', {
      transport: transport(),
      sleep: async (ms) => void waits.push(ms),
    });
    expect(outcome.status).toBe('sent');
    expect(waits).toEqual([2000]);
  });

  it('does not retry another 4xx', async () => {
    fake.failNext({ status: 400, name: 'invalid_from_address' });
    const outcome = await sendEmailBatch([email('a@x.fr')], 'key-4', { transport: transport(), ...noWait });
    expect(outcome.status).toBe('rejected');
    expect(fake.requests).toHaveLength(1);
  });

  it('fails only the message the provider refuses (422): the others of the batch go, each once', async () => {
    fake.invalidAddresses.add('bad@x.fr');
    const batch = [email('a@x.fr'), email('bad@x.fr'), email('c@x.fr')];
    const outcome = await sendEmailBatch(batch, 'key-422', { transport: transport(), ...noWait });
    expect(outcome).toMatchObject({ status: 'sent', failed: [{ index: 1 }] });
    if (outcome.status !== 'sent') throw new Error('unreachable');
    expect(outcome.ids[1]).toBeNull();
    expect(fake.delivered.map((e) => e.to)).toEqual(['a@x.fr', 'c@x.fr']);
    // Sent again (a retry of the same batch): the provider's idempotency keeps it to once each.
    await sendEmailBatch(batch, 'key-422', { transport: transport(), ...noWait });
    expect(fake.delivered.map((e) => e.to)).toEqual(['a@x.fr', 'c@x.fr']);
  });

  it("stops on 401/403 (our key): a configuration error, nothing is the messages' fault", async () => {
    const wrong = resendTransport({ apiKey: 're_wrong', baseUrl: fake.baseUrl, from: 'Portail <n@portail.test>' });
    const outcome = await sendEmailBatch([email('a@x.fr'), email('b@x.fr')], 'key-401', {
      transport: wrong,
      ...noWait,
    });
    expect(outcome.status).toBe('misconfigured');
    expect(fake.requests).toHaveLength(1);
  });

  it('stops on a quota error', async () => {
    fake.failNext({ status: 429, name: 'daily_quota_exceeded' });
    expect((await sendEmailBatch([email('a@x.fr')], 'key-5', { transport: transport(), ...noWait })).status).toBe(
      'quota',
    );
    expect(fake.requests).toHaveLength(1);
  });

  it('gives up for this run after repeated failures, for a later run to finish', async () => {
    fake.failNext({ status: 500 }, { status: 500 }, { status: 502 as 500 }, { status: 500 });
    const outcome = await sendEmailBatch([email('a@x.fr')], 'key-6', { transport: transport(), ...noWait });
    expect(outcome.status).toBe('retry-later');
    expect(fake.delivered).toHaveLength(0);
  });

  it('treats a refused connection as a network error to retry', async () => {
    const dead = resendTransport({ apiKey: 're_test_key', baseUrl: 'http://127.0.0.1:9', from: 'x@y.fr' });
    expect((await sendEmailBatch([email('a@x.fr')], 'key-7', { transport: dead, ...noWait })).status).toBe(
      'retry-later',
    );
  });

  it('gives up on a provider that hangs, then retries with the same key', async () => {
    fake.failNext('hang');
    const outcome = await sendEmailBatch([email('a@x.fr')], 'key-8', {
      transport: transport(),
      ...noWait,
      requestTimeoutMs: 300,
    });
    expect(outcome.status).toBe('sent');
    expect(fake.requests.map((r) => r.headers['idempotency-key'])).toEqual(['key-8', 'key-8']);
    expect(fake.delivered).toHaveLength(1);
  });
});

describe('the /dev/outbox page', () => {
  it('exists only while the outbox is the transport, and under next start only when asked', () => {
    expect(outboxPageEnabled({ NODE_ENV: 'development' })).toBe(true);
    expect(outboxPageEnabled({ NODE_ENV: 'production' })).toBe(false);
    expect(outboxPageEnabled({ NODE_ENV: 'production', MAIL_OUTBOX_PAGE: '1' })).toBe(true);
    expect(outboxPageEnabled({ NODE_ENV: 'development', RESEND_API_KEY: 're_live' })).toBe(false);
    expect(outboxPageEnabled({ NODE_ENV: 'production', MAIL_OUTBOX_PAGE: '1', RESEND_API_KEY: 're_live' })).toBe(false);
  });
});
