'use client';

import { useTranslations } from 'next-intl';

// Never shows the error itself: its message may hold internals.
export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  const t = useTranslations();
  return (
    <main className="centered">
      <div className="panel narrow" role="alert">
        <h1>{t('error.title')}</h1>
        <p>{t('error.body')}</p>
        <button type="button" className="button" onClick={reset}>
          {t('error.retry')}
        </button>
      </div>
    </main>
  );
}
