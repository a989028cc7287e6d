import { NextResponse } from 'next/server';
import { findDocumentFile } from '@/lib/inbox/documents';
import { extensionOf } from '@/lib/receipts/sniff';
import { createRoute } from '@/lib/access/server-route';
import { storedFileResponse } from '@/lib/server/http/file-response';
import { slugify } from '@/lib/server/slugify';

type Params = { documentId: string };

// A document that arrived at a client's receipt address (or was dropped, or sent through a link),
// for users who may see that client only (held documents included: the accountant looks before
// deciding).
export const GET = createRoute<Params>({}, async (_request, user, { params, i18n }) => {
  const document = await findDocumentFile(user, params.documentId);
  if (!document) return new NextResponse(i18n.t('notFound.plain'), { status: 404 });
  const base = slugify(document.filename.replace(/\.[a-z0-9]{1,5}$/i, '')) || 'document';
  return storedFileResponse({ ...document, filename: `${base}.${extensionOf(document.contentType)}` });
});
