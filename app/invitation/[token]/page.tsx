import type { Metadata } from 'next';
import { Link } from '@/components/link';
import { ActionForm, Field } from '@/components/action-form';
import { acceptMemberInvitationAction } from '@/lib/team/actions';
import { findOpenInvitation, INVALID_LINK } from '@/lib/team/team';

export const metadata: Metadata = { title: 'Rejoindre votre cabinet', robots: { index: false } };

type Props = { params: Promise<{ token: string }> };

// Reached from the invitation e-mail, before any account exists: the token is the only authority.
export default async function AcceptInvitationPage({ params }: Props) {
  const { token } = await params;
  const invitation = await findOpenInvitation(token);
  return (
    <main className="centered">
      <div className="panel narrow">
        <p className="brand">Portail Partenaires</p>
        {invitation ? (
          <>
            <h1>Bienvenue, {invitation.name}</h1>
            <p className="muted">Choisissez le mot de passe de votre compte ({invitation.email}).</p>
            <ActionForm action={acceptMemberInvitationAction} hidden={{ token }} className="stack-form" submitLabel="Créer mon compte" buttonClassName="button primary" messagePlacement="top">
              <Field name="password" label="Mot de passe" type="password" autoComplete="new-password" hint="10 caractères au moins." />
              <Field name="confirm" label="Confirmez le mot de passe" type="password" autoComplete="new-password" />
            </ActionForm>
          </>
        ) : (
          <div role="alert">
            <h1>Lien non valable</h1>
            <p>{INVALID_LINK}</p>
            <Link href="/connexion">Aller à la connexion</Link>
          </div>
        )}
      </div>
    </main>
  );
}
