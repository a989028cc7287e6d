import { Link } from '@/components/link';
import type { ReactNode } from 'react';
import { DisclosureKeys } from '@/components/disclosure-keys';
import { LogoutButton } from '@/components/logout-button';
import { requireUser } from '@/lib/auth/session';
import { fr } from '@/lib/i18n/fr';

export default async function AppLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  return (
    <>
      <a href="#contenu" className="skip-link">
        {fr.app.skip}
      </a>
      <header className="app-header">
        <div className="app-header-inner">
          <Link href="/clients" className="brand">
            {fr.app.name}
          </Link>
          <nav aria-label="Navigation principale">
            <Link href="/clients">{fr.nav.clients}</Link>
            {user.role === 'admin' ? <Link href="/equipe">{fr.nav.team}</Link> : null}
          </nav>
          <div className="who">
            <span className="firm">{user.firmName}</span>
            <Link href="/compte" className="user">
              {user.name} · {fr.roles[user.role]}
            </Link>
            <LogoutButton />
          </div>
        </div>
      </header>
      <main id="contenu" className="page">
        {children}
      </main>
      <DisclosureKeys />
    </>
  );
}
