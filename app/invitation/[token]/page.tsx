import type { Metadata } from 'next';
import { Link } from '@/components/link';
import { ActionForm, Field } from '@/components/action-form';
import { getI18n } from '@/lib/access/request-locale';
import { acceptMemberInvitationAction } from '@/lib/team/actions';
import { findOpenInvitation } from '@/lib/team/queries';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getI18n()).t('teamInvitations.acceptTitle'), robots: { index: false } };
}

type Props = { params: Promise<{ token: string }> };

// Reached from the invitation e-mail, before any account exists: the token is the only authority.
export default async function AcceptInvitationPage({ params }: Props) {
  const { t } = await getI18n();
  const { token } = await params;
  const invitation = await findOpenInvitation(token);
  return (
    <main className="centered">
      <div className="panel narrow">
        <p className="brand">{t('common.appName')}</p>
        {invitation ? (
          <>
            <h1>{t('teamInvitations.welcome', { name: invitation.name })}</h1>
            <p className="muted">{t('teamInvitations.choosePassword', { email: invitation.email })}</p>
            <ActionForm
              action={acceptMemberInvitationAction}
              hidden={{ token }}
              className="stack-form"
              submitLabel={t('teamInvitations.create')}
              buttonClassName="button primary"
              messagePlacement="top"
            >
              <Field
                name="password"
                label={t('teamInvitations.password')}
                type="password"
                autoComplete="new-password"
                hint={t('teamInvitations.passwordHint')}
              />
              <Field name="confirm" label={t('teamInvitations.confirm')} type="password" autoComplete="new-password" />
            </ActionForm>
          </>
        ) : (
          <div role="alert">
            <h1>{t('teamInvitations.invalidTitle')}</h1>
            <p>{t('errors.invalidInvitationLink')}</p>
            <Link href="/connexion">{t('teamInvitations.toLogin')}</Link>
          </div>
        )}
      </div>
    </main>
  );
}
