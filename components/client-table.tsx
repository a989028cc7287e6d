'use client';

import type { CSSProperties } from 'react';
import { ActionForm } from '@/components/action-form';
import { fillName, type ClientTableLabels } from '@/components/client-table-labels';
import { RowMenu, type RowMenuItem } from '@/components/row-menu';
import { StatusBadge } from '@/components/status-badge';
import type { ClientStatus, VerificationState } from '@/db/schema';
import type { ClientColumn } from '@/lib/clients/schemas';
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
  /** « TVA à risque » and « Échéance » (the month to close's close date), written for the user. */
  vatAtRisk: string;
  closeOn: string;
  late: boolean;
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

/** What the "⋯" menu of a row offers (the details page offers the same, as the no-JavaScript fallback). */
export function rowMenuItems(
  row: Pick<ClientTableRow, 'id' | 'status'>,
  isAdmin: boolean,
  labels: ClientTableLabels['menu'],
): RowMenuItem[] {
  const items: RowMenuItem[] = [];
  if (row.status === 'active') items.push({ href: `/clients/${row.id}`, label: labels.open });
  items.push({ href: `/clients/${row.id}/details`, label: labels.details });
  if (row.status === 'active' && isAdmin) items.push({ href: `/clients/${row.id}/notifier`, label: labels.notify });
  return items;
}

type SortableColumn = 'name' | 'missing' | 'ready' | 'balance' | 'vat' | 'echeance';
/** Per sortable column: whether the list is sorted by it (and which way), and the link that sorts by it. */
export type ColumnSort = Record<SortableColumn, { dir: 'asc' | 'desc' | null; href: string }>;

/**
 * A header that sorts the list: a link (works without JavaScript), ▲/▼ on the active column, and
 * aria-sort for screen readers.
 */
