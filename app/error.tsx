'use client';

import { fr } from '@/lib/i18n/fr';

// Never shows the error itself: its message may hold internals.
export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  return (
    <main className="centered">
      <div className="panel narrow" role="alert">
        <h1>{fr.error.title}</h1>
        <p>{fr.error.body}</p>
        <button type="button" className="button" onClick={reset}>
          {fr.error.retry}
        </button>
      </div>
    </main>
  );
}
