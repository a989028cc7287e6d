import type { Metadata } from 'next';
import { ActionForm, Field } from '@/components/action-form';
import { Link } from '@/components/link';
import { PageHeader } from '@/components/page-header';
import { saveLocaleAction } from '@/lib/account/actions';
import { requireUser } from '@/lib/access/session';
import { LOCALES } from '@/lib/server/i18n/locales';
import { getI18n } from '@/lib/access/request-locale';
import { i18nFor } from '@/lib/server/i18n/translator';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getI18n()).t('account.title') };
}

export default async function AccountPage() {
  const user = await requireUser();
  const { t } = i18nFor(user.locale);
  return (
    <>
      <PageHeader title={t('account.title')} />
      <section className="panel">
        <dl className="details">
          <dt>{t('account.name')}</dt>
          <dd>{user.name}</dd>
          <dt>{t('account.email')}</dt>
          <dd>{user.email}</dd>
          <dt>{t('account.role')}</dt>
          <dd>{t(`roles.${user.role}`)}</dd>
          <dt>{t('account.firm')}</dt>
          <dd>{user.firmName}</dd>
        </dl>
      </section>
      <p>
        <Link href="/compte/notifications">{t('myNotifications.link')}</Link> ·{' '}
        <Link href="/compte/securite">{t('security.link')}</Link>
      </p>
      <section className="panel" aria-labelledby="language-title">
        <h2 id="language-title">{t('account.preferences')}</h2>
        <ActionForm
          action={saveLocaleAction}
          className="inline-form align-end"
          submitLabel={t('account.save')}
          buttonClassName="button primary"
        >
          <Field
            name="locale"
            label={t('account.language')}
            type="select"
            hint={t('account.languageHint')}
            defaultValue={user.locale}
            options={LOCALES.map((locale) => ({ value: locale, label: t(`locales.${locale}`) }))}
          />
        </ActionForm>
      </section>
    </>
  );
}
