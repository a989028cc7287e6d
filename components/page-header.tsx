import type { ReactNode } from 'react';
import { Link } from '@/components/link';

/**
 * The top of every app page: an optional way back to the Clients page, the title, and the page's
 * main actions beside it.
 */
export function PageHeader({
  title,
  backLabel,
  backHref = '/clients',
  actions,
}: {
  title: ReactNode;
  backLabel?: string;
  /** Where « ← » goes: the Clients page unless told (a client's account, from its settings). */
  backHref?: string;
  actions?: ReactNode;
}) {
  return (
    <>
      {backLabel ? (
        <p className="breadcrumb">
          <Link href={backHref}>← {backLabel}</Link>
        </p>
      ) : null}
      <div className="page-title">
        <h1>{title}</h1>
        {actions}
      </div>
    </>
  );
}
