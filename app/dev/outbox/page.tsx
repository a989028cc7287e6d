import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { desc } from 'drizzle-orm';
import { db } from '@/db';
import { outboxEmails } from '@/db/schema';
import { formatDateTime } from '@/lib/format';
import { outboxPageEnabled } from '@/lib/mail/outbox';

export const metadata: Metadata = { title: 'Boîte d’envoi (développement)', robots: { index: false } };
export const dynamic = 'force-dynamic';

// The e-mails the app would have sent, when no provider is configured. Never next to a real one.
export default async function OutboxPage() {
  if (!outboxPageEnabled()) notFound();
  const emails = await db.select().from(outboxEmails).orderBy(desc(outboxEmails.createdAt), desc(outboxEmails.id)).limit(50);
  return (
    <main className="page">
      <h1>Boîte d’envoi</h1>
      <p className="muted">
        Aucun fournisseur d’e-mail n’est configuré (RESEND_API_KEY) : les e-mails sont gardés ici au lieu d’être envoyés.
      </p>
      {emails.length === 0 ? <div className="empty"><p>Aucun e-mail pour l’instant.</p></div> : null}
      {emails.map((email) => (
        <article key={email.id} className="panel outbox-email" aria-label={email.subject}>
          <h2>{email.subject}</h2>
          <dl className="details">
            <dt>À</dt>
            <dd>{email.toAddress}</dd>
            <dt>De</dt>
            <dd>{email.fromAddress}</dd>
            <dt>Date</dt>
            <dd>{formatDateTime(email.createdAt)}</dd>
            <dt>En-têtes</dt>
            <dd><code>{email.headers}</code></dd>
          </dl>
          <details>
            <summary>Version texte</summary>
            <pre className="outbox-text">{email.text}</pre>
          </details>
          <iframe title={`Aperçu : ${email.subject}`} srcDoc={email.html} sandbox="" className="outbox-frame" />
        </article>
      ))}
    </main>
  );
}
