'use client';

import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useTranslations } from 'next-intl';
import { loginErrorKey } from '@/lib/auth/login-errors';

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

export function LoginForm({ initialError, callbackUrl }: { initialError?: string; callbackUrl?: string }) {
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
    <form onSubmit={onSubmit} className="stack" noValidate aria-describedby={error ? 'login-error' : undefined}>
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
