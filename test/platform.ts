import { POST as webhookPost } from '@/app/api/webhooks/platform/route';
import { signPlatformPayload } from '@/lib/platform/webhook';

/** A body posted to the platform's webhook route as the platform signs it (now, with `secret`). */
export function postSignedToPlatformWebhook(body: string, secret: string) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return webhookPost(
    new Request('http://localhost/api/webhooks/platform', {
      method: 'POST',
      body,
      headers: {
        'x-platform-timestamp': timestamp,
        'x-platform-signature': signPlatformPayload(secret, timestamp, body),
      },
    }),
  );
}
