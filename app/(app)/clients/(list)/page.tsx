import type { Metadata } from 'next';
import { Link } from '@/components/link';
import { ActionForm, Field } from '@/components/action-form';
import { ClientTable, type ClientTableRow } from '@/components/client-table';
import { requireUser } from '@/lib/auth/session';
import { bulkAssignAction } from '@/lib/assignments/actions';
import { listAssignableUsers } from '@/lib/assignments/assignments';
import { findDeclinedClientName, listClients, listVisibleTabs, type ClientListRow } from '@/lib/clients/queries';
import {
  CLIENT_SORTS,
  clientListHref,
  MAX_SEARCH_LENGTH,
  PAGE_SIZE,
  parseClientListParams,
  type ClientListParams,
} from '@/lib/clients/schemas';
import { formatCount, formatMoney } from '@/lib/format';
import { fr } from '@/lib/i18n/fr';

export const metadata: Metadata = { title: fr.clients.title };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const BULK_FORM = 'attribuer';

function toTableRow(row: ClientListRow): ClientTableRow {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    verificationState: row.verificationState,
    missingReceipts: formatCount(row.missingReceipts),
    readyToExport: formatCount(row.readyToExport),
    balance: formatMoney(row.balanceCents, row.currency),
    negative: row.balanceCents < 0,
    accountants: row.accountants.map((a) => a.name).join(', '),
  };
}

export default async function ClientsPage({ searchParams }: Props) {
  const user = await requireUser();
  const search = await searchParams;
  const requested = parseClientListParams(search);
  const declined = typeof search.refus === 'string' ? await findDeclinedClientName(user, search.refus) : undefined;
  const [tabs, requestedList, team] = await Promise.all([
    listVisibleTabs(user),
    listClients(user, requested),
    user.role === 'admin' ? listAssignableUsers(user.firmId) : Promise.resolve([]),
  ]);
  // A tab that is not shown to this user (role, or empty) falls back to "Mes clients".
  const params: ClientListParams = tabs.includes(requested.tab) ? requested : { ...requested, tab: 'mes-clients' };
  const list = params === requested ? requestedList : await listClients(user, params);
  const current = { ...params, page: list.page };
  const isAdmin = user.role === 'admin';
  // Admins pick rows and "Attribuer à…" one accountant, on every tab but Invitations.
  const bulk = isAdmin && params.tab !== 'invitations' && list.rows.length > 0;
  const filtered = Boolean(params.q) || params.missingOnly;
  const first = (list.page - 1) * PAGE_SIZE + 1;
  const last = first + list.rows.length - 1;

  return (
    <>
      <div className="page-title">
        <h1>{fr.clients.title}</h1>
        {isAdmin ? (
          <Link href="/clients/inviter" className="button primary">
            {fr.onboarding.inviteTitle}
          </Link>
        ) : null}
      </div>

      {declined ? (
        <p className="banner success" role="status">
          {fr.onboarding.declined(declined)}
        </p>
      ) : null}

      <nav className="tabs" aria-label="Onglets des clients">
        {tabs.map((tab) => (
          <a key={tab} href={clientListHref({ ...current, tab, page: 1 })} aria-current={tab === params.tab ? 'page' : undefined} className="tab">
            {fr.clients.tabs[tab]}
          </a>
        ))}
      </nav>

      <form action="/clients" method="get" className="toolbar" role="search">
        {params.tab !== 'mes-clients' ? <input type="hidden" name="tab" value={params.tab} /> : null}
        <div className="field grow">
          <label htmlFor="q">{fr.clients.search}</label>
          <input id="q" name="q" type="search" defaultValue={params.q} maxLength={MAX_SEARCH_LENGTH} placeholder="Nom du client" />
        </div>
        <details className="more-filters" open={params.missingOnly || undefined}>
          <summary>{fr.clients.moreFilters}</summary>
          <div className="more-filters-body">
            <label className="checkbox">
              <input type="checkbox" name="missing" value="1" defaultChecked={params.missingOnly} />
              {fr.clients.missingFilter}
            </label>
          </div>
        </details>
        <div className="field">
          <label htmlFor="sort">{fr.clients.sortBy}</label>
          <select id="sort" name="sort" defaultValue={params.sort}>
            {CLIENT_SORTS.map((sort) => (
              <option key={sort} value={sort}>
                {fr.clients.sorts[sort]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="dir">Ordre</label>
          <select id="dir" name="dir" defaultValue={params.dir}>
            <option value="asc">{fr.clients.directions.asc}</option>
            <option value="desc">{fr.clients.directions.desc}</option>
          </select>
        </div>
        <button type="submit" className="button primary">
          {fr.clients.apply}
        </button>
        {filtered ? (
          <Link href={clientListHref({ ...current, q: '', missingOnly: false, page: 1 })} className="button">
            {fr.clients.reset}
          </Link>
        ) : null}
      </form>

      {list.rows.length === 0 ? (
        <div className="empty">
          <p>
            {filtered
              ? fr.clients.empty.search
              : params.tab === 'mes-clients'
                ? fr.clients.empty.mine
                : fr.clients.empty.default}
          </p>
          {filtered ? (
            <Link href={clientListHref({ ...current, q: '', missingOnly: false, page: 1 })}>{fr.clients.clearSearch}</Link>
          ) : null}
        </div>
      ) : (
        <>
          <p className="muted" aria-live="polite">
            {fr.clients.count(
              `${formatCount(first)}–${formatCount(last)}`,
              list.totalIsExact ? `${formatCount(list.total)} clients` : fr.clients.moreThan(formatCount(list.total - 1)),
            )}
          </p>
          {/* The row checkboxes belong to the "Attribuer à…" form through their form attribute,
              so that the table does not have to sit inside that form. */}
          <ClientTable rows={list.rows.map(toTableRow)} bulkFormId={bulk ? BULK_FORM : undefined} isAdmin={isAdmin} />
          {bulk ? (
            <ActionForm id={BULK_FORM} action={bulkAssignAction} className="bulk-bar" submitLabel={fr.clients.assign} buttonClassName="button primary">
              <Field
                name="userId"
                label={fr.clients.assignTo}
                type="select"
                options={[{ value: '', label: fr.clients.chooseAccountant }, ...team.map((u) => ({ value: u.id, label: u.name }))]}
              />
            </ActionForm>
          ) : null}
          {list.page > 1 || list.hasNext ? (
            <nav className="pagination" aria-label={fr.clients.pagination}>
              {list.page > 1 ? (
                <a href={clientListHref(current, { page: list.page - 1 })} rel="prev">
                  {fr.clients.previous}
                </a>
              ) : (
                <span aria-disabled="true" className="disabled">
                  {fr.clients.previous}
                </span>
              )}
              <span>
                {list.pageCount ? fr.clients.page(formatCount(list.page), formatCount(list.pageCount)) : fr.clients.pageOnly(formatCount(list.page))}
              </span>
              {list.hasNext ? (
                <a href={clientListHref(current, { page: list.page + 1 })} rel="next">
                  {fr.clients.next}
                </a>
              ) : (
                <span aria-disabled="true" className="disabled">
                  {fr.clients.next}
                </span>
              )}
            </nav>
          ) : null}
        </>
      )}
    </>
  );
}
