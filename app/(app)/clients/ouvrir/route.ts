import { NextResponse } from 'next/server';
import { findWorkspaceClient, searchWorkspaceClients } from '@/lib/clients/queries';
import { clientListHref, parseClientListParams } from '@/lib/clients/schemas';
import { appLink } from '@/lib/server/env';
import { createRoute } from '@/lib/access/server-route';

/**
 * The workspace's client switcher without JavaScript (a GET form): `id` opens that client; `q`
 * opens the one client whose name contains it, and otherwise shows the Clients page searched for it.
 */
export const GET = createRoute({}, async (request, user, { i18n }) => {
  const search = request.nextUrl.searchParams;
  if (search.has('id')) {
    const client = await findWorkspaceClient(user, search.get('id') ?? '');
    if (!client) return new NextResponse(i18n.t('notFound.plain'), { status: 404 });
    return NextResponse.redirect(appLink(`/clients/${client.id}`), 303);
  }
  const list = parseClientListParams({ q: search.get('q') ?? '', tab: user.role === 'admin' ? 'tous' : 'mes-clients' });
  const found = list.q ? await searchWorkspaceClients(user, list.q, 1) : undefined;
  if (found?.clients.length === 1 && !found.more)
    return NextResponse.redirect(appLink(`/clients/${found.clients[0]!.id}`), 303);
  return NextResponse.redirect(appLink(clientListHref(list)), 303);
});
