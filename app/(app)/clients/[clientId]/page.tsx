import type { Metadata } from 'next';
import { Link } from '@/components/link';
import { notFound } from 'next/navigation';
import { ExportButton } from '@/components/export-button';
import { requireUser } from '@/lib/auth/session';
import { exportExpensesAction } from '@/lib/exports/actions';
import { listExports } from '@/lib/exports/exports';
import { findWorkspaceClient, listSwitchableClients } from '@/lib/clients/queries';
import { countExportedExpenses, EXPENSE_VIEWS, listClientExpenses, type ExpenseView } from '@/lib/expenses/queries';
import { formatCount, formatDateTime, formatDay, formatMoney } from '@/lib/format';
import { fr } from '@/lib/i18n/fr';

type Props = {
  params: Promise<{ clientId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export const metadata: Metadata = { title: 'Client' };

export default async function ClientWorkspacePage({ params, searchParams }: Props) {
  const user = await requireUser();
  const { clientId } = await params;
  const client = await findWorkspaceClient(user, clientId);
  if (!client) notFound();
  const requestedView = (await searchParams).vue;
  const view: ExpenseView = EXPENSE_VIEWS.includes(requestedView as ExpenseView) ? (requestedView as ExpenseView) : 'missing';
  const [switchable, exportedCount, rows, pastExports] = await Promise.all([
    listSwitchableClients(user),
    countExportedExpenses(user.firmId, client.id),
    listClientExpenses(user.firmId, client.id, view),
    view === 'exported' ? listExports(user.firmId, client.id) : Promise.resolve([]),
  ]);
  const counts: Record<ExpenseView, number> = {
    missing: client.missingReceipts,
    ready: client.readyToExport,
    exported: exportedCount,
  };

  return (
    <>
      <p className="breadcrumb">
        <Link href="/clients">← {fr.workspace.back}</Link>
      </p>
      <div className="page-title">
        <h1>{client.name}</h1>
        <form action="/clients/ouvrir" method="get" className="switcher">
          <label htmlFor="switch-client">{fr.workspace.switcher}</label>
          <select id="switch-client" name="id" defaultValue={client.id}>
            {switchable.clients.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
          <button type="submit" className="button">
            {fr.workspace.switch}
          </button>
          {switchable.more ? <Link href="/clients">{fr.workspace.moreClients}</Link> : null}
        </form>
      </div>

      <section className="cards" aria-label="Synthèse">
        <div className="card">
          <p className="card-label">{fr.workspace.balance}</p>
          <p className={`card-value${client.balanceCents < 0 ? ' negative' : ''}`}>{formatMoney(client.balanceCents, client.currency)}</p>
        </div>
        {EXPENSE_VIEWS.map((v) => (
          <div className="card" key={v}>
            <p className="card-label">{fr.workspace.views[v]}</p>
            <p className="card-value">{formatCount(counts[v])}</p>
          </div>
        ))}
        <div className="card card-link">
          <Link href={`/clients/${client.id}/details`}>{fr.workspace.details}</Link>
        </div>
      </section>

      <nav className="tabs" aria-label="Dépenses">
        {EXPENSE_VIEWS.map((v) => (
          <Link key={v} href={`/clients/${client.id}?vue=${v}`} className="tab" aria-current={v === view ? 'page' : undefined}>
            {fr.workspace.views[v]} ({formatCount(counts[v])})
          </Link>
        ))}
      </nav>

      {view === 'ready' ? <ExportButton action={exportExpensesAction} clientId={client.id} readyCount={client.readyToExport} /> : null}

      {view === 'exported' ? (
        <section className="panel" aria-labelledby="exports-title">
          <h2 id="exports-title">{fr.workspace.exports.title}</h2>
          {pastExports.length === 0 ? (
            <p className="muted">{fr.workspace.exports.none}</p>
          ) : (
            <ul className="reminder-list">
              {pastExports.map((e) => (
                <li key={e.id}>
                  <p>
                    {fr.workspace.exports.line(formatDateTime(e.createdAt), e.createdByName, formatCount(e.expenseCount), formatMoney(e.totalCents, e.currency))}{' '}
                    <a href={`/clients/${client.id}/exports/${e.id}`}>{fr.workspace.exports.download}</a>
                  </p>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}

      {rows.length === 0 ? (
        <div className="empty">
          <p>{fr.workspace.empty[view]}</p>
        </div>
      ) : (
        <>
          {counts[view] > rows.length ? (
            <p className="muted">{fr.workspace.shownOf(formatCount(rows.length), formatCount(counts[view]))}</p>
          ) : null}
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{fr.workspace.columns.date}</th>
                  <th scope="col">{fr.workspace.columns.merchant}</th>
                  <th scope="col">{fr.workspace.columns.category}</th>
                  <th scope="col" className="num">
                    {fr.workspace.columns.amount}
                  </th>
                  <th scope="col">{fr.workspace.columns.receipt}</th>
                  <th scope="col">{fr.workspace.columns.export}</th>
                  {view === 'missing' ? <th scope="col" className="num">{fr.workspace.columns.age}</th> : null}
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.id}>
                    <td>{formatDay(row.spentOn)}</td>
                    <td>{row.merchant}</td>
                    <td>{row.category ?? <span className="muted">—</span>}</td>
                    <td className="num">{formatMoney(row.amountCents, row.currency)}</td>
                    <td>
                      <span className={`badge receipt-${row.receiptState}`}>{fr.receipt[row.receiptState]}</span>
                    </td>
                    <td>
                      <span className={`badge export-${row.exportState}`}>{fr.export[row.exportState]}</span>
                    </td>
                    {view === 'missing' ? <td className="num">{fr.workspace.ageDays(row.ageDays)}</td> : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}
