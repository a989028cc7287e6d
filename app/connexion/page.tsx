import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { LoginForm } from '@/components/login-form';
import { getCurrentUser } from '@/lib/auth/session';
import { fr } from '@/lib/i18n/fr';

export const metadata: Metadata = { title: fr.login.title };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function LoginPage({ searchParams }: Props) {
  if (await getCurrentUser()) redirect('/clients');
  const params = await searchParams;
  const error = typeof params.error === 'string' ? params.error : undefined;
  const callbackUrl = typeof params.callbackUrl === 'string' ? params.callbackUrl : undefined;
  return (
    <main className="centered">
      <div className="panel narrow">
        <p className="brand">{fr.app.name}</p>
        <h1>{fr.login.title}</h1>
        <p className="muted">{fr.login.intro}</p>
        {params.bienvenue === '1' ? (
          <p className="success" role="status">
            Votre compte est créé : connectez-vous avec votre e-mail et votre mot de passe.
          </p>
        ) : null}
        <LoginForm initialError={error ? (fr.login.errors[error] ?? fr.login.errors.default) : undefined} callbackUrl={callbackUrl} />
      </div>
    </main>
  );
}