function SortHeader({
  label,
  short,
  title,
  sort,
  numeric,
}: {
  label: string;
  /** What the narrow header shows; the full wording is its tooltip and what screen readers hear. */
  short?: string;
  /** « Trier par … » */
  title: string;
  sort: ColumnSort[SortableColumn];
  numeric?: boolean;
}) {
  return (
    <th
      scope="col"
      className={numeric ? 'num sortable' : 'sortable'}
      aria-sort={sort.dir === 'asc' ? 'ascending' : sort.dir === 'desc' ? 'descending' : undefined}
    >
      <a href={sort.href} title={title}>
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

/** A CSS string: the text between double quotes, with its quotes and backslashes escaped. */
function cssString(text: string): string {
  return `"${text.replace(/["\\]/g, '\\$&').replace(/[\n\r]/g, ' ')}"`;
}

/**
 * What each cell shows before its text when the row is a card (a phone, where the header row is
 * out of sight), as custom properties of the table that the CSS reads (`content: var(--label-…)`):
 * written once for the table rather than as an attribute on each cell of each row, which the
 * server's renderer would write out 25 to 100 times a page.
 */
function cellLabels({ columns, short, accountantsLabel }: ClientTableLabels): CSSProperties {
  return {
    '--label-missing': cssString(short.missing),
    '--label-ready': cssString(short.ready),
    '--label-balance': cssString(columns.balance),
    '--label-vat': cssString(short.vat),
    '--label-close': cssString(short.close),
    '--label-contact': cssString(columns.contact),
    '--label-since': cssString(columns.since),
    '--label-accountants': cssString(accountantsLabel),
  } as CSSProperties;
}

/**
 * The Clients page table; with `bulkFormId`, a checkbox per row for that "Attribuer à…" form. Its
 * words come translated from the server (`clientTableLabels`).
 */
export function ClientTable({
  rows,
  bulkFormId,
  isAdmin,
  sorting,
  variant,
  labels,
  shown,
}: {
  rows: ClientTableRow[];
  bulkFormId?: string;
  isAdmin: boolean;
  sorting: ColumnSort;
  variant: TableVariant;
  labels: ClientTableLabels;
  /** The optional columns shown (« Colonnes affichées »): all unless the URL or a view says otherwise. */
  shown: readonly ClientColumn[];
}) {
  const bulk = Boolean(bulkFormId);
  const show = (column: ClientColumn) => shown.includes(column);
  const { columns, short, perRow } = labels;
  return (
    <div className="table-wrap">
      <table className="table compact client-list" data-variant={variant} style={cellLabels(labels)}>
        <thead>
          <tr>
            {bulk ? (
              <th scope="col" className="select-col">
                <span className="visually-hidden">{labels.select}</span>
              </th>
            ) : null}
            <SortHeader label={columns.name} title={labels.sortBy.name} sort={sorting.name} />
            {variant === 'connected' ? (
              <>
                {show('recus') ? (
                  <SortHeader
                    label={columns.missing}
                    short={short.missing}
                    title={labels.sortBy.missing}
                    sort={sorting.missing}
                    numeric
                  />
                ) : null}
                {show('export') ? (
                  <SortHeader
                    label={columns.ready}
                    short={short.ready}
                    title={labels.sortBy.ready}
                    sort={sorting.ready}
                    numeric
                  />
                ) : null}
                {show('solde') ? (
                  <SortHeader label={columns.balance} title={labels.sortBy.balance} sort={sorting.balance} numeric />
                ) : null}
                {show('tva') ? (
                  <SortHeader label={columns.vat} title={labels.sortBy.vat} sort={sorting.vat} numeric />
                ) : null}
                {show('echeance') ? (
                  <SortHeader
                    label={columns.close}
                    short={short.close}
                    title={labels.sortBy.echeance}
                    sort={sorting.echeance}
                  />
                ) : null}
              </>
            ) : variant === 'invitations' ? (
              <th scope="col">{columns.contact}</th>
            ) : (
              <th scope="col">{columns.step}</th>
            )}
            {variant !== 'connected' ? <th scope="col">{columns.since}</th> : null}
            {variant !== 'invitations' && show('comptables') ? (
              <th scope="col" title={columns.accountants}>
                <span aria-hidden="true">{short.accountants}</span>
                <span className="visually-hidden">{columns.accountants}</span>
              </th>
            ) : null}
            <th scope="col">
              <span className="visually-hidden">{columns.actions}</span>
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
                    aria-label={fillName(perRow.selectClient, row.name)}
                  />
                </td>
              ) : null}
              <th scope="row" className="client-name" title={row.name}>
                {row.status === 'active' ? <a href={`/clients/${row.id}`}>{row.name}</a> : row.name}
              </th>
              {variant === 'connected' ? (
                <>
                  {/* On a phone the row is a card and the headers are out of sight: each cell shows
                      its column's short label there (CSS, from the table's --label-* properties), the
                      text of the cell itself staying the figure. */}
                  {show('recus') ? <td className="num figure missing">{row.missingReceipts}</td> : null}
                  {show('export') ? <td className="num figure ready">{row.readyToExport}</td> : null}
                  {show('solde') ? (
                    <td className={row.negative ? 'num figure balance negative' : 'num figure balance'}>
                      {row.balance}
                    </td>
                  ) : null}
                  {show('tva') ? <td className="num figure vat">{row.vatAtRisk}</td> : null}
                  {show('echeance') ? (
                    <td className={row.late ? 'nowrap figure close late' : 'nowrap figure close'}>
                      {row.closeOn}
                      {row.late ? <span className="late-mark"> · {labels.lateMark}</span> : null}
                    </td>
                  ) : null}
                </>
              ) : variant === 'invitations' ? (
                <td className="ellipsis contact" title={row.contact}>
                  {row.contact || <span className="muted">{labels.none}</span>}
                </td>
              ) : (
                <td>
                  <StatusBadge status={row.status} verification={row.verificationState} />
                </td>
              )}
              {variant !== 'connected' ? <td className="nowrap since">{row.since}</td> : null}
              {variant !== 'invitations' && show('comptables') ? (
                <td className="ellipsis accountants" title={row.accountants}>
                  {row.accountants || <span className="muted">{labels.none}</span>}
                </td>
              ) : null}
              <td className="actions">
                {row.status === 'invitation' && isAdmin ? (
                  <div className="decision">
                    <ActionForm
                      action={acceptConnectionRequestAction}
                      hidden={{ clientId: row.id }}
                      submitLabel={labels.invitation.accept}
                      buttonClassName="button small primary"
                    />
                    <ActionForm
                      action={declineConnectionRequestAction}
                      hidden={{ clientId: row.id }}
                      submitLabel={labels.invitation.decline}
                      buttonClassName="button small"
                      confirm={{
                        title: fillName(perRow.declineTitle, row.name),
                        body: fillName(perRow.declineBody, row.name),
                        confirmLabel: labels.invitation.decline,
                        cancelLabel: labels.invitation.cancel,
                      }}
                    />
                    <a href={`/clients/${row.id}/details`}>{labels.menu.details}</a>
                  </div>
                ) : (
                  <>
                    {row.followed ? (
                      <span className="bell" title={labels.followed[row.followed]}>
                        {/* Our own icon: the emoji is an empty box where no emoji font is installed. */}
                        <svg
                          aria-hidden="true"
                          focusable="false"
                          width="16"
                          height="16"
                          viewBox="0 0 16 16"
                          className="bell-icon"
                        >
                          <path
                            fill="currentColor"
                            d="M8 1.5a1 1 0 0 1 1 1v.6a4.5 4.5 0 0 1 3.5 4.4v2.7l1.2 1.6a.6.6 0 0 1-.5 1H2.8a.6.6 0 0 1-.5-1l1.2-1.6V7.5A4.5 4.5 0 0 1 7 3.1v-.6a1 1 0 0 1 1-1Zm-1.7 12h3.4a1.7 1.7 0 0 1-3.4 0Z"
                          />
                        </svg>
                        <span className="visually-hidden">{labels.followed[row.followed]}</span>
                      </span>
                    ) : null}
                    <RowMenu
                      label={fillName(perRow.menu, row.name)}
                      items={() => rowMenuItems(row, isAdmin, labels.menu)}
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
