import type { Metadata } from 'next';
import { requireUser } from '@/lib/auth/session';
import { fr } from '@/lib/i18n/fr';

export const metadata: Metadata = { title: fr.account.title };

export default async function AccountPage() {
  const user = await requireUser();
  return (
    <>
      <div className="page-title">
        <h1>{fr.account.title}</h1>
      </div>
      <section className="panel">
        <dl className="details">
          <dt>{fr.account.name}</dt>
          <dd>{user.name}</dd>
          <dt>{fr.account.email}</dt>
          <dd>{user.email}</dd>
          <dt>{fr.account.role}</dt>
          <dd>{fr.roles[user.role]}</dd>
          <dt>{fr.account.firm}</dt>
          <dd>{user.firmName}</dd>
        </dl>
      </section>
    </>
  );
}
