import { NextResponse } from 'next/server';
import { appLink } from '@/lib/server/env';
import { readBodyUpTo } from '@/lib/server/http/read-body';
import { answerNoReceipt } from '@/lib/receipts/links';
import { noReceiptSchema } from '@/lib/receipts/schemas';
import { hasControlCharacters } from '@/lib/server/text';

export const dynamic = 'force-dynamic';

// « Pas de reçu », with the reason: the expense no longer needs a receipt.
export async function POST(request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const back = appLink(`/recus/${token}`);
  const raw = await readBodyUpTo(request, 16 * 1024);
  const form = new URLSearchParams(raw ?? '');
  const fields = { expenseId: form.get('expenseId') ?? '', reason: form.get('reason') ?? '' };
  const parsed = noReceiptSchema.safeParse(fields);
  if (fields.expenseId) back.searchParams.set('depense', fields.expenseId.slice(0, 36));
  if (raw === undefined || !parsed.success || hasControlCharacters(fields.reason, { multiline: true })) {
    const reasonIssue = parsed.success ? undefined : parsed.error.issues.find((i) => i.path[0] === 'reason');
    back.searchParams.set(
      'erreur',
      reasonIssue?.message === 'validation.reasonTooLong' ? 'reason_long' : parsed.success ? 'reason_chars' : 'reason',
    );
    return NextResponse.redirect(back, 303);
  }
  const result = await answerNoReceipt(token, parsed.data.expenseId, parsed.data.reason);
  if (result === 'done') back.searchParams.set('sans', parsed.data.expenseId);
  else if (result === 'not_requested') back.searchParams.set('erreur', 'not_requested');
  return NextResponse.redirect(back, 303);
}
