import { NextResponse, type NextRequest } from 'next/server';
import { getCurrentUser } from '@/lib/auth/session';
import { findWorkspaceClient } from '@/lib/clients/queries';

// The workspace's client switcher posts here (a GET form, so that it works without JavaScript).
export async function GET(request: NextRequest) {
  const user = await getCurrentUser();
  if (!user) return NextResponse.redirect(new URL('/connexion', request.url), 303);
  const id = request.nextUrl.searchParams.get('id') ?? '';
  const client = await findWorkspaceClient(user, id);
  if (!client) return new NextResponse('Introuvable', { status: 404 });
  return NextResponse.redirect(new URL(`/clients/${client.id}`, request.url), 303);
}
