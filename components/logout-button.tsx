'use client';

import { signOut } from 'next-auth/react';
import { fr } from '@/lib/i18n/fr';

export function LogoutButton() {
  return (
    <button type="button" className="link-button" onClick={() => signOut({ callbackUrl: '/connexion' })}>
      {fr.nav.logout}
    </button>
  );
}
