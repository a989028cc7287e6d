import { NextResponse } from 'next/server';
import { db } from '@/db';
import { actorOf, recordActivity } from '@/lib/activity/record';
import { exportCsvStream, exportFileName } from '@/lib/exports/create-export';
import { findExport } from '@/lib/exports/queries';
import { createRoute } from '@/lib/access/server-route';

type Params = { clientId: string; exportId: string };

// Downloads an export (again): the same bytes every time. The header is French, as French
// accounting tools expect, unless `?entetes=en` asks for English column names.
export const GET = createRoute<Params>({}, async (request, user, { params, i18n }) => {
  const { clientId, exportId } = params;
  const found = await findExport(user, clientId, exportId);
  if (!found) return new NextResponse(i18n.t('notFound.plain'), { status: 404 });
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
});
