import type { I18n } from '@/lib/server/i18n/translator';
import type { ExpenseQuestionRow } from './queries';

/** A question in words: its label, or the accountant's own text for « Autre question ». */
export function questionLabel(t: I18n['t'], q: Pick<ExpenseQuestionRow, 'question' | 'questionText'>): string {
  return q.question === 'other' && q.questionText ? q.questionText : t(`questions.kinds.${q.question}`);
}

/** One line for a list of expenses: the answer and who gave it, or the question still waiting. */
export function questionLine(t: I18n['t'], q: ExpenseQuestionRow): string {
  return q.answer !== null
    ? t('questions.answeredLine', { recipient: q.recipient, answer: q.answer })
    : t('questions.waitingLine', { recipient: q.recipient, question: questionLabel(t, q) });
}
