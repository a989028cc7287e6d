'use client';

import { useTranslations } from 'next-intl';
import { ActionForm } from '@/components/action-form';
import { RowMenu, type RowMenuItem } from '@/components/row-menu';
import { StatusBadge } from '@/components/status-badge';
import type { ClientStatus, VerificationState } from '@/db/schema';
import { acceptConnectionRequestAction, declineConnectionRequestAction } from '@/lib/connection-requests/actions';

/**
 * One row of the Clients page, as the server sends it: plain data with its figures already
 * written in the user's language. The table is a client component on purpose: its props travel in
 * the page's RSC payload as these few fields per row instead of as ~20 serialized elements per row,
 * which took the page from 75 KB to 44 KB (see BENCHMARKS.md). It renders to the
 * same HTML on the server and works without JavaScript.
 */
export type ClientTableRow = {
  id: string;
  name: string;
  status: ClientStatus;
  verificationState: VerificationState | null;
  missingReceipts: string;
  readyToExport: string;
  balance: string;
  negative: boolean;
  accountants: string;
  /** The viewer's digest frequency for this client, if they follow it (the bell). */
  followed: 'daily' | 'weekly' | 'monthly' | null;
  /** Who asked (Invitations) and since when, written in the user's language. */
  contact: string;
  since: string;
};

/**
 * Which columns a tab shows: connected clients their three figures; Invitations who asked and
 * since when; Intégration the verification step and since when. No « Statut » column where every
 * row has the same one.
 */
export type TableVariant = 'connected' | 'invitations' | 'integration';

type Translate = (key: 'clients.open' | 'clients.details' | 'clients.notify') => string;

/** What the "⋯" menu of a row offers (the details page offers the same, as the no-JavaScript fallback). */
export function rowMenuItems(
  row: Pick<ClientTableRow, 'id' | 'status'>,
  isAdmin: boolean,
  t: Translate,
): RowMenuItem[] {
  const items: RowMenuItem[] = [];
  if (row.status === 'active') items.push({ href: `/clients/${row.id}`, label: t('clients.open') });
  items.push({ href: `/clients/${row.id}/details`, label: t('clients.details') });
  if (row.status === 'active' && isAdmin)
    items.push({ href: `/clients/${row.id}/notifier`, label: t('clients.notify') });
  return items;
}

type SortableColumn = 'name' | 'missing' | 'ready' | 'balance';
/** Per sortable column: whether the list is sorted by it (and which way), and the link that sorts by it. */
export type ColumnSort = Record<SortableColumn, { dir: 'asc' | 'desc' | null; href: string }>;

/**
 * A header that sorts the list: a link (works without JavaScript), ▲/▼ on the active column, and
 * aria-sort for screen readers.
 */
function SortHeader({
  label,
  short,
  sort,
  numeric,
}: {
  label: string;
  /** What the narrow header shows; the full wording is its tooltip and what screen readers hear. */
  short?: string;
  sort: ColumnSort[SortableColumn];
  numeric?: boolean;
}) {
  const t = useTranslations();
  return (
    <th
      scope="col"
      className={numeric ? 'num sortable' : 'sortable'}
      aria-sort={sort.dir === 'asc' ? 'ascending' : sort.dir === 'desc' ? 'descending' : undefined}
    >
      <a href={sort.href} title={t('clients.sortByColumn', { column: label })}>
        {short ? (
          <>
            <span aria-hidden="true">{short}</span>
            <span className="visually-hidden">{label}</span>
          </>
        ) : (
          label
        )}
        <span aria-hidden="true" className="sort-mark">
          {sort.dir === 'asc' ? ' ▲' : sort.dir === 'desc' ? ' ▼' : ''}
        </span>
      </a>
    </th>
  );
}

