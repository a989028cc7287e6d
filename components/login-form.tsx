'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useTranslations } from 'next-intl';
import { loginErrorKey } from '@/lib/auth/login-errors';
import { postCredentials } from './auth-client';

/** The callback as a path of this site (the server's HTML, before `window` exists). */
function samePath(callbackUrl: string | undefined): string {
  return callbackUrl && callbackUrl.startsWith('/') && !callbackUrl.startsWith('//') ? callbackUrl : '/clients';
}

/** Only same-site paths: a callbackUrl must never send the user to another site. */
function safeDestination(callbackUrl: string | undefined): string {
  if (!callbackUrl) return '/clients';
  try {
    const url = new URL(callbackUrl, window.location.origin);
    return url.origin === window.location.origin ? `${url.pathname}${url.search}` : '/clients';
  } catch {
    return '/clients';
  }
}

type Step = 'password' | 'code' | 'recovery';

/**
 * With JavaScript: the same POST through fetch (components/auth-client.ts), and the error shown in place. Without: the same form posts
 * to next-auth's credentials callback (never a GET: a password must not end up in a URL), with the
 * CSRF token middleware.ts set for this page; next-auth answers with a redirect. An account with
 * two-factor login gets a second step (a code, or a recovery code); between the two, no session.
 */
export function LoginForm({
  initialError,
  initialStep = 'password',
  callbackUrl,
  csrfToken,
}: {
  initialError?: string;
  initialStep?: Step;
  callbackUrl?: string;
  csrfToken?: string;
}) {
  const router = useRouter();
  const t = useTranslations();
  const [error, setError] = useState(initialError);
  const [step, setStep] = useState<Step>(initialStep);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(undefined);
    const field = (name: string) => String(form.get(name) ?? '');
    const result = await postCredentials(
      step === 'password' ? { email: field('email'), password: field('password') } : { [step]: field(step) },
      samePath(callbackUrl),
    );
    if (result.ok) {
      router.replace(safeDestination(callbackUrl));
      router.refresh();
      return;
    }
    setPending(false);
    if (result?.error === 'SecondFactorRequired') {
      setStep('code');
      return;
    }
    if (result?.error === 'ChallengeExpired' || result?.error === 'TooManyCodes') setStep('password');
    setError(t(loginErrorKey(result?.error)));
  }

  const errorText = error ? (
    <p id="login-error" className="error" role="alert">
      {error}
    </p>
  ) : null;

  return (
    <form
      method="post"
      action="/api/auth/callback/credentials"
      onSubmit={onSubmit}
      className="stack"
      noValidate
      aria-describedby={error ? 'login-error' : undefined}
    >
      <input type="hidden" name="csrfToken" value={csrfToken ?? ''} />
      <input type="hidden" name="callbackUrl" value={samePath(callbackUrl)} />
      {step === 'password' ? (
        <>
          <div className="field">
            <label htmlFor="email">{t('login.email')}</label>
            <input id="email" name="email" type="email" autoComplete="username" required />
          </div>
          <div className="field">
            <label htmlFor="password">{t('login.password')}</label>
            <input id="password" name="password" type="password" autoComplete="current-password" required />
          </div>
        </>
      ) : (
        <>
          <h2>{t('login.secondStep.title')}</h2>
          <p className="muted">{t('login.secondStep.intro')}</p>
          {step === 'code' ? (
            <div className="field">
              <label htmlFor="code">{t('login.secondStep.code')}</label>
              <input
                id="code"
                name="code"
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="[0-9 ]*"
                maxLength={7}
                required
              />
            </div>
          ) : (
            <div className="field">
              <label htmlFor="recovery">{t('login.secondStep.recovery')}</label>
              <input id="recovery" name="recovery" autoComplete="off" required aria-describedby="recovery-hint" />
              <p id="recovery-hint" className="muted hint">
                {t('login.secondStep.recoveryHint')}
              </p>
            </div>
          )}
        </>
      )}
      {errorText}
      <button type="submit" className="button primary" disabled={pending}>
        {pending ? t('login.pending') : step === 'password' ? t('login.submit') : t('login.secondStep.submit')}
      </button>
      {step !== 'password' ? (
        <p className="actions-row">
          <a
            href={step === 'code' ? '/connexion?etape=secours' : '/connexion?etape=code'}
            onClick={(event) => {
              event.preventDefault();
              setError(undefined);
              setStep(step === 'code' ? 'recovery' : 'code');
            }}
          >
            {step === 'code' ? t('login.secondStep.useRecovery') : t('login.secondStep.useCode')}
          </a>
          <a href="/connexion">{t('login.secondStep.restart')}</a>
        </p>
      ) : null}
    </form>
  );
}
