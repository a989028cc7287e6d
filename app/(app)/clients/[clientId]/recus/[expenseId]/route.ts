import { NextResponse } from 'next/server';
import { findReceipt } from '@/lib/receipts/queries';
import { extensionOf } from '@/lib/receipts/sniff';
import { storedFileResponse } from '@/lib/server/http/file-response';
import { createRoute } from '@/lib/access/server-route';
import { slugify } from '@/lib/server/slugify';

type Params = { clientId: string; expenseId: string };

// An expense's receipt, for users who may open that client only: served by the app after its
// check (files are never public), inline (images and PDFs open in the browser), with the type it
// was stored with (decided from its content at upload) and nosniff.
export const GET = createRoute<Params>({}, async (_request, user, { params, i18n }) => {
  const { clientId, expenseId } = params;
  const receipt = await findReceipt(user, clientId, expenseId);
  if (!receipt) return new NextResponse(i18n.t('notFound.plain'), { status: 404 });
  const name = `recu-${receipt.spentOn}-${slugify(receipt.merchant) || 'depense'}.${extensionOf(receipt.contentType)}`;
  return storedFileResponse({ ...receipt, filename: name });
});
