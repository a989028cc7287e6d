import { NextResponse } from 'next/server';
import { db } from '@/db';
import { actorOf, recordActivity } from '@/lib/activity/record';
import { getCurrentUser, TWO_FACTOR_SETUP } from '@/lib/auth/session';
import { appLink } from '@/lib/env';
import { exportCsvStream, exportFileName } from '@/lib/exports/create-export';
import { findExport } from '@/lib/exports/queries';
import { i18nFor } from '@/lib/i18n/translator';

type Context = { params: Promise<{ clientId: string; exportId: string }> };

// Downloads an export (again): the same bytes every time. The header is French, as French
// accounting tools expect, unless `?entetes=en` asks for English column names.
export async function GET(request: Request, { params }: Context) {
  const user = await getCurrentUser();
  if (!user) return NextResponse.redirect(appLink('/connexion'), 303);
  if (user.mustSetUpTwoFactor) return NextResponse.redirect(appLink(TWO_FACTOR_SETUP), 303);
  const { clientId, exportId } = await params;
  const found = await findExport(user, clientId, exportId);
  if (!found) return new NextResponse(i18nFor(user.locale).t('notFound.plain'), { status: 404 });
  await recordActivity(db, {
    firmId: user.firmId,
    actor: actorOf(user),
    action: 'export_downloaded',
    client: { id: found.clientId },
    details: { exportId: found.id },
  });
  const name = exportFileName(found.clientName, found.createdAt, found.id);
  const headerLocale = new URL(request.url).searchParams.get('entetes') === 'en' ? 'en' : 'fr';
  return new Response(exportCsvStream(user.firmId, found.id, headerLocale), {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${name}"`,
      'cache-control': 'private, no-store',
    },
  });
}
