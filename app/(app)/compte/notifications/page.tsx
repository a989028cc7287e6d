import type { Metadata } from 'next';
import { ActionForm, Field } from '@/components/action-form';
import { Link } from '@/components/link';
import { PageHeader } from '@/components/page-header';
import { requireUser } from '@/lib/access/session';
import { getI18n } from '@/lib/access/request-locale';
import { i18nFor } from '@/lib/server/i18n/translator';
import { disableAllSubscriptionsAction, updateSubscriptionsAction } from '@/lib/notifications/actions';
import { listSubscriptionsOf } from '@/lib/notifications/queries';
import { FREQUENCIES, nextDelivery } from '@/lib/notifications/schedule';
import { sendTimeOf } from '@/lib/notifications/send-time';
import { FilterSelect } from '@/components/filter-select';
import { findGroup, listGroups } from '@/lib/groups/groups';
import { isUuid } from '@/lib/server/ids';
import { SendTimeForm } from '@/components/send-time-form';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getI18n()).t('myNotifications.title') };
}

const BULK_FORM = 'notifications-selection';

// Every subscription of the user in one place: change one row, or tick several and change them at
// once. Plain forms: it all works without JavaScript.
export default async function MyNotificationsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser();
  const { t, format } = i18nFor(user.locale);
  const asked = (await searchParams).groupe;
  // A group one does not see (or no group) filters nothing.
  const [groups, group] = await Promise.all([
    listGroups(user),
    findGroup(user, typeof asked === 'string' && isUuid(asked) ? asked : undefined),
  ]);
  const [rows, sendTime] = await Promise.all([listSubscriptionsOf(user, group?.id), sendTimeOf(user)]);
  const now = new Date();
  const choices = [
    ...FREQUENCIES.map((f) => ({ value: f, label: t(`notifications.frequencies.${f}`) })),
    { value: 'off', label: t('myNotifications.turnOff') },
  ];
  return (
    <>
      <PageHeader title={t('myNotifications.title')} />
      <p className="muted">{t('myNotifications.intro')}</p>
      <SendTimeForm user={user} choice={sendTime} />
      {groups.length > 0 ? (
        <form action="/compte/notifications" className="toolbar" aria-label={t('groups.filter')}>
          <FilterSelect
            name="groupe"
            label={t('groups.filter')}
            options={[
              { value: '', label: t('groups.anyGroup') },
              ...groups.map((g) => ({ value: g.id, label: g.name })),
            ]}
            defaultValue={group?.id ?? ''}
          />
          <button type="submit" className="button">
            {t('clients.apply')}
          </button>
        </form>
      ) : null}
      {rows.length === 0 ? (
        <div className="empty">
          <p>{t('myNotifications.empty')}</p>
        </div>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col" className="select-col">
                    <span className="visually-hidden">{t('clients.select')}</span>
                  </th>
                  <th scope="col">{t('myNotifications.client')}</th>
                  <th scope="col">{t('myNotifications.frequency')}</th>
                  <th scope="col">{t('myNotifications.next')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.clientId}>
                    <td className="select-col">
                      <input
                        type="checkbox"
                        form={BULK_FORM}
                        name="clientIds"
                        value={row.clientId}
                        aria-label={t('myNotifications.select', { name: row.clientName })}
                      />
                    </td>
                    <th scope="row">
                      <Link href={`/clients/${row.clientId}/details#notifications-section`}>{row.clientName}</Link>
                    </th>
                    <td>
                      <ActionForm
                        action={updateSubscriptionsAction}
                        hidden={{ clientIds: row.clientId }}
                        submitLabel={t('myNotifications.save')}
                        buttonClassName="button small"
                        className="inline-form"
                      >
                        <label className="visually-hidden" htmlFor={`frequency-${row.clientId}`}>
                          {t('myNotifications.frequencyOf', { name: row.clientName })}
                        </label>
                        <select
                          id={`frequency-${row.clientId}`}
                          name="frequency"
                          defaultValue={row.enabled ? row.frequency : 'off'}
                        >
                          {choices.map((c) => (
                            <option key={c.value} value={c.value}>
                              {c.label}
                            </option>
                          ))}
                        </select>
                      </ActionForm>
                    </td>
                    <td>
                      {row.enabled ? (
                        format.slot(nextDelivery(now, row.firstSlotAt, row.frequency, sendTime.effective))
                      ) : (
                        <span className="muted">{t('myNotifications.off')}</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <ActionForm
            id={BULK_FORM}
            action={updateSubscriptionsAction}
            className="bulk-bar"
            submitLabel={t('myNotifications.apply')}
            buttonClassName="button primary"
          >
            <Field
              name="frequency"
              label={t('myNotifications.bulk')}
              type="select"
              options={choices}
              defaultValue="weekly"
            />
          </ActionForm>
          <ActionForm
            action={disableAllSubscriptionsAction}
            submitLabel={t('myNotifications.disableAll')}
            buttonClassName="button"
          />
        </>
      )}
    </>
  );
}
