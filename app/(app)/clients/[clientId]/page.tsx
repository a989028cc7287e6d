import type { Metadata } from 'next';
import { cache } from 'react';
import { actorOf, recordView } from '@/lib/activity/record';
import { Link } from '@/components/link';
import { PageHeader } from '@/components/page-header';
import { notFound } from 'next/navigation';
import { ExportButton } from '@/components/export-button';
import { getCurrentUser, requireUser } from '@/lib/access/session';
import { exportExpensesAction } from '@/lib/exports/actions';
import { exportPreview, listExports } from '@/lib/exports/queries';
import { findWorkspaceClient } from '@/lib/clients/queries';
import { ClientSwitcher } from '@/components/client-switcher';
import { countExportedExpenses, EXPENSE_VIEWS, listClientExpenses, type ExpenseView } from '@/lib/expenses/queries';
import { ActionForm } from '@/components/action-form';
import { getI18n } from '@/lib/access/request-locale';
import { cancelReceiptRequestAction } from '@/lib/receipts/actions';
import {
  listExpenseQuestions,
  listOpenRequests,
  requestStatuses,
  type ExpenseQuestionRow,
} from '@/lib/receipts/queries';
import { questionLine } from '@/lib/receipts/question-words';
import { i18nFor, TIME_ZONE } from '@/lib/server/i18n/translator';
import { DateTime } from 'luxon';
import { CodingGrid } from '@/components/coding-grid';
import { clientDeadline, monthToClose } from '@/lib/close/deadlines';
import { loadBooks } from '@/lib/bookkeeping/books';
import { countToCode, listCodingRows } from '@/lib/bookkeeping/queries';
import { ruleOffers } from '@/lib/bookkeeping/rules';
import { formatRate } from '@/lib/bookkeeping/vat';
import {
  cancelExportAction,
  codeExpensesAction,
  reviewExpensesAction,
  saveRuleAction,
} from '@/lib/bookkeeping/actions';

