import { NextResponse } from 'next/server';
import { findDocumentFile } from '@/lib/inbox/documents';
import { extensionOf } from '@/lib/receipts/upload';
import { readFile } from '@/lib/server/storage';
import { createRoute } from '@/lib/access/server-route';
import { slugify } from '@/lib/server/slugify';

type Params = { documentId: string };

// A document that arrived at a client's receipt address, for users who may see that client only
// (held documents included: the accountant looks before deciding). Served inline with the type
// decided from its content, and nosniff.
export const GET = createRoute<Params>({}, async (_request, user, { params, i18n }) => {
  const document = await findDocumentFile(user, params.documentId);
  if (!document) return new NextResponse(i18n.t('notFound.plain'), { status: 404 });
  const base = slugify(document.filename.replace(/\.[a-z0-9]{1,5}$/i, '')) || 'document';
  const body = readFile(document.fileId, document.driver);
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      try {
        for await (const chunk of body) controller.enqueue(chunk);
        controller.close();
      } catch (error) {
        controller.error(error);
      }
    },
  });
  return new Response(stream, {
    headers: {
      'content-type': document.contentType,
      'content-length': String(document.size),
      'content-disposition': `inline; filename="${base}.${extensionOf(document.contentType)}"`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
    },
  });
});
