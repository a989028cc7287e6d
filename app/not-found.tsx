import { Link } from '@/components/link';
import { getI18n } from '@/lib/access/request-locale';

export default async function NotFound() {
  const { t } = await getI18n();
  return (
    <main className="centered">
      <div className="panel narrow">
        <h1>{t('notFound.title')}</h1>
        <p>{t('notFound.body')}</p>
        <p>
          <Link href="/clients">{t('notFound.back')}</Link>
        </p>
      </div>
    </main>
  );
}
