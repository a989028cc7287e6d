'use client';

import { ActionForm } from '@/components/action-form';
import { RowMenu, type RowMenuItem } from '@/components/row-menu';
import { StatusBadge } from '@/components/status-badge';
import type { ClientStatus, VerificationState } from '@/db/schema';
import { fr } from '@/lib/i18n/fr';
import { acceptInvitationAction, declineInvitationAction } from '@/lib/onboarding/actions';

/**
 * One row of the Clients page, as the server sends it: plain data with its figures already
 * written the French way. The table is a client component on purpose: its props travel in the
 * page's RSC payload as these few fields per row instead of as ~20 serialized elements per row,
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
};

/** What the "⋯" menu of a row offers (the details page offers the same, as the no-JavaScript fallback). */
export function rowMenuItems(row: Pick<ClientTableRow, 'id' | 'status'>, isAdmin: boolean): RowMenuItem[] {
  const items: RowMenuItem[] = [];
  if (row.status === 'active') items.push({ href: `/clients/${row.id}`, label: fr.clients.open });
  items.push({ href: `/clients/${row.id}/details`, label: fr.clients.details });
  if (row.status === 'active' && isAdmin) items.push({ href: `/clients/${row.id}/notifier`, label: fr.clients.notify });
  return items;
}

/** The Clients page table; with `bulkFormId`, a checkbox per row for that "Attribuer à…" form. */
export function ClientTable({ rows, bulkFormId, isAdmin }: { rows: ClientTableRow[]; bulkFormId?: string; isAdmin: boolean }) {
  const bulk = Boolean(bulkFormId);
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            {bulk ? (
              <th scope="col" className="select-col">
                <span className="visually-hidden">{fr.clients.select}</span>
              </th>
            ) : null}
            <th scope="col">{fr.clients.columns.name}</th>
            <th scope="col">{fr.clients.columns.status}</th>
            <th scope="col" className="num">
              {fr.clients.columns.missing}
            </th>
            <th scope="col" className="num">
              {fr.clients.columns.ready}
            </th>
            <th scope="col" className="num">
              {fr.clients.columns.balance}
            </th>
            <th scope="col">{fr.clients.columns.accountants}</th>
            <th scope="col">
              <span className="visually-hidden">{fr.clients.columns.actions}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              {bulk ? (
                <td className="select-col">
                  <input type="checkbox" form={bulkFormId} name="clientIds" value={row.id} aria-label={`${fr.clients.select} ${row.name}`} />
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
              <td>{row.accountants || <span className="muted">{fr.clients.none}</span>}</td>
              <td className="actions">
                {row.status === 'invitation' && isAdmin ? (
                  <div className="decision">
                    <ActionForm action={acceptInvitationAction} hidden={{ clientId: row.id }} submitLabel={fr.onboarding.accept} buttonClassName="button small primary" />
                    <ActionForm action={declineInvitationAction} hidden={{ clientId: row.id }} submitLabel={fr.onboarding.decline} buttonClassName="button small" />
                    <a href={`/clients/${row.id}/details`}>{fr.clients.details}</a>
                  </div>
                ) : (
                  <RowMenu label={`${fr.clients.menu} ${row.name}`} items={rowMenuItems(row, isAdmin)} fallbackHref={`/clients/${row.id}/details`} />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
