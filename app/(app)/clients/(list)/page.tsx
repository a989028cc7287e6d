import { randomUUID } from 'node:crypto';
import type { Metadata } from 'next';
import { Link } from '@/components/link';
import { ActionForm, Field } from '@/components/action-form';
import { BulkSelection } from '@/components/bulk-selection';
import { FilterChip, FilterSelect } from '@/components/filter-select';
import { InstantFilters } from '@/components/instant-filters';
import { ClientTable, type ClientTableRow, type ColumnSort, type TableVariant } from '@/components/client-table';
import { clientTableLabels } from '@/components/client-table-labels';
import { requireUser } from '@/lib/access/session';
import { bulkClientsAction, bulkClientsWithoutScriptAction } from '@/lib/clients/actions';
import { openActionResult } from '@/lib/server/action-result';
import { listAssignableUsers } from '@/lib/assignments/queries';
import { findDeclinedClientName, listClients, listTabs, type ClientListRow } from '@/lib/clients/queries';
import {
  BULK_MAX,
  CLIENT_COLUMNS,
  CLIENT_SORTS,
  clientListHref,
  clientListQuery,
  MAX_SEARCH_LENGTH,
  PAGE_SIZES,
  parseClientListParams,
  type ClientColumn,
  type ClientListParams,
} from '@/lib/clients/schemas';
import { getI18n } from '@/lib/access/request-locale';
import { FREQUENCIES } from '@/lib/notifications/schedule';
import { listGroups } from '@/lib/groups/groups';
import { listViews } from '@/lib/views/views';
import { deleteViewAction, saveViewAction } from '@/lib/views/actions';
import { parisWeek } from '@/lib/close/board';
import { i18nFor, type I18n } from '@/lib/server/i18n/translator';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getI18n()).t('clients.title') };
}

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** The URL's own state, without the view's id and the page's messages. */
function withoutView(search: Record<string, string | string[] | undefined>) {
  const rest = { ...search };
  for (const key of ['vue', 'resultat', 'refus', 'annulation']) delete rest[key];
  return rest;
}

const BULK_FORM = 'attribuer';

/** A row as the table shows it: only the columns of its tab are written (the others stay empty). */
function toTableRow(row: ClientListRow, { format }: I18n, variant: TableVariant, today: string): ClientTableRow {
  const connected = variant === 'connected';
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    verificationState: row.verificationState,
    missingReceipts: connected ? format.count(row.missingReceipts) : '',
    readyToExport: connected ? format.count(row.readyToExport) : '',
    balance: connected ? format.money(row.balanceCents, row.currency) : '',
    negative: row.balanceCents < 0,
    vatAtRisk: connected ? format.money(row.vatAtRiskCents, 'EUR') : '',
    closeOn: connected && row.closeOn ? format.day(row.closeOn) : '',
    late: connected && row.closeOn !== null && row.closeOn < today,
    accountants: variant !== 'invitations' ? row.accountants.map((a) => a.name).join(', ') : '',
    followed: row.followed,
    contact: variant === 'invitations' ? [row.contactName, row.contactEmail].filter(Boolean).join(' · ') : '',
    since: connected ? '' : format.day(row.createdAt.toISOString().slice(0, 10)),
  };
}

/** Each optional column's header (the URL says `recus`, the table `missing`). */
const COLUMN_LABEL = {
  recus: 'missing',
  export: 'ready',
  solde: 'balance',
  tva: 'vat',
  echeance: 'close',
  comptables: 'accountants',
} as const satisfies Record<ClientColumn, string>;

