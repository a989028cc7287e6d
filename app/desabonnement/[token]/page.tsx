import type { Metadata } from 'next';
import { Link } from '@/components/link';
import { getI18n } from '@/lib/access/request-locale';
import { describeUnsubscribe } from '@/lib/notifications/queries';
import { readUnsubscribeToken } from '@/lib/notifications/tokens';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getI18n()).t('unsubscribe.title'), robots: { index: false } };
}

type Props = {
  params: Promise<{ token: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

// Reached from a digest without being logged in: the signed token is the only authority.
export default async function UnsubscribePage({ params, searchParams }: Props) {
  const { t } = await getI18n();
  const { token } = await params;
  const done = (await searchParams).fait === '1';
  const target = readUnsubscribeToken(token);
  if (!target) {
    return (
      <main className="centered">
        <div className="panel narrow" role="alert">
          <h1>{t('unsubscribe.invalidTitle')}</h1>
          <p>{t('unsubscribe.invalidBody')}</p>
          <Link href="/clients">{t('unsubscribe.toPortal')}</Link>
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
        <h1>{t('unsubscribe.heading')}</h1>
        {done || !stillOn ? (
          <p className="success" role="status">
            {t('unsubscribe.done', { count: clients.length })}
          </p>
        ) : (
          <p>{t('unsubscribe.confirm')}</p>
        )}
        <ul className="plain-list">
          {clients.map((c) => (
            <li key={c.name}>{c.name}</li>
          ))}
        </ul>
        {stillOn && !done ? (
          <form method="post" action={`/api/unsubscribe/${token}`} className="stack" style={{ marginTop: '1rem' }}>
            <button type="submit" className="button primary">
              {t('unsubscribe.submit')}
            </button>
          </form>
        ) : null}
        <p>
          <Link href="/clients">{t('unsubscribe.manage')}</Link>
        </p>
      </div>
    </main>
  );
}
