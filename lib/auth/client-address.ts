import { readEnv } from '@/lib/server/env';
import { PEER_ADDRESS_HEADER } from '@/lib/server/http/peer-address';

type HeaderSource = Headers | Record<string, string | string[] | undefined> | undefined;

function header(source: HeaderSource, name: string): string | undefined {
  if (!source) return undefined;
  if (source instanceof Headers) return source.get(name) ?? undefined;
  const value = source[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/**
 * The address a request comes from, for login throttling and the Journal.
 *
 * - Without a proxy (TRUST_PROXY unset or 0): the socket's address, stamped by the server
 *   (lib/server/http/peer-address.ts). X-Forwarded-For is the client's own word there: believing it let
 *   an attacker rotate addresses at will, or lock an office out by writing its address.
 * - Behind proxies (TRUST_PROXY=1): each trusted proxy appends the address it saw to
 *   X-Forwarded-For, so the client is the entry TRUST_PROXY_HOPS from the right (1: one load
 *   balancer; 2: a CDN in front of it). Entries further left were written by the client.
 *   With fewer entries than hops, the request did not come through the proxies: the socket.
 */
export function clientAddress(headers: HeaderSource): string {
  const settings = readEnv();
  const peer = header(headers, PEER_ADDRESS_HEADER)?.trim() || 'unknown';
  if (settings.TRUST_PROXY !== '1') return peer.slice(0, 64);
  const forwarded = (header(headers, 'x-forwarded-for') ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const address = forwarded.length >= settings.TRUST_PROXY_HOPS ? forwarded.at(-settings.TRUST_PROXY_HOPS) : undefined;
  return (address ?? peer).slice(0, 64);
}
