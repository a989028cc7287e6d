import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { i18nFor } from '@/lib/server/i18n/translator';
import { openRequest } from '@/lib/receipts/links';

// Opened from a receipt request e-mail, without a login: the link is the only key. Written in
// French, like the e-mail (the client's people, not the firm's). Plain forms: it works on a phone
// (camera capture) and without JavaScript.

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return { title: i18nFor('fr').t('receiptUpload.title'), robots: { index: false } };
}

type Props = {
  params: Promise<{ token: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

const one = (value: string | string[] | undefined) => (typeof value === 'string' ? value : undefined);
const ERRORS = [
  'type',
  'size',
  'empty',
  'not_requested',
  'failed',
  'unreadable',
  'reason',
  'reason_long',
  'reason_chars',
  'answer',
  'answer_long',
  'answer_chars',
  'not_answerable',
] as const;

export default async function ReceiptUploadPage({ params, searchParams }: Props) {
  const { token } = await params;
  const query = await searchParams;
  const request = await openRequest(token);
  // Unknown, expired, cancelled or malformed: the same page, which says nothing about which.
  if (!request) notFound();
  const { t, format } = i18nFor('fr');
  const received = one(query.recu);
  const declared = one(query.sans);
  const answered = one(query.reponse);
  // A receipt sent without naming its expense: attached where it was sure, else for the firm to place.
  const unnamed = one(query.document);
  const error = ERRORS.find((e) => e === one(query.erreur));
  const errorFor = one(query.depense);
  const action = `/recus/${token}`;
  // Questions as well as receipts: the page says so from its title.
  const asking = request.expenses.some((e) => e.question);

  return (
    <main className="centered">
      <div className="panel narrow stack">
        <h1>{t(asking ? 'receiptUpload.headingQuestions' : 'receiptUpload.heading', { firm: request.firmName })}</h1>
        <p>
          {t(asking ? 'receiptUpload.introQuestions' : 'receiptUpload.intro', {
            requester: request.requesterName,
            firm: request.firmName,
            client: request.clientName,
          })}
        </p>
        {request.message ? (
          <blockquote className="quote">
            <p className="muted">{t('receiptUpload.messageBy', { requester: request.requesterName })}</p>
            <p className="pre-line">{request.message}</p>
          </blockquote>
        ) : null}
        {unnamed === 'rattache' || unnamed === 'recu' ? (
          <p className="success" role="status">
            {t(unnamed === 'rattache' ? 'receiptUpload.unnamedAttached' : 'receiptUpload.unnamedReceived', {
              firm: request.firmName,
            })}
          </p>
        ) : null}
        {received || declared || answered ? (
          <p className="success" role="status">
            {received
              ? t('receiptUpload.received')
              : declared
                ? t('receiptUpload.declared')
                : t('receiptUpload.answered')}
          </p>
        ) : null}
        {error && !errorFor ? (
          <p className="error" role="alert">
            {t(`receiptUpload.errors.${error}`)}
          </p>
        ) : null}
        {request.expenses.length === 0 ? (
          <p className="success">{t('receiptUpload.allDone')}</p>
        ) : (
          <ul className="receipt-requests">
            {request.expenses.map((expense) => {
              const label = t('receiptUpload.expense', {
                date: format.day(expense.spentOn),
                merchant: expense.merchant,
                amount: format.money(expense.amountCents, expense.currency),
              });
              const fileId = `file-${expense.id}`;
              const reasonId = `reason-${expense.id}`;
              const errorId = `error-${expense.id}`;
              const mine = error && errorFor === expense.id;
              const answerId = `answer-${expense.id}`;
              const answerError = mine && error.startsWith('answer');
              return (
                <li key={expense.id} className="panel stack">
                  <h2 className="h3">{label}</h2>
                  {mine ? (
                    <p className="error" role="alert" id={errorId}>
                      {t(`receiptUpload.errors.${error}`)}
                    </p>
                  ) : null}
                  {expense.question ? (
                    <form action={`${action}/repondre`} method="post" className="stack">
                      <input type="hidden" name="expenseId" value={expense.id} />
                      {expense.question === 'personal' ? (
                        <fieldset className="field">
                          <legend>{t('questions.kinds.personal')}</legend>
                          <label className="choice">
                            <input type="radio" name="choice" value="oui" required /> {t('receiptUpload.yes')}
                          </label>
                          <label className="choice">
                            <input type="radio" name="choice" value="non" /> {t('receiptUpload.no')}
                          </label>
                        </fieldset>
                      ) : null}
                      <div className="field">
                        <label htmlFor={answerId}>
                          {expense.question === 'personal'
                            ? t('receiptUpload.answerDetails')
                            : expense.question === 'other' && expense.questionText
                              ? expense.questionText
                              : t(`questions.kinds.${expense.question}`)}
                        </label>
                        <textarea
                          id={answerId}
                          name="answer"
                          rows={3}
                          maxLength={1000}
                          required={expense.question !== 'personal'}
                          placeholder={t(`receiptUpload.answerPlaceholders.${expense.question}`)}
                          aria-invalid={answerError ? true : undefined}
                          aria-describedby={answerError ? errorId : undefined}
                        />
                      </div>
                      <button type="submit" className="button">
                        {t('receiptUpload.sendAnswer')}
                      </button>
                    </form>
                  ) : null}
                  {expense.needsReceipt ? (
                    <>
                      <form action={`${action}/envoyer`} method="post" encType="multipart/form-data" className="stack">
                        <input type="hidden" name="expenseId" value={expense.id} />
                        <div className="field">
                          <label htmlFor={fileId}>{t('receiptUpload.file')}</label>
                          <input
                            id={fileId}
                            type="file"
                            name="receipt"
                            required
                            accept="application/pdf,image/jpeg,image/png,image/heic,image/heif,image/webp"
                            capture="environment"
                            aria-describedby={`${fileId}-hint${mine ? ` ${errorId}` : ''}`}
                            aria-invalid={mine && !error.startsWith('reason') ? true : undefined}
                          />
                          <p className="hint" id={`${fileId}-hint`}>
                            {t('receiptUpload.fileHint')}
                          </p>
                        </div>
                        <button type="submit" className="button">
                          {t('receiptUpload.send')}
                        </button>
                      </form>
                      <details open={mine && error.startsWith('reason') ? true : undefined}>
                        <summary>{t('receiptUpload.noReceipt')}</summary>
                        <form action={`${action}/sans-recu`} method="post" className="stack">
                          <input type="hidden" name="expenseId" value={expense.id} />
                          <div className="field">
                            <label htmlFor={reasonId}>{t('receiptUpload.reason')}</label>
                            <textarea
                              id={reasonId}
                              name="reason"
                              rows={3}
                              maxLength={500}
                              required
                              placeholder={t('receiptUpload.reasonPlaceholder')}
                              aria-invalid={mine && error.startsWith('reason') ? true : undefined}
                              aria-describedby={mine && error.startsWith('reason') ? errorId : undefined}
                            />
                          </div>
                          <button type="submit" className="button secondary">
                            {t('receiptUpload.confirmNoReceipt')}
                          </button>
                        </form>
                      </details>
                    </>
                  ) : null}
                </li>
              );
            })}
          </ul>
        )}
        {request.expenses.some((e) => e.needsReceipt) ? (
          <section className="panel stack" aria-labelledby="unnamed-title">
            <h2 id="unnamed-title" className="h3">
              {t('receiptUpload.unnamedTitle')}
            </h2>
            <form action={`${action}/envoyer`} method="post" encType="multipart/form-data" className="stack">
              <input type="hidden" name="expenseId" value="inconnue" />
              <div className="field">
                <label htmlFor="file-unnamed">{t('receiptUpload.file')}</label>
                <input
                  id="file-unnamed"
                  type="file"
                  name="receipt"
                  required
                  accept="application/pdf,image/jpeg,image/png,image/heic,image/heif,image/webp"
                  aria-describedby="file-unnamed-hint"
                />
                <p className="hint" id="file-unnamed-hint">
                  {t('receiptUpload.unnamedHint', { firm: request.firmName })}
                </p>
              </div>
              <button type="submit" className="button secondary">
                {t('receiptUpload.unnamedSend')}
              </button>
            </form>
          </section>
        ) : null}
        <p className="muted">{t('receiptUpload.validUntil', { day: format.dayMonth(request.expiresAt) })}</p>
      </div>
    </main>
  );
}
