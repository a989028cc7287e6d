import { NextResponse, type NextRequest } from 'next/server';
import { getCurrentUser } from '@/lib/auth/session';
import { searchWorkspaceClients } from '@/lib/clients/queries';
import { parseClientListParams } from '@/lib/clients/schemas';

const PRIVATE = { 'cache-control': 'private, no-store' };

/**
 * The workspace's client switcher asks here as the user types: `{ clients: [{ id, name }], more }`,
 * the connected clients this user may open whose name contains `q` (the Clients page's search:
 * accents and case folded, `%` and `_` literal), a few at a time. Nothing for anyone else.
 */
export async function GET(request: NextRequest) {
  const user = await getCurrentUser();
  if (!user || user.mustSetUpTwoFactor)
    return NextResponse.json({ clients: [], more: false }, { status: 401, headers: PRIVATE });
  // The same reading of the text as the Clients page (control characters dropped, 100 at most).
  const { q } = parseClientListParams({ q: request.nextUrl.searchParams.get('q') ?? '' });
  return NextResponse.json(await searchWorkspaceClients(user, q), { headers: PRIVATE });
}
