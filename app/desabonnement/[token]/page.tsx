import type { Metadata } from 'next';
import { Link } from '@/components/link';
import { describeUnsubscribe } from '@/lib/notifications/subscriptions';
import { readUnsubscribeToken } from '@/lib/notifications/tokens';

export const metadata: Metadata = { title: 'Désabonnement', robots: { index: false } };

type Props = {
  params: Promise<{ token: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

// Reached from a digest without being logged in: the signed token is the only authority.
export default async function UnsubscribePage({ params, searchParams }: Props) {
  const { token } = await params;
  const done = (await searchParams).fait === '1';
  const target = readUnsubscribeToken(token);
  if (!target) {
    return (
      <main className="centered">
        <div className="panel narrow" role="alert">
          <h1>Lien invalide</h1>
          <p>Ce lien de désabonnement n’est pas valide. Vous pouvez gérer vos notifications depuis le portail.</p>
          <Link href="/clients">Aller au portail</Link>
        </div>
      </main>
    );
  }
  const clients = await describeUnsubscribe(
    target.kind === 'digest' ? { deliveryId: target.deliveryId } : { subscriptionId: target.subscriptionId },
  );
  const stillOn = clients.some((c) => c.enabled);
  return (
    <main className="centered">
      <div className="panel narrow">
        <h1>Notifications par e-mail</h1>
        {done || !stillOn ? (
          <p className="success" role="status">
            C’est fait : vous ne recevrez plus de notifications par e-mail pour {clients.length > 1 ? 'ces clients' : 'ce client'}.
          </p>
        ) : (
          <p>Ne plus recevoir les notifications par e-mail pour :</p>
        )}
        <ul className="plain-list">
          {clients.map((c) => (
            <li key={c.name}>{c.name}</li>
          ))}
        </ul>
        {stillOn && !done ? (
          <form method="post" action={`/api/unsubscribe/${token}`} className="stack" style={{ marginTop: '1rem' }}>
            <button type="submit" className="button primary">
              Me désabonner
            </button>
          </form>
        ) : null}
        <p>
          <Link href="/clients">Gérer mes notifications dans le portail</Link>
        </p>
      </div>
    </main>
  );
}
