'use client';

import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useTranslations } from 'next-intl';
import { loginErrorKey } from '@/lib/auth/login-errors';

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

/**
 * With JavaScript: next-auth's signIn(), and the error shown in place. Without: the same form posts
 * to next-auth's credentials callback (never a GET: a password must not end up in a URL), with the
 * CSRF token middleware.ts set for this page; next-auth answers with a redirect.
 */
export function LoginForm({
  initialError,
  callbackUrl,
  csrfToken,
}: {
  initialError?: string;
  callbackUrl?: string;
  csrfToken?: string;
}) {
  const router = useRouter();
  const t = useTranslations();
  const [error, setError] = useState(initialError);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(undefined);
    const result = await signIn('credentials', {
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
      redirect: false,
    });
    if (result?.ok && !result.error) {
      router.replace(safeDestination(callbackUrl));
      router.refresh();
      return;
    }
    setPending(false);
    setError(t(loginErrorKey(result?.error)));
  }

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
      <div className="field">
        <label htmlFor="email">{t('login.email')}</label>
        <input id="email" name="email" type="email" autoComplete="username" required />
      </div>
      <div className="field">
        <label htmlFor="password">{t('login.password')}</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
      </div>
      {error ? (
        <p id="login-error" className="error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" className="button primary" disabled={pending}>
        {pending ? t('login.pending') : t('login.submit')}
      </button>
    </form>
  );
}
