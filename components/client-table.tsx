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
};

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
function SortHeader({ label, sort, numeric }: { label: string; sort: ColumnSort[SortableColumn]; numeric?: boolean }) {
  const t = useTranslations();
  return (
    <th
      scope="col"
      className={numeric ? 'num sortable' : 'sortable'}
      aria-sort={sort.dir === 'asc' ? 'ascending' : sort.dir === 'desc' ? 'descending' : undefined}
    >
      <a href={sort.href} title={t('clients.sortByColumn', { column: label })}>
        {label}
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
}: {
  rows: ClientTableRow[];
  bulkFormId?: string;
  isAdmin: boolean;
  sorting: ColumnSort;
}) {
  const t = useTranslations();
  const bulk = Boolean(bulkFormId);
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            {bulk ? (
              <th scope="col" className="select-col">
                <span className="visually-hidden">{t('clients.select')}</span>
              </th>
            ) : null}
            <SortHeader label={t('clients.columns.name')} sort={sorting.name} />
            <th scope="col">{t('clients.columns.status')}</th>
            <SortHeader label={t('clients.columns.missing')} sort={sorting.missing} numeric />
            <SortHeader label={t('clients.columns.ready')} sort={sorting.ready} numeric />
            <SortHeader label={t('clients.columns.balance')} sort={sorting.balance} numeric />
            <th scope="col">{t('clients.columns.accountants')}</th>
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
              <th scope="row" className="client-name">
                {row.status === 'active' ? <a href={`/clients/${row.id}`}>{row.name}</a> : row.name}
              </th>
              <td>
                <StatusBadge status={row.status} verification={row.verificationState} />
              </td>
              <td className="num">{row.missingReceipts}</td>
              <td className="num">{row.readyToExport}</td>
              <td className={row.negative ? 'num negative' : 'num'}>{row.balance}</td>
              <td>{row.accountants || <span className="muted">{t('common.none')}</span>}</td>
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
                      <span className="bell" title={t('clients.followed', { frequency: row.followed })}>
                        <span aria-hidden="true">🔔</span>
                        <span className="visually-hidden">{t('clients.followed', { frequency: row.followed })}</span>
                      </span>
                    ) : null}
                    <RowMenu
                      label={t('clients.menu', { name: row.name })}
                      items={rowMenuItems(row, isAdmin, t)}
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
