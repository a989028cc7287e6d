import { NextResponse } from 'next/server';
import { createRoute } from '@/lib/access/server-route';
import { dropDocument } from '@/lib/receipts/inbound';
import { readOneFile } from '@/lib/receipts/upload';
import { appLink, appUrl } from '@/lib/server/env';
import { withRouteSecurityHeaders } from '@/lib/server/security-headers';

export const dynamic = 'force-dynamic';

type Params = { clientId: string };

// « Déposer un reçu » on a client's account (multipart, works without JavaScript): the file is
// matched to one of the client's expenses missing a receipt, like a forwarded one, and the answer
// is a 303 back to the account saying what became of it. Out of the middleware's path (it would
// buffer the body before the 10 MB limit is read here): the session and the client are checked
// here, and a form posted from another site is refused.
export const POST = createRoute<Params>({}, async (request, user, { params, i18n }) => {
  const origin = request.headers.get('origin');
  if (origin && origin !== new URL(appUrl()).origin)
    return withRouteSecurityHeaders(new NextResponse(i18n.t('notFound.plain'), { status: 403 }));
  const back = appLink(`/clients/${encodeURIComponent(params.clientId)}`);
  back.searchParams.set('vue', 'missing');
  const file = await readOneFile(request);
  if (!file.ok) {
    back.searchParams.set('depot', `erreur-${file.code}`);
    return withRouteSecurityHeaders(NextResponse.redirect(back, 303));
  }
  const state = await dropDocument(user, params.clientId, file);
  if (state === 'not_found')
    return withRouteSecurityHeaders(new NextResponse(i18n.t('notFound.plain'), { status: 404 }));
  back.searchParams.set('depot', state);
  return withRouteSecurityHeaders(NextResponse.redirect(back, 303));
});
