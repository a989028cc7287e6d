import { NextResponse } from 'next/server';
import { appLink } from '@/lib/server/env';
import { unsubscribe } from '@/lib/notifications/subscriptions';
import { readUnsubscribeToken } from '@/lib/notifications/tokens';

type Context = { params: Promise<{ token: string }> };

// RFC 8058 one-click: the mail client POSTs `List-Unsubscribe=One-Click` with no cookie. A browser
// form posts here too (from the confirmation page) and is sent back to that page.
export async function POST(request: Request, { params }: Context) {
  const { token } = await params;
  const target = readUnsubscribeToken(token);
  const fromBrowser = (request.headers.get('accept') ?? '').includes('text/html');
  if (!target) {
    return fromBrowser
      ? NextResponse.redirect(appLink(`/desabonnement/${encodeURIComponent(token)}`), 303)
      : NextResponse.json({ error: 'invalid_link' }, { status: 404 });
  }
  await unsubscribe(
    target.kind === 'digest' ? { deliveryId: target.deliveryId } : { subscriptionId: target.subscriptionId },
  );
  return fromBrowser
    ? NextResponse.redirect(appLink(`/desabonnement/${encodeURIComponent(token)}?fait=1`), 303)
    : NextResponse.json({ ok: true });
}

// A GET (a link scanner, a click) changes nothing: it shows the confirmation page.
export async function GET(_request: Request, { params }: Context) {
  const { token } = await params;
  return NextResponse.redirect(appLink(`/desabonnement/${encodeURIComponent(token)}`), 303);
}