export default async function ClientsPage({ searchParams }: Props) {
  const user = await requireUser();
  const i18n = i18nFor(user.locale);
  const { t } = i18n;
  const search = await searchParams;
  // A saved view (`vue`, one of those the user sees): its state, under whatever the URL says besides.
  const [views, groups] = await Promise.all([listViews(user), listGroups(user)]);
  const view = views.find((v) => v.id === search.vue);
  const parsed = parseClientListParams(
    view ? { ...Object.fromEntries(new URLSearchParams(view.query)), ...withoutView(search) } : search,
  );
  const declined = typeof search.refus === 'string' ? await findDeclinedClientName(user, search.refus) : undefined;
  const cancelled =
    typeof search.annulation === 'string' ? await findDeclinedClientName(user, search.annulation) : undefined;
  // A group the user does not see (another member's, a stale link) filters nothing.
  const group = groups.find((g) => g.id === parsed.group);
  const requested: ClientListParams = group ? parsed : { ...parsed, group: undefined };
  const [tabCounts, requestedList, team] = await Promise.all([
    listTabs(user),
    listClients(user, requested),
    user.role === 'admin' ? listAssignableUsers(user.firmId) : Promise.resolve([]),
  ]);
  const editableGroups = groups.filter((g) => g.personal || user.role === 'admin');
  const tabs = tabCounts.map((c) => c.tab);
  // A tab that is not shown to this user (role, or empty) falls back to "Mes clients".
  const params: ClientListParams = tabs.includes(requested.tab) ? requested : { ...requested, tab: 'mes-clients' };
  const list = params === requested ? requestedList : await listClients(user, params);
  const current = { ...params, page: list.page };
  const isAdmin = user.role === 'admin';
  // Admins pick rows and "Attribuer à…" one accountant, on every tab but Invitations.
  const rowsAreConnected = params.tab === 'mes-clients' || params.tab === 'tous';
  // The bulk bar: admins assign on every tab but Invitations; anyone subscribes to connected clients.
  const canAssign = isAdmin && params.tab !== 'invitations';
  const bulk = (canAssign || rowsAreConnected) && list.rows.length > 0;
  const filtered = Boolean(params.q) || params.missingOnly || params.lateOnly || Boolean(group);
  const { today } = parisWeek(new Date());
  const variant: TableVariant =
    params.tab === 'invitations' ? 'invitations' : params.tab === 'integration' ? 'integration' : 'connected';
  const tableLabels = clientTableLabels(i18n);
  // A header sorts by its column: again on the active one turns the order round; a new one starts
  // A → Z for the name and largest first for the figures (what one looks for first).
  const sortLink = (column: ClientListParams['sort']) => ({
    dir: params.sort === column ? params.dir : null,
    href: clientListHref(current, {
      sort: column,
      dir:
        params.sort === column
          ? params.dir === 'asc'
            ? 'desc'
            : 'asc'
          : column === 'name' || column === 'echeance'
            ? 'asc'
            : 'desc',
      page: 1,
    }),
  });
  const sorting: ColumnSort = {
    name: sortLink('name'),
    missing: sortLink('missing'),
    ready: sortLink('ready'),
    balance: sortLink('balance'),
    vat: sortLink('vat'),
    echeance: sortLink('echeance'),
  };
  // « Tout sélectionner (n) »: offered when the list is longer than the page and its count exact
  // and within what one action may touch.
  const wholeList =
    // (Not with « En retard »: the whole list's action reads tab, search and « Reçus manquants » only.)
    bulk && !params.lateOnly && list.totalIsExact && list.total > list.rows.length && list.total <= BULK_MAX
      ? {
          tab: params.tab,
          q: params.q,
          missing: params.missingOnly,
          group: params.group,
          count: list.total,
          label: t('clients.selectAllFiltered', { count: list.total }),
        }
      : undefined;
  // The bulk bar's result after it ran without JavaScript (see bulkClientsWithoutScriptAction).
  const bulkResult = typeof search.resultat === 'string' ? openActionResult(search.resultat, user.id) : undefined;
  const first = (list.page - 1) * params.size + 1;
  const last = first + list.rows.length - 1;

  return (
    <div className="clients-page">
      {/* The page's title for screen readers and the tab's name; on screen, the navigation already
          says « Clients » and the rows get the room. */}
      <h1 className="visually-hidden">{t('clients.title')}</h1>

      {cancelled ? (
        <p className="banner success" role="status">
          {t('clientInvitations.cancelled', { name: cancelled })}
        </p>
      ) : null}
      {declined ? (
        <p className="banner success" role="status">
          {t('connectionRequests.declined', { name: declined })}
        </p>
      ) : null}

      <div className="tabs-row">
        <nav className="tabs" aria-label={t('clients.tabsLabel')}>
          {tabCounts.map(({ tab, count, capped }) => (
            <a
              key={tab}
              href={clientListHref({ ...current, tab, page: 1 })}
              aria-current={tab === params.tab ? 'page' : undefined}
              className="tab"
            >
              {t(capped ? 'clients.tabCountCapped' : 'clients.tabCount', {
                label: t(`clients.tabs.${tab}`),
                count,
              })}
            </a>
          ))}
        </nav>
        {/* Saved views: a menu in the tabs' row, which leaves the rows their room. */}
        <details className="more-filters views-menu">
          <summary>{view ? view.name : t('views.label')}</summary>
          <div className="more-filters-body stack">
            {views.length > 0 ? (
              <ul className="plain-list" aria-label={t('views.label')}>
                {views.map((v) => (
                  <li key={v.id}>
                    <a href={`/clients?vue=${v.id}`} aria-current={v.id === view?.id ? 'page' : undefined}>
                      {v.name}
                    </a>
                    {v.shared ? <span className="muted"> · {t('views.shared')}</span> : null}
                  </li>
                ))}
              </ul>
            ) : null}
            <ActionForm
              action={saveViewAction}
              submitLabel={t('views.save')}
              hidden={{ query: clientListQuery(current).toString() }}
            >
              <Field
                name="name"
                form="view"
                label={t('views.name')}
                defaultValue={view?.mine ? view.name : ''}
                required
              />
              <label className="checkbox">
                <input type="checkbox" name="shared" value="1" defaultChecked={view?.shared} />
                {t('views.share')}
              </label>
            </ActionForm>
            {view && (view.mine || isAdmin) ? (
              <ActionForm
                action={deleteViewAction}
                hidden={{ viewId: view.id }}
                submitLabel={t('views.delete')}
                buttonClassName="button small"
                confirm={{
                  title: t('views.deleteTitle', { name: view.name }),
                  body: t('views.deleteBody'),
                  confirmLabel: t('views.delete'),
                  cancelLabel: t('common.cancel'),
                }}
              />
            ) : null}
          </div>
        </details>
        <Link href="/clients/groupes" className="button">
          {t('groups.link')}
        </Link>
        {!isAdmin && user.accessRequests ? (
          <Link href="/clients/acces" className="button">
            {t('access.link')}
          </Link>
        ) : null}
        {isAdmin ? (
          <Link href="/clients/inviter" className="button primary">
            {t('clientInvitations.title')}
          </Link>
        ) : null}
      </div>

      <InstantFilters
        action="/clients"
        className="toolbar"
        toggleLabel={t('clients.filtersToggle', {
          count:
            Number(Boolean(params.q)) + Number(params.missingOnly) + Number(params.lateOnly) + Number(Boolean(group)),
        })}
      >
        {params.tab !== 'mes-clients' ? <input type="hidden" name="tab" value={params.tab} /> : null}
        <div className="field grow">
          <label htmlFor="q">{t('clients.search')}</label>
          <input
            id="q"
            name="q"
            type="search"
            defaultValue={params.q}
            maxLength={MAX_SEARCH_LENGTH}
            placeholder={t('clients.searchPlaceholder')}
          />
        </div>
        <details className="more-filters" open={params.missingOnly || params.lateOnly || Boolean(group) || undefined}>
          <summary>{t('clients.moreFilters')}</summary>
          <div className="more-filters-body">
            <label className="checkbox">
              <input type="checkbox" name="missing" value="1" defaultChecked={params.missingOnly} />
              {t('clients.missingFilter')}
            </label>
            <label className="checkbox">
              <input type="checkbox" name="retard" value="1" defaultChecked={params.lateOnly} />
              {t('clients.lateFilter')}
            </label>
            {groups.length > 0 ? (
              <FilterSelect
                name="groupe"
                label={t('groups.filter')}
                options={[
                  { value: '', label: t('groups.anyGroup') },
                  ...groups.map((g) => ({ value: g.id, label: g.name })),
                ]}
                defaultValue={group?.id ?? ''}
              />
            ) : null}
            {variant === 'connected' ? (
              <fieldset className="column-choice">
                <legend>{t('clients.columnsShown')}</legend>
                {/* The name is always shown: sent even when every box is unticked. */}
                <input type="hidden" name="colonnes" value="nom" />
                {CLIENT_COLUMNS.map((column) => (
                  <label key={column} className="checkbox">
                    <input
                      type="checkbox"
                      name="colonnes"
                      value={column}
                      aria-label={t('clients.columnChoice', { column: tableLabels.columns[COLUMN_LABEL[column]] })}
                      defaultChecked={params.columns.includes(column)}
                    />
                    {tableLabels.columns[COLUMN_LABEL[column]]}
                  </label>
                ))}
              </fieldset>
            ) : null}
          </div>
        </details>
        <div className="field">
          <label htmlFor="sort" className="visually-hidden">
            {t('clients.sortBy')}
          </label>
          <select id="sort" name="sort" defaultValue={params.sort}>
            {CLIENT_SORTS.map((sort) => (
              <option key={sort} value={sort}>
                {t(`clients.sorts.${sort}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="dir" className="visually-hidden">
            {t('clients.order')}
          </label>
          <select id="dir" name="dir" defaultValue={params.dir}>
            {/* Words that fit the key: A → Z for names, smallest or largest first for figures. */}
            <option value="asc">
              {t(
                params.sort === 'name'
                  ? 'clients.directions.asc'
                  : params.sort === 'echeance'
                    ? 'clients.directions.soonestFirst'
                    : 'clients.directions.smallestFirst',
              )}
            </option>
            <option value="desc">
              {t(
                params.sort === 'name'
                  ? 'clients.directions.desc'
                  : params.sort === 'echeance'
                    ? 'clients.directions.latestFirst'
                    : 'clients.directions.largestFirst',
              )}
            </option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="taille" className="visually-hidden">
            {t('clients.pageSize')}
          </label>
          <select id="taille" name="taille" defaultValue={String(params.size)}>
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {t('clients.perPage', { count: n })}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button primary apply-button">
          {t('clients.apply')}
        </button>
      </InstantFilters>

      {filtered ? (
        <ul className="chips" aria-label={t('clients.activeFilters')}>
          {params.q ? (
            <li>
              <a
                href={clientListHref(current, { q: '', page: 1 })}
                className="chip"
                aria-label={t('clients.removeSearch', { q: params.q })}
              >
                {t('clients.searchChip', { q: params.q })} <span aria-hidden="true">✕</span>
              </a>
            </li>
          ) : null}
          {group ? (
            <FilterChip
              href={clientListHref(current, { group: undefined, page: 1 })}
              label={t('groups.chip', { name: group.name })}
              removeLabel={t('groups.removeChip', { name: group.name })}
            />
          ) : null}
          {params.lateOnly ? (
            <FilterChip
              href={clientListHref(current, { lateOnly: false, page: 1 })}
              label={t('clients.lateChip')}
              removeLabel={t('clients.removeLate')}
            />
          ) : null}
          {params.missingOnly ? (
            <li>
              <a
                href={clientListHref(current, { missingOnly: false, page: 1 })}
                className="chip"
                aria-label={t('clients.removeMissing')}
              >
                {t('clients.missingChip')} <span aria-hidden="true">✕</span>
              </a>
            </li>
          ) : null}
          {/* « Réinitialiser » with the chips, not in the toolbar: the search box keeps its width
              whatever the filters. */}
          <li>
            <Link
              href={clientListHref({
                ...current,
                q: '',
                missingOnly: false,
                lateOnly: false,
                group: undefined,
                page: 1,
              })}
              className="chip"
            >
              {t('clients.reset')}
            </Link>
          </li>
        </ul>
      ) : null}

      {list.rows.length === 0 ? (
        <div className="empty">
          <p>
            {filtered
              ? t('clients.empty.search')
              : params.tab === 'mes-clients'
                ? t('clients.empty.mine')
                : t('clients.empty.default')}
          </p>
          {!filtered && isAdmin && params.tab === 'mes-clients' && tabs.includes('tous') ? (
            // An admin with no client of their own: not a dead end, the firm's list is one click away.
            <Link href={clientListHref({ ...current, tab: 'tous', page: 1 })} className="button primary">
              {t('clients.seeAll')}
            </Link>
          ) : null}
          {filtered ? (
            <Link
              href={clientListHref({
                ...current,
                q: '',
                missingOnly: false,
                lateOnly: false,
                group: undefined,
                page: 1,
              })}
            >
              {t('clients.clearSearch')}
            </Link>
          ) : null}
        </div>
      ) : (
        <>
          <p className="muted" aria-live="polite">
            {list.totalIsExact
              ? t('clients.range', { first, last, total: list.total })
              : t('clients.rangeCapped', { first, last, total: list.total - 1 })}
          </p>
          {/* The row checkboxes belong to the "Attribuer à…" form through their form attribute,
              so that the table does not have to sit inside that form. */}
          <ClientTable
            rows={list.rows.map((row) => toTableRow(row, i18n, variant, today))}
            bulkFormId={bulk ? BULK_FORM : undefined}
            isAdmin={isAdmin}
            sorting={sorting}
            labels={tableLabels}
            variant={variant}
            shown={params.columns}
          />
          {bulk ? (
            <ActionForm
              id={BULK_FORM}
              action={bulkClientsAction}
              noScriptAction={bulkClientsWithoutScriptAction}
              initialState={bulkResult}
              className="bulk-bar"
              submitLabel={canAssign ? t('clients.assign') : t('clients.subscribe')}
              submitName="op"
              submitValue={canAssign ? 'assign' : 'subscribe'}
              buttonClassName="button primary"
              confirmIfField={wholeList ? 'scope' : undefined}
              confirm={
                wholeList
                  ? {
                      title: t('clients.allConfirmTitle', { count: wholeList.count }),
                      body: t('clients.allConfirmBody', { count: wholeList.count }),
                      confirmLabel: t('clients.allConfirm'),
                      cancelLabel: t('common.cancel'),
                    }
                  : undefined
              }
            >
              {/* Where the form without JavaScript comes back to, with its result. */}
              <input type="hidden" name="liste" value={clientListQuery(current).toString()} />
              <BulkSelection
                formId={BULK_FORM}
                pageIds={list.rows.map((r) => r.id)}
                selectionKey={[
                  user.id,
                  params.tab,
                  params.q,
                  params.missingOnly ? '1' : '',
                  params.lateOnly ? '1' : '',
                ].join('|')}
                all={wholeList}
                tooLong={
                  !wholeList && list.hasNext && (!list.totalIsExact || list.total > BULK_MAX)
                    ? t('clients.selectAllTooMany', { max: BULK_MAX })
                    : undefined
                }
              />
              {canAssign ? (
                <Field
                  name="userId"
                  label={t('clients.assignTo')}
                  type="select"
                  options={[
                    { value: '', label: t('clients.chooseAccountant') },
                    ...team.map((u) => ({ value: u.id, label: u.name })),
                  ]}
                />
              ) : null}
              {rowsAreConnected ? (
                <Field
                  name="frequency"
                  label={t('clients.subscribeTo')}
                  type="select"
                  defaultValue="weekly"
                  options={FREQUENCIES.map((f) => ({ value: f, label: t(`notifications.frequencies.${f}`) }))}
                />
              ) : null}
              {editableGroups.length > 0 ? (
                <>
                  <Field
                    name="groupId"
                    label={t('groups.addTo')}
                    type="select"
                    options={[
                      { value: '', label: t('groups.chooseGroup') },
                      ...editableGroups.map((g) => ({ value: g.id, label: g.name })),
                    ]}
                  />
                  <button type="submit" name="op" value="group" className="button">
                    {t('groups.add')}
                  </button>
                </>
              ) : null}
              {canAssign && rowsAreConnected ? (
                <button type="submit" name="op" value="subscribe" className="button">
                  {t('clients.subscribe')}
                </button>
              ) : null}
              {rowsAreConnected ? (
                <>
                  {/* « Demander les reçus »: every missing receipt of the ticked clients, one e-mail per person. */}
                  <input type="hidden" name="formToken" value={randomUUID()} />
                  <button type="submit" name="op" value="receipts" className="button">
                    {t('clients.requestReceipts')}
                  </button>
                </>
              ) : null}
            </ActionForm>
          ) : null}
          {list.page > 1 || list.hasNext ? (
            <nav className="pagination" aria-label={t('clients.pagination')}>
              {list.page > 1 ? (
                <a href={clientListHref(current, { page: list.page - 1 })} rel="prev">
                  {t('clients.previous')}
                </a>
              ) : (
                <span aria-disabled="true" className="disabled">
                  {t('clients.previous')}
                </span>
              )}
              <span>
                {list.pageCount
                  ? t('clients.page', { page: list.page, count: list.pageCount })
                  : t('clients.pageOnly', { page: list.page })}
              </span>
              {list.hasNext ? (
                <a href={clientListHref(current, { page: list.page + 1 })} rel="next">
                  {t('clients.next')}
                </a>
              ) : (
                <span aria-disabled="true" className="disabled">
                  {t('clients.next')}
                </span>
              )}
            </nav>
          ) : null}
        </>
      )}
    </div>
  );
}
