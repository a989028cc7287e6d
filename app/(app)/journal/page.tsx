import type { Metadata } from 'next';
import { Link } from '@/components/link';
import { PageHeader } from '@/components/page-header';
import { describeActor, describeDetails } from '@/lib/activity/describe';
import { findJournalClientName, listActivity, listJournalMembers } from '@/lib/activity/queries';
import { ACTIVITY_ACTIONS } from '@/lib/activity/record';
import { journalQuery, parseJournalParams } from '@/lib/activity/schemas';
import { requireAdmin } from '@/lib/access/session';
import { readEnv } from '@/lib/server/env';
import { getI18n } from '@/lib/access/request-locale';
import { i18nFor } from '@/lib/server/i18n/translator';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getI18n()).t('journal.title') };
}

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

// Admins only (an accountant gets the same 404 as for a page that does not exist). The state is in
// the URL and the filters are a plain GET form: it works without JavaScript.
export default async function JournalPage({ searchParams }: Props) {
  const user = await requireAdmin();
  const i18n = i18nFor(user.locale);
  const { t, format } = i18n;
  const params = parseJournalParams(await searchParams);
  const [page, members, clientName] = await Promise.all([
    listActivity(user.firmId, params),
    listJournalMembers(user.firmId),
    params.client ? findJournalClientName(user.firmId, params.client) : Promise.resolve(undefined),
  ]);
  const filters = { ...params, before: undefined, ignored: undefined };
  return (
    <>
      <PageHeader
        title={t('journal.title')}
        actions={
          <a href={`/journal/export${journalQuery(filters)}`} className="button" download>
            {t('journal.export')}
          </a>
        }
      />
      <p className="muted">{t('journal.intro', { days: readEnv().ACTIVITY_RETENTION_DAYS })}</p>
      {params.ignored ? (
        <p className="banner" role="alert">
          {t('journal.ignoredFilters', {
            filters: params.ignored.map((filter) => t(`journal.filterNames.${filter}`)).join(', '),
          })}
        </p>
      ) : null}
      <form action="/journal" method="get" className="toolbar" aria-label={t('journal.filters')}>
        {params.client ? <input type="hidden" name="client" value={params.client} /> : null}
        <div className="field">
          <label htmlFor="journal-member">{t('journal.member')}</label>
          <select id="journal-member" name="membre" defaultValue={params.member ?? ''}>
            <option value="">{t('journal.anyMember')}</option>
            {members.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="journal-action">{t('journal.action')}</label>
          <select id="journal-action" name="action" defaultValue={params.action ?? ''}>
            <option value="">{t('journal.anyAction')}</option>
            {ACTIVITY_ACTIONS.map((action) => (
              <option key={action} value={action}>
                {t(`journal.actions.${action}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="journal-from">{t('journal.from')}</label>
          <input id="journal-from" name="du" type="date" defaultValue={params.from} />
        </div>
        <div className="field">
          <label htmlFor="journal-to">{t('journal.to')}</label>
          <input id="journal-to" name="au" type="date" defaultValue={params.to} />
        </div>
        <button type="submit" className="button primary">
          {t('journal.apply')}
        </button>
        <Link href="/journal" className="button">
          {t('journal.reset')}
        </Link>
      </form>
      {params.client ? (
        <p className="chips">
          <span className="chip">
            {t('journal.clientFilter', { name: clientName ?? '—' })}{' '}
            <a href={`/journal${journalQuery(filters, { client: undefined })}`} aria-label={t('journal.removeClient')}>
              ✕
            </a>
          </span>
        </p>
      ) : null}
      {page.rows.length === 0 ? (
        <div className="empty">
          <p>{t('journal.empty')}</p>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('journal.columns.at')}</th>
                <th scope="col">{t('journal.columns.actor')}</th>
                <th scope="col">{t('journal.columns.action')}</th>
                <th scope="col">{t('journal.columns.client')}</th>
                <th scope="col">{t('journal.columns.details')}</th>
              </tr>
            </thead>
            <tbody>
              {page.rows.map((row) => (
                <tr key={row.id}>
                  <td>{format.dateTime(row.at)}</td>
                  <td>
                    {row.actorId ? (
                      <a href={`/journal${journalQuery(filters, { member: row.actorId })}`}>
                        {describeActor(i18n, row)}
                      </a>
                    ) : (
                      describeActor(i18n, row)
                    )}
                  </td>
                  <td>{t(`journal.actions.${row.action}`)}</td>
                  <td>
                    {row.clientId ? (
                      <a href={`/journal${journalQuery(filters, { client: row.clientId })}`}>{row.clientName}</a>
                    ) : null}
                  </td>
                  <td>{describeDetails(i18n, row.details)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {params.before || page.next ? (
        <nav className="pagination" aria-label={t('clients.pagination')}>
          {params.before ? <a href={`/journal${journalQuery(filters)}`}>{t('journal.newest')}</a> : <span />}
          {page.next ? (
            <a href={`/journal${journalQuery(filters, { before: page.next })}`} rel="next">
              {t('journal.older')}
            </a>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}
