import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { requireAdmin } from '@/lib/access/session';
import { getI18n } from '@/lib/access/request-locale';
import { i18nFor } from '@/lib/server/i18n/translator';
import { outboxPageEnabled } from '@/lib/server/mail/outbox';
import { listOutboxEmails } from '@/lib/server/mail/queries';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getI18n()).t('outbox.title'), robots: { index: false } };
}
export const dynamic = 'force-dynamic';

// The e-mails the app would have sent, when no provider is configured, never next to a real one:
// for an admin, and only their firm's (they hold invitation links that create accounts).
export default async function OutboxPage() {
  if (!outboxPageEnabled()) notFound();
  const user = await requireAdmin();
  const { t, format } = i18nFor(user.locale);
  const emails = await listOutboxEmails(user.firmId, 50);
  return (
    <main className="page">
      <h1>{t('outbox.heading')}</h1>
      <p className="muted">{t('outbox.intro')}</p>
      {emails.length === 0 ? (
        <div className="empty">
          <p>{t('outbox.empty')}</p>
        </div>
      ) : null}
      {emails.map((email) => (
        <article key={email.id} className="panel outbox-email" aria-label={email.subject}>
          <h2>{email.subject}</h2>
          <dl className="details">
            <dt>{t('outbox.to')}</dt>
            <dd>{email.toAddress}</dd>
            <dt>{t('outbox.from')}</dt>
            <dd>{email.fromAddress}</dd>
            <dt>{t('outbox.date')}</dt>
            <dd>{format.dateTime(email.createdAt)}</dd>
            <dt>{t('outbox.headers')}</dt>
            <dd>
              <code>{email.headers}</code>
            </dd>
          </dl>
          <details>
            <summary>{t('outbox.text')}</summary>
            <pre className="outbox-text">{email.text}</pre>
          </details>
          <iframe
            title={t('outbox.preview', { subject: email.subject })}
            srcDoc={email.html}
            sandbox=""
            className="outbox-frame"
          />
        </article>
      ))}
    </main>
  );
}
