import { getToken } from 'next-auth/jwt';
import { NextResponse, type NextRequest } from 'next/server';
import { csrfCookieName, newCsrfCookie, verifiedCsrfToken } from '@/lib/auth/csrf';
import { appLink, appUrl, authSecret, readEnv } from '@/lib/server/env';
import { contentSecurityPolicy, securityHeaders } from '@/lib/server/security-headers';

// Paths reached without a session: login, links from e-mails (receipt requests included), webhooks and cron, health.
const PUBLIC = /^\/(connexion|desabonnement\/|invitation\/|recus\/|api\/)/;

/**
 * On every request: a fresh CSP nonce and the security headers, a request id for the logs, and an
 * optimistic redirect of anonymous visitors to the login page (at the configured public URL).
 * Never the only check: every page, action and route reads the session and the database again.
 */
export async function middleware(request: NextRequest) {
  const nonce = btoa(crypto.randomUUID());
  const csp = contentSecurityPolicy(nonce, process.env.NODE_ENV === 'development');
  const headers = securityHeaders(csp);
  const { pathname, search } = request.nextUrl;

  if (!PUBLIC.test(pathname) && !(await getToken({ req: request, secret: authSecret() }))) {
    const login = appLink('/connexion');
    login.searchParams.set('callbackUrl', `${pathname}${search}`);
    const redirect = NextResponse.redirect(login);
    for (const [name, value] of Object.entries(headers)) redirect.headers.set(name, value);
    return redirect;
  }

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('content-security-policy', csp);
  // A proxy's request id is kept only when the proxy is trusted; otherwise ours.
  if (readEnv().TRUST_PROXY !== '1' || !requestHeaders.get('x-request-id'))
    requestHeaders.set('x-request-id', crypto.randomUUID());
  // The login form posts to next-auth without JavaScript: it needs next-auth's CSRF cookie and token.
  let newCsrf: { token: string; cookie: string } | undefined;
  const secret = authSecret();
  if (pathname === '/connexion' && secret) {
    const name = csrfCookieName(appUrl());
    const token = await verifiedCsrfToken(request.cookies.get(name)?.value, secret);
    if (!token) newCsrf = await newCsrfCookie(secret);
    requestHeaders.set('x-csrf-token', token ?? newCsrf!.token);
  }
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  if (newCsrf) {
    response.cookies.set(csrfCookieName(appUrl()), newCsrf.cookie, {
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secure: appUrl().startsWith('https://'),
    });
  }
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  response.headers.set('x-request-id', requestHeaders.get('x-request-id')!);
  return response;
}

export const config = {
  // Everything but the build's static files, which carry no page, and the routes that stream their
  // bodies: for any request the middleware sees, Next.js first copies the whole body into memory
  // (up to 10 MB, then cuts it), so the webhooks' 1 MiB and 256 KiB limits and the receipt upload's
  // 10 MiB never applied, a slow 100 MB body got no answer, and Next's warning printed the upload's
  // path with its token. Those routes set their security headers themselves
  // (withRouteSecurityHeaders); a client's « Déposer un reçu » (clients/<id>/depot) checks the
  // session, the client and the request's origin in its handler.
  matcher: [
    '/((?!_next/static|_next/image|favicon.ico|robots.txt|api/webhooks/|recus/[^/]+/envoyer|clients/[^/]+/depot).*)',
  ],
};