type Props = {
  params: Promise<{ clientId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

// The browser tab carries the client's name: several clients open side by side stay told apart.
// Once per request for the title and the page (same arguments: the user object is cached too).
const loadClient = cache(findWorkspaceClient);

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const user = await getCurrentUser();
  const client = user && !user.mustSetUpTwoFactor ? await loadClient(user, (await params).clientId) : undefined;
  return { title: client?.name ?? (await getI18n()).t('notFound.title') };
}

/** What « Déposer un reçu » became (`depot=` in the URL, set by its route). */
const DROP_RESULTS = new Set([
  'attached',
  'suggested',
  'unmatched',
  'held',
  'erreur-type',
  'erreur-size',
  'erreur-empty',
  'erreur-unreadable',
]);

export default async function ClientWorkspacePage({ params, searchParams }: Props) {
  const user = await requireUser();
  const { clientId } = await params;
  const client = await loadClient(user, clientId);
  if (!client) notFound();
  // « Accéder au client »: every opening of a client's account is in the firm's Journal.
  await recordView({ firmId: user.firmId, actor: actorOf(user), action: 'client_opened', client });
  const { t, format } = i18nFor(user.locale);
  const search = await searchParams;
  const requestedView = search.vue;
  const dropped = typeof search.depot === 'string' && DROP_RESULTS.has(search.depot) ? search.depot : undefined;
  const view: ExpenseView = EXPENSE_VIEWS.includes(requestedView as ExpenseView)
    ? (requestedView as ExpenseView)
    : 'coding';
  // « À coder » shows what is left up to the end of this month (Paris), oldest first.
  const monthEnd = DateTime.now().setZone(TIME_ZONE).endOf('month');
  const closing = monthToClose(new Date());
  const [exportedCount, toCodeCount, rows, pastExports, preview, coding, closeDeadline] = await Promise.all([
    countExportedExpenses(client),
    countToCode(client),
    view === 'coding' ? Promise.resolve([]) : listClientExpenses(client, view),
    view === 'exported' ? listExports(client) : Promise.resolve([]),
    view === 'ready' ? exportPreview(client) : Promise.resolve(undefined),
    view === 'coding'
      ? Promise.all([loadBooks(client), listCodingRows(client, monthEnd.toISODate()!), ruleOffers(client)])
      : Promise.resolve(undefined),
    clientDeadline(client, closing),
  ]);
  // The questions asked about the expenses to code, and their answers (the latest one per expense).
  const questions = coding
    ? new Map(
        (
          await listExpenseQuestions(
            client,
            coding[1].map((r) => r.id),
          )
        ).map((q) => [q.expenseId, q]),
      )
    : new Map<string, ExpenseQuestionRow>();
  const [statuses, openRequests] =
    view === 'missing'
      ? await Promise.all([
          requestStatuses(
            client,
            rows.map((r) => r.id),
          ),
          listOpenRequests(client),
        ])
      : [new Map(), []];
  const counts: Record<ExpenseView, number> = {
    coding: toCodeCount,
    missing: client.missingReceipts,
    ready: client.readyToExport,
    exported: exportedCount,
  };

  return (
    <>
      <PageHeader title={client.name} backLabel={t('common.backToClients')} actions={<ClientSwitcher />} />

      {dropped ? (
        <p className={dropped.startsWith('erreur') ? 'banner error' : 'banner success'} role="status">
          {t(`drop.results.${dropped}` as 'drop.results.attached')}
        </p>
      ) : null}

      <section className="cards" aria-label={t('workspace.summary')}>
        <div className="card">
          <p className="card-label">{t('workspace.balance')}</p>
          <p className={`card-value${client.balanceCents < 0 ? ' negative' : ''}`}>
            {format.money(client.balanceCents, client.currency)}
          </p>
        </div>
        {EXPENSE_VIEWS.map((v) => (
          <div className="card" key={v}>
            <p className="card-label">{t(`workspace.views.${v}`)}</p>
            <p className="card-value">{format.count(counts[v])}</p>
          </div>
        ))}
        <div className="card">
          <p className="card-label">
            {t('close.cardLabel', { month: format.monthYear(new Date(`${closing}-15T12:00:00Z`)) })}
          </p>
          <p
            className="card-value small-value"
            title={t(`close.kinds.${closeDeadline.kind}`, { day: format.day(closeDeadline.due) })}
          >
            <Link href={`/clients/${client.id}/cloture`}>
              {t('close.cardValue', { close: format.day(closeDeadline.close) })}
            </Link>
          </p>
        </div>
        <div className="card card-link">
          <Link href={`/clients/${client.id}/details`}>{t('workspace.details')}</Link>
        </div>
      </section>

      <nav className="tabs" aria-label={t('workspace.expensesNav')}>
        {EXPENSE_VIEWS.map((v) => (
          <Link
            key={v}
            href={`/clients/${client.id}?vue=${v}`}
            className="tab"
            aria-current={v === view ? 'page' : undefined}
          >
            {t('workspace.viewTab', { label: t(`workspace.views.${v}`), count: counts[v] })}
          </Link>
        ))}
      </nav>

      {view === 'ready' ? (
        <ExportButton
          action={exportExpensesAction}
          clientId={client.id}
          readyCount={client.readyToExport}
          confirm={{
            title: t('workspace.export.confirmTitle'),
            body: t('workspace.export.confirmBody', {
              count: preview?.count ?? 0,
              total: format.money(preview?.totalCents ?? 0, client.currency),
              without: preview?.withoutReceipt ?? 0,
            }),
            confirmLabel: t('workspace.export.confirm'),
            cancelLabel: t('common.cancel'),
          }}
        />
      ) : null}

      {coding ? (
        <section aria-labelledby="coding-title">
          <div className="row-between">
            <h2 id="coding-title">{t('books.grid.title', { month: format.monthYear(monthEnd.toJSDate()) })}</h2>
            <Link href={`/clients/${client.id}/comptabilite`}>{t('books.settings.link')}</Link>
          </div>
          {coding[2].length > 0 ? (
            <section className="panel" aria-labelledby="offers-title">
              <h3 id="offers-title">{t('books.rules.offersTitle')}</h3>
              <ul className="reminder-list">
                {coding[2].map((offer) => (
                  <li key={offer.merchant} className="row-between">
                    <p>
                      {t('books.rules.offer', {
                        merchant: offer.merchant,
                        times: offer.times,
                        account: offer.account,
                        rate: formatRate(offer.vatRateBp),
                        share: offer.deductiblePct,
                      })}
                    </p>
                    <ActionForm
                      action={saveRuleAction}
                      hidden={{
                        clientId: client.id,
                        merchant: offer.merchant,
                        account: offer.account,
                        vatRate: String(offer.vatRateBp),
                        deductible: String(offer.deductiblePct),
                        scope: 'client',
                      }}
                      submitLabel={t('books.rules.make')}
                      submitDescription={t('books.rules.makeFor', { merchant: offer.merchant })}
                      buttonClassName="button secondary small"
                    />
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          {coding[1].length === 0 ? (
            <div className="empty">
              <p>{t('workspace.empty.coding')}</p>
            </div>
          ) : (
            <>
              {toCodeCount > coding[1].length ? (
                <p className="muted">{t('workspace.shownOf', { shown: coding[1].length, total: toCodeCount })}</p>
              ) : null}
              <CodingGrid
                clientId={client.id}
                codeAction={codeExpensesAction}
                reviewAction={reviewExpensesAction}
                chart={coding[0].chart
                  .filter((a) => a.active && (a.number.startsWith('6') || a.number.startsWith('2')))
                  .map((a) => ({
                    number: a.number,
                    label: a.label,
                    vatRateBp: a.defaultVatRateBp,
                    deductiblePct: a.defaultDeductiblePct,
                  }))}
                rows={coding[1].map((r) => ({
                  id: r.id,
                  day: format.day(r.spentOn),
                  merchant: r.merchant,
                  amount: format.money(r.amountCents, r.currency),
                  receipt: t(`receipt.${r.receiptState}`),
                  account: r.account ?? '',
                  vatRateBp: r.vatRateBp ?? 2000,
                  deductiblePct: r.deductiblePct ?? 100,
                  analytic: r.analytic ?? '',
                  lines: r.lines,
                  state: r.codingState,
                  suggested: r.suggested,
                  question: questions.has(r.id) ? questionLine(t, questions.get(r.id)!) : undefined,
                }))}
              />
            </>
          )}
        </section>
      ) : null}

      {view === 'exported' ? (
        <section className="panel" aria-labelledby="exports-title">
          <h2 id="exports-title">{t('workspace.exports.title')}</h2>
          {pastExports.length === 0 ? (
            <p className="muted">{t('workspace.exports.none')}</p>
          ) : (
            <ul className="reminder-list">
              {pastExports.map((e) => (
                <li key={e.id} className="row-between">
                  <p>
                    {t('workspace.exports.line', {
                      when: format.dateTime(e.createdAt),
                      who: e.createdByName,
                      count: e.expenseCount,
                      total: format.money(e.totalCents, e.currency),
                    })}
                    {e.cancelledAt ? (
                      <span className="badge">
                        {t('workspace.exports.cancelledOn', { when: format.dateTime(e.cancelledAt) })}
                      </span>
                    ) : null}{' '}
                    <span className="export-links">
                      <a href={`/clients/${client.id}/exports/${e.id}`}>{t('workspace.exports.csv')}</a>
                      {e.coded ? (
                        <>
                          {' · '}
                          <a href={`/clients/${client.id}/exports/${e.id}?format=fec`}>{t('workspace.exports.fec')}</a>
                          {e.preset !== 'fec' ? (
                            <>
                              {' · '}
                              <a href={`/clients/${client.id}/exports/${e.id}?format=${e.preset}`}>
                                {t(`books.presets.${e.preset}`)}
                              </a>
                            </>
                          ) : null}
                        </>
                      ) : null}
                      {' · '}
                      <a href={`/clients/${client.id}/exports/${e.id}?format=zip`}>{t('workspace.exports.zip')}</a>
                    </span>
                  </p>
                  {e.cancelledAt ? null : (
                    <ActionForm
                      action={cancelExportAction}
                      hidden={{ clientId: client.id, exportId: e.id }}
                      submitLabel={t('workspace.exports.cancel')}
                      submitDescription={t('workspace.exports.cancelFor', { when: format.dateTime(e.createdAt) })}
                      buttonClassName="button secondary small"
                      confirm={{
                        title: t('workspace.exports.cancelTitle'),
                        body: t('workspace.exports.cancelBody', { count: e.expenseCount }),
                        confirmLabel: t('workspace.exports.cancel'),
                        cancelLabel: t('common.cancel'),
                      }}
                    />
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}

      {view === 'missing' ? (
        <section className="panel" aria-labelledby="drop-title">
          <h2 id="drop-title">{t('drop.title')}</h2>
          <form action={`/clients/${client.id}/depot`} method="post" encType="multipart/form-data" className="stack">
            <div className="field">
              <label htmlFor="drop-file">{t('drop.file')}</label>
              <input
                id="drop-file"
                type="file"
                name="document"
                required
                accept="application/pdf,image/jpeg,image/png,image/heic,image/heif,image/webp"
                aria-describedby="drop-hint"
              />
              <p className="hint muted" id="drop-hint">
                {t('drop.hint')}
              </p>
            </div>
            <button type="submit" className="button">
              {t('drop.submit')}
            </button>
          </form>
        </section>
      ) : null}

      {view === 'missing' && openRequests.length > 0 ? (
        <section className="panel" aria-labelledby="open-requests-title">
          <h2 id="open-requests-title">{t('receipts.open.title')}</h2>
          <ul className="reminder-list">
            {openRequests.map((r) => (
              <li key={r.id} className="row-between">
                <p>
                  {t('receipts.open.line', {
                    recipient: r.recipientName ? `${r.recipientName} (${r.recipientEmail})` : r.recipientEmail,
                    day: format.dayMonth(r.createdAt),
                    requester: r.requesterName,
                    waiting: r.waiting,
                    followups: r.followups,
                  })}
                </p>
                <ActionForm
                  action={cancelReceiptRequestAction}
                  hidden={{ clientId: client.id, requestId: r.id }}
                  submitLabel={t('receipts.open.cancel')}
                  submitDescription={t('receipts.open.cancelFor', { recipient: r.recipientEmail })}
                  buttonClassName="button secondary small"
                />
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {view === 'coding' ? null : rows.length === 0 ? (
        <div className="empty">
          <p>{t(`workspace.empty.${view}`)}</p>
        </div>
      ) : (
        <>
          {counts[view] > rows.length ? (
            <p className="muted">{t('workspace.shownOf', { shown: rows.length, total: counts[view] })}</p>
          ) : null}
          {view === 'missing' ? (
            <div className="row-between">
              <p className="muted">{t('receipts.request.selectHint')}</p>
              {/* Every missing receipt at once, ticked or not (works without JavaScript). */}
              <button type="submit" form="receipt-request" name="tous" value="1" className="button">
                {t('receipts.request.all', { count: client.missingReceipts })}
              </button>
            </div>
          ) : null}
          <form id="receipt-request" action={`/clients/${client.id}/demander-recus`} method="get" />
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  {view === 'missing' ? (
                    <th scope="col">
                      <span className="visually-hidden">{t('receipts.request.button')}</span>
                    </th>
                  ) : null}
                  <th scope="col">{t('workspace.columns.date')}</th>
                  <th scope="col">{t('workspace.columns.merchant')}</th>
                  <th scope="col">{t('workspace.columns.category')}</th>
                  <th scope="col" className="num">
                    {t('workspace.columns.amount')}
                  </th>
                  <th scope="col">{t('workspace.columns.receipt')}</th>
                  <th scope="col">{t('workspace.columns.export')}</th>
                  {view === 'missing' ? (
                    <>
                      <th scope="col" className="num">
                        {t('workspace.columns.age')}
                      </th>
                      <th scope="col">{t('receipts.column')}</th>
                    </>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.id}>
                    {view === 'missing' ? (
                      <td>
                        <input
                          type="checkbox"
                          name="ids"
                          value={row.id}
                          form="receipt-request"
                          aria-label={t('receipts.request.select', {
                            merchant: row.merchant,
                            date: format.day(row.spentOn),
                          })}
                        />
                      </td>
                    ) : null}
                    <td>{format.day(row.spentOn)}</td>
                    <td>{row.merchant}</td>
                    <td>{row.category ?? <span className="muted">—</span>}</td>
                    <td className="num">{format.money(row.amountCents, row.currency)}</td>
                    <td>
                      <span className={`badge receipt-${row.receiptState}`}>{t(`receipt.${row.receiptState}`)}</span>
                      {row.hasReceiptFile ? (
                        <>
                          {' '}
                          <a
                            href={`/clients/${client.id}/recus/${row.id}`}
                            target="_blank"
                            rel="noopener"
                            aria-label={t('receipts.viewFor', {
                              merchant: row.merchant,
                              date: format.day(row.spentOn),
                            })}
                          >
                            {t('receipts.view')}
                          </a>
                        </>
                      ) : null}
                      {row.receiptState === 'not_required' && row.receiptReason ? (
                        <span className="muted small"> {t('receipts.reason', { reason: row.receiptReason })}</span>
                      ) : null}
                    </td>
                    <td>
                      <span className={`badge export-${row.exportState}`}>{t(`exportState.${row.exportState}`)}</span>
                    </td>
                    {view === 'missing' ? (
                      <>
                        <td className="num">{t('workspace.ageDays', { days: row.ageDays })}</td>
                        <td className="small">
                          {statuses.get(row.id)
                            ? statuses.get(row.id)!.followups > 0
                              ? t('receipts.requestedFollowed', {
                                  day: format.dayMonth(statuses.get(row.id)!.requestedAt),
                                  count: statuses.get(row.id)!.followups,
                                })
                              : t('receipts.requested', { day: format.dayMonth(statuses.get(row.id)!.requestedAt) })
                            : null}
                        </td>
                      </>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {view === 'missing' ? (
            <p>
              <button type="submit" form="receipt-request" className="button">
                {t('receipts.request.button')}
              </button>
            </p>
          ) : null}
        </>
      )}
    </>
  );
}
