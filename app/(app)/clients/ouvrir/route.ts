import { NextResponse, type NextRequest } from 'next/server';
import { getCurrentUser, TWO_FACTOR_SETUP } from '@/lib/auth/session';
import { findWorkspaceClient } from '@/lib/clients/queries';
import { appLink } from '@/lib/env';
import { i18nFor } from '@/lib/i18n/translator';

// The workspace's client switcher posts here (a GET form, so that it works without JavaScript).
export async function GET(request: NextRequest) {
  const user = await getCurrentUser();
  if (!user) return NextResponse.redirect(appLink('/connexion'), 303);
  if (user.mustSetUpTwoFactor) return NextResponse.redirect(appLink(TWO_FACTOR_SETUP), 303);
  const id = request.nextUrl.searchParams.get('id') ?? '';
  const client = await findWorkspaceClient(user, id);
  if (!client) return new NextResponse(i18nFor(user.locale).t('notFound.plain'), { status: 404 });
  return NextResponse.redirect(appLink(`/clients/${client.id}`), 303);
}
