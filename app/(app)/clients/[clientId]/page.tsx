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
import { listOpenRequests, requestStatuses } from '@/lib/receipts/queries';
import { i18nFor } from '@/lib/server/i18n/translator';

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

export default async function ClientWorkspacePage({ params, searchParams }: Props) {
  const user = await requireUser();
  const { clientId } = await params;
  const client = await loadClient(user, clientId);
  if (!client) notFound();
  // « Accéder au client »: every opening of a client's account is in the firm's Journal.
  await recordView({ firmId: user.firmId, actor: actorOf(user), action: 'client_opened', client });
  const { t, format } = i18nFor(user.locale);
  const requestedView = (await searchParams).vue;
  const view: ExpenseView = EXPENSE_VIEWS.includes(requestedView as ExpenseView)
    ? (requestedView as ExpenseView)
    : 'missing';
  const [exportedCount, rows, pastExports, preview] = await Promise.all([
    countExportedExpenses(client),
    listClientExpenses(client, view),
    view === 'exported' ? listExports(client) : Promise.resolve([]),
    view === 'ready' ? exportPreview(client) : Promise.resolve(undefined),
  ]);
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
    missing: client.missingReceipts,
    ready: client.readyToExport,
    exported: exportedCount,
  };

  return (
    <>
      <PageHeader title={client.name} backLabel={t('common.backToClients')} actions={<ClientSwitcher />} />

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

      {view === 'exported' ? (
        <section className="panel" aria-labelledby="exports-title">
          <h2 id="exports-title">{t('workspace.exports.title')}</h2>
          {pastExports.length === 0 ? (
            <p className="muted">{t('workspace.exports.none')}</p>
          ) : (
            <ul className="reminder-list">
              {pastExports.map((e) => (
                <li key={e.id}>
                  <p>
                    {t('workspace.exports.line', {
                      when: format.dateTime(e.createdAt),
                      who: e.createdByName,
                      count: e.expenseCount,
                      total: format.money(e.totalCents, e.currency),
                    })}{' '}
                    <a href={`/clients/${client.id}/exports/${e.id}`}>{t('workspace.exports.download')}</a>
                  </p>
                </li>
              ))}
            </ul>
          )}
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

      {rows.length === 0 ? (
        <div className="empty">
          <p>{t(`workspace.empty.${view}`)}</p>
        </div>
      ) : (
        <>
          {counts[view] > rows.length ? (
            <p className="muted">{t('workspace.shownOf', { shown: rows.length, total: counts[view] })}</p>
          ) : null}
          {view === 'missing' ? <p className="muted">{t('receipts.request.selectHint')}</p> : null}
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
