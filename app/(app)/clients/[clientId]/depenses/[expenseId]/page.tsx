import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ActionForm, FieldError } from '@/components/action-form';
import { PageHeader } from '@/components/page-header';
import { requireUser } from '@/lib/access/session';
import { getI18n } from '@/lib/access/request-locale';
import { splitExpenseAction } from '@/lib/bookkeeping/actions';
import { loadBooks } from '@/lib/bookkeeping/books';
import { findExpenseCoding } from '@/lib/bookkeeping/queries';
import { DEDUCTIBLE_SHARES, formatRate, VAT_RATES_BP } from '@/lib/bookkeeping/vat';
import { findWorkspaceClient } from '@/lib/clients/queries';
import { i18nFor } from '@/lib/server/i18n/translator';
import { Link } from '@/components/link';
import { listExpenseQuestions } from '@/lib/receipts/queries';
import { findExpenseInvoice } from '@/lib/receipts/invoices';
import { questionLabel } from '@/lib/receipts/question-words';

type Props = { params: Promise<{ clientId: string; expenseId: string }> };
const LINES = 5;

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getI18n()).t('books.split.title') };
}

/** « Ventiler »: one expense on several lines, one per VAT rate of its receipt. */
export default async function SplitExpensePage({ params }: Props) {
  const user = await requireUser();
  const { clientId, expenseId } = await params;
  const client = await findWorkspaceClient(user, clientId);
  if (!client) notFound();
  const [expense, { chart }] = await Promise.all([findExpenseCoding(client, expenseId), loadBooks(client)]);
  if (!expense) notFound();
  const [questions, invoice] = await Promise.all([
    listExpenseQuestions(client, [expense.id]),
    findExpenseInvoice(expense.id),
  ]);
  const { t, format } = i18nFor(user.locale);
  const accounts = chart.filter((a) => a.active && /^[26]/.test(a.number));
  const euros = (cents: number) => (cents / 100).toFixed(2).replace('.', ',');
  const lines = Array.from({ length: LINES }, (_, i) => expense.lines[i]);

  return (
    <>
      <PageHeader title={t('books.split.title')} backHref={`/clients/${client.id}`} backLabel={client.name} />
      <p>
        {t('books.split.intro', {
          merchant: expense.merchant,
          day: format.day(expense.spentOn),
          amount: format.money(expense.amountCents, expense.currency),
        })}
      </p>
      {invoice ? (
        <section className="panel stack" aria-labelledby="invoice-title">
          <h2 id="invoice-title">{t('invoice.title')}</h2>
          <p>
            {t(invoice.creditNote ? 'invoice.creditNote' : 'invoice.summary', {
              number: invoice.number,
              day: format.day(invoice.issuedOn),
              seller: invoice.sellerName,
            })}
            {invoice.sellerSiren ? ` · ${t('invoice.siren', { siren: invoice.sellerSiren })}` : null}
          </p>
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">{t('invoice.vatCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('invoice.rate')}</th>
                  <th scope="col" className="num">
                    {t('invoice.basis')}
                  </th>
                  <th scope="col" className="num">
                    {t('invoice.vat')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {invoice.vat.map((line) => (
                  <tr key={line.rateBp}>
                    <td>{formatRate(line.rateBp)}</td>
                    <td className="num">{format.money(line.basisCents, invoice.currency)}</td>
                    <td className="num">{format.money(line.vatCents, invoice.currency)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">
                    {t('invoice.total', { total: format.money(invoice.totalCents, invoice.currency) })}
                  </th>
                  <td className="num">{format.money(invoice.netCents, invoice.currency)}</td>
                  <td className="num">{format.money(invoice.vatCents, invoice.currency)}</td>
                </tr>
              </tfoot>
            </table>
          </div>
          <p className={invoice.coding === 'applied' ? undefined : 'muted'}>{t(`invoice.coding.${invoice.coding}`)}</p>
        </section>
      ) : null}
      {expense.exportState === 'exported' ? (
        <p className="error">{t('books.split.locked')}</p>
      ) : (
        <ActionForm
          action={splitExpenseAction}
          hidden={{ clientId: client.id, expenseId: expense.id }}
          submitLabel={t('books.split.save')}
          messagePlacement="top"
        >
          <FieldError name="lines" />
          <div className="table-wrap">
            <table className="table" aria-describedby="field-lines-error">
              <thead>
                <tr>
                  <th scope="col">{t('books.split.lineHeader')}</th>
                  <th scope="col">{t('books.grid.account')}</th>
                  <th scope="col">{t('books.split.gross')}</th>
                  <th scope="col">{t('books.grid.vat')}</th>
                  <th scope="col">{t('books.grid.share')}</th>
                  <th scope="col">{t('books.grid.analytic')}</th>
                </tr>
              </thead>
              <tbody>
                {lines.map((line, i) => {
                  const n = i + 1;
                  const label = t('books.split.line', { n });
                  return (
                    <tr key={n}>
                      <th scope="row">{n}</th>
                      <td>
                        <select
                          name="account"
                          aria-label={`${label} — ${t('books.grid.account')}`}
                          defaultValue={line?.account ?? ''}
                        >
                          <option value="">—</option>
                          {accounts.map((a) => (
                            <option key={a.number} value={a.number}>
                              {a.number} — {a.label}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td>
                        <input
                          name="gross"
                          inputMode="decimal"
                          aria-label={`${label} — ${t('books.split.gross')}`}
                          defaultValue={
                            line
                              ? euros(line.grossCents)
                              : i === 0 && expense.lines.length === 0
                                ? euros(expense.amountCents)
                                : ''
                          }
                          className="amount-input"
                        />
                      </td>
                      <td>
                        <select
                          name="vatRate"
                          aria-label={`${label} — ${t('books.grid.vat')}`}
                          defaultValue={String(line?.vatRateBp ?? 2000)}
                        >
                          {VAT_RATES_BP.map((rate) => (
                            <option key={rate} value={rate}>
                              {formatRate(rate)}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td>
                        <select
                          name="deductible"
                          aria-label={`${label} — ${t('books.grid.share')}`}
                          defaultValue={String(line?.deductiblePct ?? 100)}
                        >
                          {DEDUCTIBLE_SHARES.map((share) => (
                            <option key={share} value={share}>
                              {`${share}\u202F%`}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td>
                        <input
                          name="analytic"
                          maxLength={20}
                          aria-label={`${label} — ${t('books.grid.analytic')}`}
                          defaultValue={line?.analytic ?? ''}
                          className="analytic-input"
                        />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </ActionForm>
      )}
      <section className="panel stack" aria-labelledby="questions-title">
        <h2 id="questions-title">{t('questions.title')}</h2>
        {questions.length === 0 ? (
          <p className="muted">{t('questions.none')}</p>
        ) : (
          <ul className="reminder-list">
            {questions.map((q, i) => (
              <li key={i} className="stack">
                <p>
                  <strong>{questionLabel(t, q)}</strong>{' '}
                  <span className="muted small">
                    {t('questions.askedBy', {
                      requester: q.askedBy,
                      recipient: q.recipient,
                      day: format.dayMonth(q.askedAt),
                    })}
                  </span>
                </p>
                {q.answer !== null ? (
                  <blockquote className="quote">
                    <p className="muted small">
                      {t('questions.answeredBy', { recipient: q.recipient, day: format.dayMonth(q.answeredAt!) })}
                    </p>
                    <p className="pre-line">{q.answer}</p>
                  </blockquote>
                ) : (
                  <p className="muted">{t('questions.waiting')}</p>
                )}
              </li>
            ))}
          </ul>
        )}
        <p>
          <Link className="button secondary" href={`/clients/${client.id}/demander-recus?ids=${expense.id}`}>
            {t('questions.ask')}
          </Link>
        </p>
      </section>
    </>
  );
}
