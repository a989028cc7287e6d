import { Link } from '@/components/link';
import { fr } from '@/lib/i18n/fr';

export default function NotFound() {
  return (
    <main className="centered">
      <div className="panel narrow">
        <h1>{fr.notFound.title}</h1>
        <p>{fr.notFound.body}</p>
        <p>
          <Link href="/clients">{fr.notFound.back}</Link>
        </p>
      </div>
    </main>
  );
}
