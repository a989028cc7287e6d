'use client';

import { signOutTo } from './auth-client';
import { useTranslations } from 'next-intl';

export function LogoutButton() {
  const t = useTranslations();
  return (
    <button type="button" className="link-button" onClick={() => void signOutTo('/connexion')}>
      {t('nav.logout')}
    </button>
  );
}
