import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ActionForm, Field } from '@/components/action-form';
import { Link } from '@/components/link';
import { PageHeader } from '@/components/page-header';
import { getI18n } from '@/lib/access/request-locale';
import { requireUser } from '@/lib/access/session';
import { findWorkspaceClient } from '@/lib/clients/queries';
import { closeMonthAction, reopenMonthAction } from '@/lib/close/actions';
import { boardMonths, findClientMonth, listAfterClose } from '@/lib/close/board';
import { clientDeadline } from '@/lib/close/deadlines';
import { i18nFor } from '@/lib/server/i18n/translator';

type Props = {
  params: Promise<{ clientId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getI18n()).t('closeBoard.clientLink') };
}

/** A client's month: its checks, its close (« Clôturer le mois », « Rouvrir ») and what came after. */
export default async function ClientClosePage({ params, searchParams }: Props) {
  const user = await requireUser();
  const { clientId } = await params;
  const client = await findWorkspaceClient(user, clientId);
  if (!client) notFound();
  const { t, format } = i18nFor(user.locale);
  const months = boardMonths(new Date());
  const requested = (await searchParams).mois;
  const month = typeof requested === 'string' && months.includes(requested) ? requested : months[0]!;
  const [row, deadline, late] = await Promise.all([
    findClientMonth(client, month),
    clientDeadline(client, month),
    listAfterClose(client, month),
  ]);
  const monthLabel = format.monthYear(new Date(`${month}-15T12:00:00Z`));
  const isAdmin = user.role === 'admin';
  const checks = [
    { key: 'checkMissing', count: row.missing, href: `/clients/${client.id}?vue=missing` },
    { key: 'checkToCode', count: row.toCode, href: `/clients/${client.id}?vue=coding` },
    { key: 'checkToReview', count: row.toReview, href: `/clients/${client.id}?vue=coding` },
    { key: 'checkToExport', count: row.notExported, href: `/clients/${client.id}?vue=ready` },
  ] as const;
  const blocked = row.status !== 'ready' && row.status !== 'closed';

  return (
    <>
      <PageHeader
        title={`${t('closeBoard.clientTitle', { month: monthLabel })} · ${client.name}`}
        backLabel={t('closeBoard.title')}
        backHref={`/cloture?mois=${month}`}
      />
      <nav className="tabs" aria-label={t('closeBoard.monthsLabel')}>
        {months.map((m) => (
          <Link
            key={m}
            href={`/clients/${client.id}/cloture?mois=${m}`}
            className="tab"
            aria-current={m === month ? 'page' : undefined}
          >
            {format.monthYear(new Date(`${m}-15T12:00:00Z`))}
          </Link>
        ))}
      </nav>

      <section className="panel" aria-labelledby="close-status">
        <h2 id="close-status">{t('closeBoard.statusLine', { status: t(`closeBoard.statuses.${row.status}`) })}</h2>
        <p>
          {t('closeBoard.dueLine', {
            close: format.day(deadline.close),
            kind: t(`close.kinds.${deadline.kind}`, { day: format.day(deadline.due) }),
          })}
        </p>
        <h3>{t('closeBoard.checks')}</h3>
        <dl className="details close-checks">
          {checks.map((check) => (
            <div key={check.key} className="close-check">
              <dt>{t(`closeBoard.${check.key}`)}</dt>
              <dd>
                {check.count === 0 ? (
                  <span className="check-ok">✓ {t('closeBoard.ok')}</span>
                ) : (
                  <Link href={check.href} className="check-failed">
                    {format.count(check.count)} · {t('closeBoard.blocking')}
                  </Link>
                )}
              </dd>
            </div>
          ))}
          <div className="close-check">
            <dt>{t('closeBoard.checkVat')}</dt>
            <dd>
              {format.money(row.vatAtRiskCents, 'EUR')}
              <p className="muted hint">{t('closeBoard.checkVatHint')}</p>
            </dd>
          </div>
          <div className="close-check">
            <dt>{t('closeBoard.checkBalance')}</dt>
            <dd className={client.balanceCents < 0 ? 'negative' : undefined}>
              {format.money(client.balanceCents, client.currency)}
              {client.balanceCents < 0 ? ` · ${t('closeBoard.negativeBalance')}` : ''}
            </dd>
          </div>
        </dl>

        {row.status === 'closed' ? (
          <>
            <p>
              {t('closeBoard.closedLine', {
                when: row.closedAt ? format.dateTime(row.closedAt) : '',
                name: row.closedBy ?? '',
              })}
            </p>
            {row.closeOverride ? <p>{t('closeBoard.closedOverride', { reason: row.closeOverride })}</p> : null}
            {isAdmin ? (
              <ActionForm
                action={reopenMonthAction}
                hidden={{ clientId: client.id, month }}
                submitLabel={t('closeBoard.reopenButton')}
                buttonClassName="button"
              >
                <Field name="reason" form="reopen" label={t('closeBoard.reopenReason')} required />
              </ActionForm>
            ) : null}
          </>
        ) : blocked && !isAdmin ? (
          <p className="muted">{t('closeBoard.blockedForAccountant')}</p>
        ) : (
          <ActionForm
            action={closeMonthAction}
            hidden={{ clientId: client.id, month }}
            submitLabel={t('closeBoard.closeButton')}
            buttonClassName="button primary"
            confirm={{
              title: t('closeBoard.closeConfirmTitle', { month: monthLabel }),
              body: t('closeBoard.closeConfirmBody'),
              confirmLabel: t('closeBoard.closeButton'),
              cancelLabel: t('common.cancel'),
            }}
          >
            {blocked ? (
              <Field
                name="reason"
                form="close"
                label={t('closeBoard.overrideReason')}
                hint={t('closeBoard.overrideHint')}
                required
              />
            ) : null}
          </ActionForm>
        )}
      </section>

      {late.length > 0 ? (
        <section className="panel" aria-labelledby="after-close">
          <h2 id="after-close">{t('closeBoard.afterCloseTitle')}</h2>
          <p>{t('closeBoard.afterCloseIntro', { month: monthLabel })}</p>
          <ul className="plain-list">
            {late.map((expense) => (
              <li key={expense.id}>
                {format.day(expense.spentOn)} · {expense.merchant} ·{' '}
                {format.money(expense.amountCents, expense.currency)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
