import { Link } from '@/components/link';
import type { ReactNode } from 'react';
import { DisclosureKeys } from '@/components/disclosure-keys';
import { LogoutButton } from '@/components/logout-button';
import { Shortcuts } from '@/components/shortcuts';
import { requireUser } from '@/lib/access/session';
import { countOpenAccessRequests } from '@/lib/access-requests/requests';
import { countOpenDocuments } from '@/lib/inbox/documents';
import { countOpenInbox, INBOX_COUNT_CAP } from '@/lib/inbox/inbox';
import { i18nFor } from '@/lib/server/i18n/translator';

export default async function AppLayout({ children }: { children: ReactNode }) {
  // The page itself enforces the firm's two-factor policy (the set-up page is under this layout too).
  const user = await requireUser({ duringTwoFactorSetup: true });
  const { t, format } = i18nFor(user.locale);
  const [openRequests, answers, documents] = await Promise.all([
    countOpenAccessRequests(user),
    countOpenInbox(user),
    countOpenDocuments(user, INBOX_COUNT_CAP),
  ]);
  // Answers and documents received by e-mail both wait in « Boîte de réception ».
  const inbox = Math.min(answers + documents, INBOX_COUNT_CAP);
  return (
    <>
      <a href="#contenu" className="skip-link">
        {t('common.skip')}
      </a>
      <header className="app-header">
        <div className="app-header-inner">
          <Link href="/clients" className="brand">
            {t('common.appName')}
          </Link>
          <nav aria-label={t('nav.main')}>
            <Link href="/clients">{t('nav.clients')}</Link>
            <Link href="/cloture">{t('nav.close')}</Link>
            {/* What came back for the user's clients: the count of what nobody has handled yet. */}
            <Link href="/boite" className={inbox > 0 ? 'nav-count' : undefined}>
              {t.rich('nav.inbox', { hidden: (words) => <span className="visually-hidden">{words}</span> })}
              {inbox > 0 ? (
                <>
                  {' '}
                  {t('nav.inboxCount', {
                    count: inbox >= INBOX_COUNT_CAP ? `${INBOX_COUNT_CAP - 1}+` : format.count(inbox),
                  })}
                </>
              ) : null}
            </Link>
            {user.role === 'admin' ? <Link href="/equipe">{t('nav.team')}</Link> : null}
            {user.role === 'admin' ? <Link href="/journal">{t('journal.nav')}</Link> : null}
            {openRequests > 0 ? (
              <Link href="/clients/acces" className="nav-count">
                {t('access.adminLink', { count: openRequests })}
              </Link>
            ) : null}
          </nav>
          <div className="who">
            <span className="firm">{user.firmName}</span>
            <Link href="/compte/notifications">{t('myNotifications.title')}</Link>
            <Link href="/compte" className="user">
              {t('nav.userLabel', { name: user.name, role: t(`roles.${user.role}`) })}
            </Link>
            <LogoutButton />
          </div>
        </div>
      </header>
      <main id="contenu" className="page">
        {children}
      </main>
      <DisclosureKeys />
      <Shortcuts />
    </>
  );
}
