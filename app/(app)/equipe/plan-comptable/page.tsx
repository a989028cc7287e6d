import type { Metadata } from 'next';
import { ActionForm } from '@/components/action-form';
import { AccountFields, ChartTable } from '@/components/chart-table';
import { PageHeader } from '@/components/page-header';
import { requireAdmin } from '@/lib/access/session';
import { getI18n } from '@/lib/access/request-locale';
import { saveFirmAccountAction } from '@/lib/bookkeeping/actions';
import { loadFirmChart } from '@/lib/bookkeeping/books';
import { i18nFor } from '@/lib/server/i18n/translator';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getI18n()).t('books.firmChart.title') };
}

/** The firm's default chart of accounts (admins): what each new client's chart starts from. */
export default async function FirmChartPage() {
  const user = await requireAdmin();
  const { t } = i18nFor(user.locale);
  const chart = await loadFirmChart(user.firmId);
  return (
    <>
      <PageHeader title={t('books.firmChart.title')} backHref="/equipe" backLabel={t('team.title')} />
      <p className="muted">{t('books.firmChart.intro')}</p>
      <ChartTable chart={chart} locale={user.locale} />
      <section className="panel" aria-labelledby="firm-account-title">
        <h2 id="firm-account-title">{t('books.chart.formTitle')}</h2>
        <ActionForm action={saveFirmAccountAction} submitLabel={t('books.chart.save')}>
          <AccountFields locale={user.locale} />
        </ActionForm>
      </section>
    </>
  );
}
