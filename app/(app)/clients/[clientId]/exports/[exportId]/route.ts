import { NextResponse } from 'next/server';
import { getCurrentUser } from '@/lib/auth/session';
import { exportCsvStream, exportFileName, findExport } from '@/lib/exports/exports';

type Context = { params: Promise<{ clientId: string; exportId: string }> };

// Downloads an export (again): the same bytes every time.
export async function GET(request: Request, { params }: Context) {
  const user = await getCurrentUser();
  if (!user) return NextResponse.redirect(new URL('/connexion', request.url), 303);
  const { clientId, exportId } = await params;
  const found = await findExport(user, clientId, exportId);
  if (!found) return new NextResponse('Introuvable', { status: 404 });
  const name = exportFileName(found.clientName, found.createdAt, found.id);
  return new Response(exportCsvStream(user.firmId, found.id), {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${name}"`,
      'cache-control': 'private, no-store',
    },
  });
}
