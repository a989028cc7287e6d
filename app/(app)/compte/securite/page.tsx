import type { Metadata } from 'next';
import QRCode from 'qrcode';
import { ActionForm, Field } from '@/components/action-form';
import { PageHeader } from '@/components/page-header';
import { RecoveryCodesForm } from '@/components/recovery-codes-form';
import { requireUser } from '@/lib/access/session';
import { getI18n } from '@/lib/access/request-locale';
import { i18nFor } from '@/lib/server/i18n/translator';
import {
  cancelEnrolmentAction,
  confirmEnrolmentAction,
  disableTwoFactorAction,
  regenerateCodesAction,
  startEnrolmentAction,
} from '@/lib/two-factor/actions';
import { twoFactorStatus } from '@/lib/two-factor/queries';
import { groupedSecret, totpUri } from '@/lib/two-factor/totp';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getI18n()).t('security.title') };
}

// Compte → Sécurité: the one page open to a member whose firm requires two-factor login before it
// is set up. The QR code is drawn on the server (SVG): the secret never goes to a third party.
export default async function SecurityPage() {
  const user = await requireUser({ duringTwoFactorSetup: true });
  const { t, format } = i18nFor(user.locale);
  const status = await twoFactorStatus(user.id);
  const labels = (submit: string) => ({
    codesTitle: t('security.codesTitle'),
    codesIntro: t('security.codesIntro'),
    download: t('security.download'),
    saved: t('security.saved'),
    code: t('security.confirmCode'),
    submit,
  });
  const qr = status.pendingSecret
    ? await QRCode.toString(totpUri(status.pendingSecret, user.email), { type: 'svg', margin: 1, width: 200 })
    : undefined;

  return (
    <>
      <PageHeader title={t('security.title')} />
      {user.mustSetUpTwoFactor ? (
        <p className="banner" role="alert">
          {t('security.required')}
        </p>
      ) : null}
      <section className="panel" aria-labelledby="two-factor-title">
        <h2 id="two-factor-title">{t('security.twoFactor')}</h2>
        {status.enabledAt ? (
          <div className="stack">
            <p className="success">{t('security.on', { when: format.dateTime(status.enabledAt) })}</p>
            <p className="muted">{t('security.remaining', { count: status.recoveryCodesLeft })}</p>
            <h3>{t('security.regenerate')}</h3>
            <p className="muted">{t('security.regenerateHint')}</p>
            <RecoveryCodesForm
              id="regenerate"
              action={regenerateCodesAction}
              labels={{ ...labels(t('security.regenerate')), password: t('security.password') }}
            />
          </div>
        ) : status.pendingSecret && qr ? (
          <div className="stack">
            <p>{t('security.scan')}</p>
            {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL drawn on the server, nothing to optimise */}
            <img
              src={`data:image/svg+xml;base64,${Buffer.from(qr).toString('base64')}`}
              alt={t('security.qrAlt')}
              width={200}
              height={200}
            />
            <p>
              {t('security.key')} <code className="totp-key">{groupedSecret(status.pendingSecret)}</code>
            </p>
            <RecoveryCodesForm id="confirm" action={confirmEnrolmentAction} labels={labels(t('security.confirm'))} />
            <ActionForm
              action={cancelEnrolmentAction}
              submitLabel={t('security.cancelSetup')}
              buttonClassName="button small"
            />
          </div>
        ) : (
          <div className="stack">
            <p>{t('security.off')}</p>
            <ActionForm
              action={startEnrolmentAction}
              submitLabel={t('security.enable')}
              buttonClassName="button primary"
            />
          </div>
        )}
      </section>
      {status.enabledAt ? (
        <section className="panel" aria-labelledby="disable-title">
          <h2 id="disable-title">{t('security.disableTitle')}</h2>
          <ActionForm
            action={disableTwoFactorAction}
            className="stack-form"
            submitLabel={t('security.disable')}
            buttonClassName="button"
          >
            <Field name="password" label={t('security.password')} type="password" autoComplete="current-password" />
            <Field name="code" label={t('security.code')} autoComplete="one-time-code" />
          </ActionForm>
        </section>
      ) : null}
    </>
  );
}
