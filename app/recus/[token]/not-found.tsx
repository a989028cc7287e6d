import { i18nFor } from '@/lib/server/i18n/translator';

// Every way a link can be wrong looks the same: nothing says whether it ever existed.
export default function ReceiptLinkInvalid() {
  const { t } = i18nFor('fr');
  return (
    <main className="centered">
      <div className="panel narrow" role="alert">
        <h1>{t('receiptUpload.invalidTitle')}</h1>
        <p>{t('receiptUpload.invalidBody')}</p>
      </div>
    </main>
  );
}
