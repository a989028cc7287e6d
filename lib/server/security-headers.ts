import { appUrl } from '@/lib/server/env';

/**
 * The Content-Security-Policy of a response: scripts only from this origin or carrying this
 * request's nonce (Next.js adds it to its own scripts when it finds the policy in the request's
 * headers), no framing by anyone, no plugins, forms and links to this origin only. Inline style
 * attributes stay allowed: React's `style` props and the e-mail previews of the outbox use them.
 */
export function contentSecurityPolicy(nonce: string, development: boolean): string {
  return [
    `default-src 'self'`,
    // 'unsafe-eval' only for `next dev` (React Refresh); never in production.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? ` 'unsafe-eval'` : ''}`,
    `style-src 'self' 'unsafe-inline'`,
    `img-src 'self' data: blob:`,
    `font-src 'self'`,
    `connect-src 'self'${development ? ' ws:' : ''}`,
    `object-src 'none'`,
    `base-uri 'self'`,
    `form-action 'self'`,
    `frame-ancestors 'none'`,
  ].join('; ');
}

/** The headers every response carries, pages, route handlers, 404s and downloads alike. */
export function securityHeaders(csp: string): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()',
    'X-Frame-Options': 'DENY',
  };
  if (appUrl().startsWith('https://')) headers['Strict-Transport-Security'] = 'max-age=63072000; includeSubDomains';
  return headers;
}

/**
 * For the routes kept out of the middleware's path (middleware.ts's matcher: the webhooks and the
 * receipt upload, which must stream their bodies): the same headers, set by the route itself, with a
 * policy that allows nothing (they answer JSON or a redirect), and a request id of our own.
 */
export function withRouteSecurityHeaders<R extends Response>(response: R, requestId = crypto.randomUUID()): R {
  for (const [name, value] of Object.entries(securityHeaders(`default-src 'none'; frame-ancestors 'none'`)))
    response.headers.set(name, value);
  response.headers.set('x-request-id', requestId);
  return response;
}
