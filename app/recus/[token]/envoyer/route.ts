import { NextResponse } from 'next/server';
import { withRouteSecurityHeaders } from '@/lib/server/security-headers';
import { appLink } from '@/lib/server/env';
import { receiveReceiptUpload } from '@/lib/receipts/upload';

export const dynamic = 'force-dynamic';

// The upload page's form posts here (multipart, works without JavaScript); the answer is a 303
// back to the page, which says what happened next to the expense.
export async function POST(request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const outcome = await receiveReceiptUpload(token, request);
  const back = appLink(`/recus/${token}`);
  if (outcome.status === 'done') back.searchParams.set('recu', outcome.expenseId);
  if (outcome.status === 'unnamed')
    back.searchParams.set('document', outcome.state === 'attached' ? 'rattache' : 'recu');
  if (outcome.status === 'error') {
    back.searchParams.set('erreur', outcome.code);
    if (outcome.expenseId) back.searchParams.set('depense', outcome.expenseId);
  }
  return withRouteSecurityHeaders(NextResponse.redirect(back, 303));
}