/** The Clients page table; with `bulkFormId`, a checkbox per row for that "Attribuer à…" form. */
export function ClientTable({
  rows,
  bulkFormId,
  isAdmin,
  sorting,
  variant,
}: {
  rows: ClientTableRow[];
  bulkFormId?: string;
  isAdmin: boolean;
  sorting: ColumnSort;
  variant: TableVariant;
}) {
  const t = useTranslations();
  const bulk = Boolean(bulkFormId);
  // The cells' labels for the phone cards and the bell's words, translated once for the table
  // rather than once a row.
  const label = {
    missing: t('clients.columnsShort.missing'),
    ready: t('clients.columnsShort.ready'),
    balance: t('clients.columns.balance'),
    contact: t('clients.columns.contact'),
    since: t('clients.columns.since'),
    accountants: t('clients.accountantsLabel'),
    followed: {
      daily: t('clients.followed', { frequency: 'daily' }),
      weekly: t('clients.followed', { frequency: 'weekly' }),
      monthly: t('clients.followed', { frequency: 'monthly' }),
    },
  };
  return (
    <div className="table-wrap">
      <table className="table compact client-list" data-variant={variant}>
        <thead>
          <tr>
            {bulk ? (
              <th scope="col" className="select-col">
                <span className="visually-hidden">{t('clients.select')}</span>
              </th>
            ) : null}
            <SortHeader label={t('clients.columns.name')} sort={sorting.name} />
            {variant === 'connected' ? (
              <>
                <SortHeader
                  label={t('clients.columns.missing')}
                  short={t('clients.columnsShort.missing')}
                  sort={sorting.missing}
                  numeric
                />
                <SortHeader
                  label={t('clients.columns.ready')}
                  short={t('clients.columnsShort.ready')}
                  sort={sorting.ready}
                  numeric
                />
                <SortHeader label={t('clients.columns.balance')} sort={sorting.balance} numeric />
              </>
            ) : variant === 'invitations' ? (
              <th scope="col">{t('clients.columns.contact')}</th>
            ) : (
              <th scope="col">{t('clients.columns.step')}</th>
            )}
            {variant !== 'connected' ? <th scope="col">{t('clients.columns.since')}</th> : null}
            {variant !== 'invitations' ? (
              <th scope="col" title={t('clients.columns.accountants')}>
                <span aria-hidden="true">{t('clients.columnsShort.accountants')}</span>
                <span className="visually-hidden">{t('clients.columns.accountants')}</span>
              </th>
            ) : null}
            <th scope="col">
              <span className="visually-hidden">{t('clients.columns.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              {bulk ? (
                <td className="select-col">
                  <input
                    type="checkbox"
                    form={bulkFormId}
                    name="clientIds"
                    value={row.id}
                    aria-label={t('clients.selectClient', { name: row.name })}
                  />
                </td>
              ) : null}
              <th scope="row" className="client-name" title={row.name}>
                {row.status === 'active' ? <a href={`/clients/${row.id}`}>{row.name}</a> : row.name}
              </th>
              {variant === 'connected' ? (
                <>
                  {/* On a phone the row is a card and the headers are out of sight: each cell shows
                      its data-label there (CSS), the text of the cell itself staying the figure. */}
                  <td className="num figure" data-label={label.missing}>
                    {row.missingReceipts}
                  </td>
                  <td className="num figure" data-label={label.ready}>
                    {row.readyToExport}
                  </td>
                  <td className={row.negative ? 'num figure negative' : 'num figure'} data-label={label.balance}>
                    {row.balance}
                  </td>
                </>
              ) : variant === 'invitations' ? (
                <td className="ellipsis" title={row.contact} data-label={label.contact}>
                  {row.contact || <span className="muted">{t('common.none')}</span>}
                </td>
              ) : (
                <td>
                  <StatusBadge status={row.status} verification={row.verificationState} />
                </td>
              )}
              {variant !== 'connected' ? (
                <td className="nowrap" data-label={label.since}>
                  {row.since}
                </td>
              ) : null}
              {variant !== 'invitations' ? (
                <td className="ellipsis accountants" title={row.accountants} data-label={label.accountants}>
                  {row.accountants || <span className="muted">{t('common.none')}</span>}
                </td>
              ) : null}
              <td className="actions">
                {row.status === 'invitation' && isAdmin ? (
                  <div className="decision">
                    <ActionForm
                      action={acceptConnectionRequestAction}
                      hidden={{ clientId: row.id }}
                      submitLabel={t('connectionRequests.accept')}
                      buttonClassName="button small primary"
                    />
                    <ActionForm
                      action={declineConnectionRequestAction}
                      hidden={{ clientId: row.id }}
                      submitLabel={t('connectionRequests.decline')}
                      buttonClassName="button small"
                      confirm={{
                        title: t('connectionRequests.declineConfirmTitle', { name: row.name }),
                        body: t('connectionRequests.declineConfirmBody', { name: row.name }),
                        confirmLabel: t('connectionRequests.decline'),
                        cancelLabel: t('common.cancel'),
                      }}
                    />
                    <a href={`/clients/${row.id}/details`}>{t('clients.details')}</a>
                  </div>
                ) : (
                  <>
                    {row.followed ? (
                      <span className="bell" title={label.followed[row.followed]}>
                        <span aria-hidden="true">🔔</span>
                        <span className="visually-hidden">{label.followed[row.followed]}</span>
                      </span>
                    ) : null}
                    <RowMenu
                      label={t('clients.menu', { name: row.name })}
                      items={() => rowMenuItems(row, isAdmin, t)}
                      fallbackHref={`/clients/${row.id}/details`}
                    />
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
