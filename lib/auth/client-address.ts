import { readEnv } from '@/lib/env';

type HeaderSource = Headers | Record<string, string | string[] | undefined> | undefined;

function header(source: HeaderSource, name: string): string | undefined {
  if (!source) return undefined;
  if (source instanceof Headers) return source.get(name) ?? undefined;
  const value = source[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/**
 * The address a request comes from, for login throttling. Next.js puts the connection's address in
 * X-Forwarded-For when the request has none. Behind a reverse proxy (TRUST_PROXY=1), the proxy
 * appends the client's address to that header: its last entry is the one our proxy saw. Without
 * TRUST_PROXY, a client talking to `next start` directly could write the header itself: it would
 * only get itself other buckets (never a colleague's account lock, which is per e-mail and address).
 */
export function clientAddress(headers: HeaderSource): string {
  const forwarded = (header(headers, 'x-forwarded-for') ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const address = readEnv().TRUST_PROXY === '1' ? forwarded.at(-1) : forwarded[0];
  return (address ?? 'unknown').slice(0, 64);
}
