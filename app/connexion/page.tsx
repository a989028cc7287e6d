import type { Metadata } from 'next';
import { cookies, headers } from 'next/headers';
import { CHALLENGE_COOKIE } from '@/lib/two-factor/challenge';
import { redirect } from 'next/navigation';
import { LoginForm } from '@/components/login-form';
import { loginErrorKey } from '@/lib/auth/login-errors';
import { getCurrentUser } from '@/lib/access/session';
import { getI18n } from '@/lib/access/request-locale';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getI18n()).t('login.title') };
}

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function LoginPage({ searchParams }: Props) {
  if (await getCurrentUser()) redirect('/clients');
  const { t } = await getI18n();
  const params = await searchParams;
  const error = typeof params.error === 'string' ? params.error : undefined;
  const callbackUrl = typeof params.callbackUrl === 'string' ? params.callbackUrl : undefined;
  // The second step shows only while a challenge cookie exists (the password was right a moment ago).
  const challenged = (await cookies()).has(CHALLENGE_COOKIE);
  const secondStep =
    challenged && (error === 'SecondFactorRequired' || error === 'InvalidCode' || typeof params.etape === 'string');
  const step = !secondStep ? 'password' : params.etape === 'secours' ? 'recovery' : 'code';
  return (
    <main className="centered">
      <div className="panel narrow">
        <p className="brand">{t('common.appName')}</p>
        <h1>{t('login.title')}</h1>
        <p className="muted">{t('login.intro')}</p>
        {params.bienvenue === '1' ? (
          <p className="success" role="status">
            {t('login.welcome')}
          </p>
        ) : null}
        <LoginForm
          initialError={error && error !== 'SecondFactorRequired' ? t(loginErrorKey(error)) : undefined}
          initialStep={step}
          callbackUrl={callbackUrl}
          csrfToken={(await headers()).get('x-csrf-token') ?? undefined}
        />
      </div>
    </main>
  );
}
