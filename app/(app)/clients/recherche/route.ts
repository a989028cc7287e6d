import { NextResponse } from 'next/server';
import { searchWorkspaceClients } from '@/lib/clients/queries';
import { parseClientListParams } from '@/lib/clients/schemas';
import { createRoute } from '@/lib/access/server-route';

const PRIVATE = { 'cache-control': 'private, no-store' };

/**
 * The workspace's client switcher asks here as the user types: `{ clients: [{ id, name }], more }`,
 * the connected clients this user may open whose name contains `q` (the Clients page's search:
 * accents and case folded, `%` and `_` literal), a few at a time. Nothing for anyone else.
 */
export const GET = createRoute({ anonymous: 'json' }, async (request, user) => {
  // The same reading of the text as the Clients page (control characters dropped, 100 at most).
  const { q } = parseClientListParams({ q: request.nextUrl.searchParams.get('q') ?? '' });
  return NextResponse.json(await searchWorkspaceClients(user, q), { headers: PRIVATE });
});
