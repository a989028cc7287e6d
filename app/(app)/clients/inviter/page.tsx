import { randomUUID } from 'node:crypto';
import type { Metadata } from 'next';
import { fieldErrorId } from '@/components/field-error';
import { PageHeader } from '@/components/page-header';
import { ActionForm, Field, FieldError } from '@/components/action-form';
import { listAssignableUsers } from '@/lib/assignments/queries';
import { requireAdmin } from '@/lib/access/session';
import { getI18n } from '@/lib/access/request-locale';
import { i18nFor } from '@/lib/server/i18n/translator';
import { inviteClientAction } from '@/lib/onboarding/actions';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getI18n()).t('clientInvitations.title') };
}

export default async function InviteClientPage() {
  const user = await requireAdmin();
  const team = await listAssignableUsers(user.firmId);
  const { t } = i18nFor(user.locale);
  return (
    <>
      <PageHeader title={t('clientInvitations.title')} backLabel={t('common.backToClients')} />
      <section className="panel">
        <p className="muted">{t('clientInvitations.intro')}</p>
        <ActionForm
          action={inviteClientAction}
          hidden={{ formToken: randomUUID() }}
          className="stack-form"
          submitLabel={t('clientInvitations.submit')}
          buttonClassName="button primary"
          messagePlacement="top"
          resetOnSuccess
        >
          <Field name="name" label={t('clientInvitations.name')} autoComplete="organization" required />
          <Field name="siren" label={t('clientInvitations.siren')} hint={t('clientInvitations.sirenHint')} />
          <Field
            name="contactEmail"
            label={t('clientInvitations.contactEmail')}
            type="email"
            autoComplete="email"
            required
          />
          <fieldset className="fieldset" aria-describedby={fieldErrorId('accountantIds')}>
            <legend>{t('clientInvitations.accountants')}</legend>
            {team.map((member) => (
              <label key={member.id} className="checkbox">
                <input type="checkbox" name="accountantIds" value={member.id} />
                {member.name}{' '}
                <span className="muted">{t('clientInvitations.memberRole', { role: t(`roles.${member.role}`) })}</span>
              </label>
            ))}
            <FieldError name="accountantIds" />
          </fieldset>
        </ActionForm>
      </section>
    </>
  );
}
