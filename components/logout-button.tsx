'use client';

import { signOut } from 'next-auth/react';
import { useTranslations } from 'next-intl';

export function LogoutButton() {
  const t = useTranslations();
  return (
    <button type="button" className="link-button" onClick={() => signOut({ callbackUrl: '/connexion' })}>
      {t('nav.logout')}
    </button>
  );
}
