import { NextResponse } from 'next/server';
import { db } from '@/db';
import { actorOf, recordActivity } from '@/lib/activity/record';
import { PRESETS, type PresetId } from '@/lib/bookkeeping/presets';
import { exportCsvStream, exportFileName } from '@/lib/exports/create-export';
import { exportEntriesFile, exportReceiptsZip, presetRefusal, type ExportFile } from '@/lib/exports/files';
import { findExport } from '@/lib/exports/queries';
import { createRoute } from '@/lib/access/server-route';

type Params = { clientId: string; exportId: string };
const FORMATS = ['csv', 'zip', ...PRESETS] as const;
type Format = (typeof FORMATS)[number];

// Downloads an export (again), in any of its forms: the same bytes every time, read from what the
// export froze. `?format=` csv (the default: the expenses, French header unless `?entetes=en`),
// fec, quadra, ebp, sage50 (the entries), zip (the receipts, named by their piece numbers).
export const GET = createRoute<Params>({}, async (request, user, { params, i18n }) => {
  const { clientId, exportId } = params;
  const query = new URL(request.url).searchParams;
  const format = (query.get('format') ?? 'csv') as Format;
  const found = FORMATS.includes(format) ? await findExport(user, clientId, exportId) : undefined;
  if (!found) return new NextResponse(i18n.t('notFound.plain'), { status: 404 });
  const plain = (key: 'errors.notCoded' | 'errors.sirenMissing' | 'errors.sage50Journal' | 'errors.sage50Analytic') =>
    new NextResponse(i18n.t(key), { status: 409, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  let file: ExportFile;
  if (format === 'csv') {
    const headerLocale = query.get('entetes') === 'en' ? 'en' : 'fr';
    file = {
      name: exportFileName(found.clientName, found.createdAt, found.id),
      contentType: 'text/csv; charset=utf-8',
      body: exportCsvStream(user.firmId, found.id, headerLocale),
    };
  } else if (format === 'zip') {
    file = exportReceiptsZip(user.firmId, found);
  } else {
    if (!found.books) return plain('errors.notCoded');
    if (format === 'fec' && !/^\d{9}$/.test(found.siren ?? '')) return plain('errors.sirenMissing');
    const refusal = await presetRefusal(found, format as PresetId);
    if (refusal) return plain(refusal);
    file = await exportEntriesFile(user.firmId, found, format as PresetId);
  }
  await recordActivity(db, {
    firmId: user.firmId,
    actor: actorOf(user),
    action: 'export_downloaded',
    client: { id: found.clientId },
    details: { exportId: found.id, format },
  });
  return new Response(file.body, {
    headers: {
      'content-type': file.contentType,
      'content-disposition': `attachment; filename="${file.name}"`,
      'cache-control': 'private, no-store',
    },
  });
});
