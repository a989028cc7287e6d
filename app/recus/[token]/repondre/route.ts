import { NextResponse } from 'next/server';
import { appLink } from '@/lib/server/env';
import { readBodyUpTo } from '@/lib/server/http/read-body';
import { answerQuestion } from '@/lib/receipts/links';
import { answerSchema } from '@/lib/receipts/schemas';
import { hasControlCharacters } from '@/lib/server/text';

export const dynamic = 'force-dynamic';

// The answer to a question about an expense (« De quoi s'agit-il ? »…), from the link's page.
export async function POST(request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const back = appLink(`/recus/${token}`);
  const raw = await readBodyUpTo(request, 16 * 1024);
  const form = new URLSearchParams(raw ?? '');
  const fields = {
    expenseId: form.get('expenseId') ?? '',
    choice: form.get('choice') ?? '',
    answer: form.get('answer') ?? '',
  };
  if (fields.expenseId) back.searchParams.set('depense', fields.expenseId.slice(0, 36));
  const parsed = answerSchema.safeParse(fields);
  if (raw === undefined || !parsed.success || hasControlCharacters(fields.answer, { multiline: true })) {
    const issue = parsed.success ? undefined : parsed.error.issues[0];
    back.searchParams.set(
      'erreur',
      issue?.message === 'validation.answerTooLong' ? 'answer_long' : parsed.success ? 'answer_chars' : 'answer',
    );
    return NextResponse.redirect(back, 303);
  }
  const result = await answerQuestion(token, parsed.data.expenseId, parsed.data.answer);
  if (result === 'done') back.searchParams.set('reponse', parsed.data.expenseId);
  else if (result === 'not_requested') back.searchParams.set('erreur', 'not_answerable');
  return NextResponse.redirect(back, 303);
}
