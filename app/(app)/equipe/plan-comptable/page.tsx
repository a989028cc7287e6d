import type { Metadata } from 'next';
import { ActionForm, Field } from '@/components/action-form';
import { ChartTable } from '@/components/chart-table';
import { PageHeader } from '@/components/page-header';
import { requireAdmin } from '@/lib/access/session';
import { getI18n } from '@/lib/access/request-locale';
import { saveFirmAccountAction } from '@/lib/bookkeeping/actions';
import { loadFirmChart } from '@/lib/bookkeeping/books';
import { DEDUCTIBLE_SHARES, formatRate, VAT_RATES_BP } from '@/lib/bookkeeping/vat';
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
      <ChartTable
        chart={chart}
        labels={{
          number: t('books.chart.number'),
          label: t('books.chart.label'),
          vat: t('books.chart.vat'),
          share: t('books.chart.share'),
          active: t('books.chart.active'),
          yes: t('books.chart.yes'),
          no: t('books.chart.no'),
        }}
      />
      <section className="panel" aria-labelledby="firm-account-title">
        <h2 id="firm-account-title">{t('books.chart.formTitle')}</h2>
        <ActionForm action={saveFirmAccountAction} submitLabel={t('books.chart.save')}>
          <Field name="number" label={t('books.chart.number')} />
          <Field name="label" label={t('books.chart.label')} />
          <Field
            name="vatRate"
            type="select"
            label={t('books.chart.vat')}
            options={VAT_RATES_BP.map((rate) => ({ value: String(rate), label: formatRate(rate) }))}
          />
          <Field
            name="deductible"
            type="select"
            label={t('books.chart.share')}
            options={DEDUCTIBLE_SHARES.map((share) => ({ value: String(share), label: `${share}\u202F%` }))}
          />
          <Field
            name="active"
            type="select"
            label={t('books.chart.active')}
            options={[
              { value: '1', label: t('books.chart.yes') },
              { value: '0', label: t('books.chart.no') },
            ]}
          />
        </ActionForm>
      </section>
    </>
  );
}
