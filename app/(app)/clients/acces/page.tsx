import type { Metadata } from 'next';
import { ActionForm, Field } from '@/components/action-form';
import { Link } from '@/components/link';
import { PageHeader } from '@/components/page-header';
import { getI18n } from '@/lib/access/request-locale';
import { requireUser } from '@/lib/access/session';
import { grantAccessAction, refuseAccessAction, requestAccessAction } from '@/lib/access-requests/actions';
import { GRANTS, listAccessRequests, listOtherClients, type AccessRequestRow } from '@/lib/access-requests/requests';
import { parseOtherClientsParams } from '@/lib/access-requests/schemas';
import type { CurrentUser } from '@/lib/access/users';
import { i18nFor, type I18n } from '@/lib/server/i18n/translator';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getI18n()).t('access.title') };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * « Demander l'accès ». An accountant: the firm's clients she is not assigned to, greyed out, a name
 * and nothing else, each with its request. An admin: the requests to decide, and the last decisions.
 */
export default async function AccessPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireUser();
  const i18n = i18nFor(user.locale);
  return user.role === 'admin' ? (
    <AdminRequests user={user} i18n={i18n} />
  ) : (
    <OtherClients user={user} i18n={i18n} searchParams={await searchParams} />
  );
}

async function OtherClients({
  user,
  i18n,
  searchParams,
}: {
  user: CurrentUser;
  i18n: I18n;
  searchParams: Record<string, string | string[] | undefined>;
}) {
  const { t } = i18n;
  const params = parseOtherClientsParams(searchParams);
  const enabled = user.accessRequests;
  const { rows, hasMore } = await listOtherClients(user, params);
  const pageHref = (page: number) => {
    const query = new URLSearchParams();
    if (params.q) query.set('q', params.q);
    if (page > 1) query.set('page', String(page));
    const text = query.toString();
    return text ? `/clients/acces?${text}` : '/clients/acces';
  };
  return (
    <>
      <PageHeader title={t('access.otherTitle')} backLabel={t('common.backToClients')} />
      {!enabled ? (
        <p className="panel">{t('access.off')}</p>
      ) : (
        <>
          <p className="muted">{t('access.intro')}</p>
          <form action="/clients/acces" className="toolbar" role="search">
            <div className="field grow">
              <label htmlFor="access-q">{t('access.search')}</label>
              <input id="access-q" name="q" type="search" defaultValue={params.q} maxLength={100} />
            </div>
            <button type="submit" className="button">
              {t('access.search')}
            </button>
          </form>
          {rows.length === 0 ? (
            <p className="muted">{params.q ? t('access.noMatch', { q: params.q }) : t('access.none')}</p>
          ) : (
            <ul className="reminder-list other-clients">
              {rows.map((client) => (
                <li key={client.id} className="stack other-client">
                  <p className="other-client-name">{client.name}</p>
                  {client.requestState === 'pending' ? (
                    <p className="muted">{t('access.pending')}</p>
                  ) : (
                    <>
                      {client.requestState === 'refused' ? (
                        <p className="muted">{t('access.refused', { reason: client.refusal ?? '' })}</p>
                      ) : null}
                      <details className="more-filters">
                        <summary>{t('access.ask')}</summary>
                        <ActionForm
                          action={requestAccessAction}
                          hidden={{ clientId: client.id }}
                          submitLabel={t('access.ask')}
                          submitDescription={t('access.askLabel', { client: client.name })}
                          buttonClassName="button small"
                          className="stack-form"
                        >
                          <Field
                            form={`ask-${client.id}`}
                            name="reason"
                            label={t('access.reason')}
                            hint={t('access.reasonHint')}
                            required
                          />
                        </ActionForm>
                      </details>
                    </>
                  )}
                </li>
              ))}
            </ul>
          )}
          <nav className="row-between" aria-label={t('access.otherTitle')}>
            {params.page > 1 ? <Link href={pageHref(params.page - 1)}>{t('access.previous')}</Link> : <span />}
            {hasMore ? <Link href={pageHref(params.page + 1)}>{t('access.more')}</Link> : null}
          </nav>
        </>
      )}
    </>
  );
}

async function AdminRequests({ user, i18n }: { user: CurrentUser; i18n: I18n }) {
  const { t, format } = i18n;
  const { open, decided } = await listAccessRequests(user);
  const grantOptions = GRANTS.map((grant) => ({ value: grant, label: t(`access.grants.${grant}`) }));
  const decision = (row: AccessRequestRow) => {
    const values = { by: row.deciderName ?? '', when: row.decidedAt ? format.dateTime(row.decidedAt) : '' };
    if (row.state === 'refused') return t('access.decidedRefused', { ...values, reason: row.refusal ?? '' });
    return row.grantedUntil
      ? t('access.decidedGranted', { ...values, until: format.dateTime(row.grantedUntil) })
      : t('access.decidedForever', values);
  };
  return (
    <>
      <PageHeader title={t('access.title')} backLabel={t('common.backToClients')} />
      <section className="panel" aria-labelledby="open-requests">
        <h2 id="open-requests">{t('access.open')}</h2>
        {open.length === 0 ? (
          <p className="muted">{t('access.noOpen')}</p>
        ) : (
          <ul className="reminder-list">
            {open.map((row) => {
              const values = { name: row.userName, client: row.clientName };
              return (
                <li key={row.id} className="stack">
                  <p>
                    <strong>{t('access.line', values)}</strong>{' '}
                    <span className="muted">{t('access.asked_at', { when: format.dateTime(row.createdAt) })}</span>
                  </p>
                  <p>{t('emails.accessRequest.reason', { reason: row.reason })}</p>
                  <div className="row-between">
                    <ActionForm
                      action={grantAccessAction}
                      hidden={{ requestId: row.id }}
                      submitLabel={t('access.grant')}
                      submitDescription={t('access.grantLabel', values)}
                      buttonClassName="button primary small"
                      className="inline-form"
                    >
                      <Field
                        form={`grant-${row.id}`}
                        name="grant"
                        type="select"
                        label={t('access.grantFor')}
                        options={grantOptions}
                        defaultValue="day"
                      />
                    </ActionForm>
                    <ActionForm
                      action={refuseAccessAction}
                      hidden={{ requestId: row.id }}
                      submitLabel={t('access.refuse')}
                      submitDescription={t('access.refuseLabel', values)}
                      buttonClassName="button small"
                      className="inline-form"
                    >
                      <Field form={`refuse-${row.id}`} name="refusal" label={t('access.refusal')} required />
                    </ActionForm>
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </section>
      {decided.length > 0 ? (
        <section className="panel" aria-labelledby="decided-requests">
          <h2 id="decided-requests">{t('access.decided')}</h2>
          <ul className="plain-list">
            {decided.map((row) => (
              <li key={row.id}>
                <strong>{t('access.line', { name: row.userName, client: row.clientName })}</strong>
                {' · '}
                <span className="muted">{decision(row)}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
