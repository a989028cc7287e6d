import type { Metadata } from 'next';
import { ActionForm, Field } from '@/components/action-form';
import { Link } from '@/components/link';
import { PageHeader } from '@/components/page-header';
import { getI18n } from '@/lib/access/request-locale';
import { requireUser } from '@/lib/access/session';
import { clientListHref, parseClientListParams } from '@/lib/clients/schemas';
import { createGroupAction, deleteGroupAction, renameGroupAction } from '@/lib/groups/actions';
import { listGroups, type ClientGroup } from '@/lib/groups/groups';
import { i18nFor } from '@/lib/server/i18n/translator';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getI18n()).t('groups.title') };
}

/** The client groups one sees: the firm's (admins change them) and one's own. */
export default async function GroupsPage() {
  const user = await requireUser();
  const { t } = i18nFor(user.locale);
  const groups = await listGroups(user, { counts: true });
  const isAdmin = user.role === 'admin';
  const section = (title: string, rows: ClientGroup[], editable: boolean, id: string) => (
    <section className="panel" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {rows.length === 0 ? (
        <p className="muted">{t('groups.none')}</p>
      ) : (
        <ul className="reminder-list">
          {rows.map((group) => (
            <li key={group.id} className="stack">
              <div className="row-between">
                <p>
                  <strong>{group.name}</strong>{' '}
                  <span className="muted">· {t('groups.count', { count: group.clients })}</span>
                </p>
                <Link
                  href={clientListHref({
                    ...parseClientListParams({}),
                    tab: isAdmin ? 'tous' : 'mes-clients',
                    group: group.id,
                  })}
                >
                  {t('groups.open')}
                </Link>
              </div>
              {editable ? (
                <div className="row-between">
                  <ActionForm
                    action={renameGroupAction}
                    hidden={{ groupId: group.id }}
                    submitLabel={t('groups.rename')}
                    buttonClassName="button small"
                    className="inline-form"
                  >
                    <Field name="name" form={`rename-${group.id}`} label={t('groups.name')} defaultValue={group.name} />
                  </ActionForm>
                  <ActionForm
                    action={deleteGroupAction}
                    hidden={{ groupId: group.id }}
                    submitLabel={t('groups.delete')}
                    buttonClassName="button small"
                    confirm={{
                      title: t('groups.deleteTitle', { name: group.name }),
                      body: t('groups.deleteBody'),
                      confirmLabel: t('groups.delete'),
                      cancelLabel: t('common.cancel'),
                    }}
                  />
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );

  return (
    <>
      <PageHeader title={t('groups.title')} backLabel={t('common.backToClients')} />
      <p className="muted">{t('groups.intro')}</p>
      {section(
        t('groups.firm'),
        groups.filter((g) => !g.personal),
        isAdmin,
        'firm-groups',
      )}
      {section(
        t('groups.mine'),
        groups.filter((g) => g.personal),
        true,
        'my-groups',
      )}
      <section className="panel" aria-labelledby="new-group">
        <h2 id="new-group">{t('groups.create')}</h2>
        <ActionForm action={createGroupAction} submitLabel={t('groups.create')} resetOnSuccess>
          <Field name="name" form="new-group" label={t('groups.name')} required />
          {isAdmin ? (
            <label className="checkbox">
              <input type="checkbox" name="firmWide" value="1" />
              {t('groups.firmWide')}
            </label>
          ) : null}
        </ActionForm>
      </section>
    </>
  );
}
