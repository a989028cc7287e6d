import { Field } from '@/components/action-form';
import { DEDUCTIBLE_SHARES, formatRate, VAT_RATES_BP } from '@/lib/bookkeeping/vat';
import type { Locale } from '@/lib/server/i18n/locales';
import { i18nFor } from '@/lib/server/i18n/translator';

type Account = {
  number: string;
  label: string;
  defaultVatRateBp: number;
  defaultDeductiblePct: number;
  active: boolean;
};

/** A chart of accounts as a table: the firm's defaults, or a client's. */
export function ChartTable({ chart, locale }: { chart: Account[]; locale: Locale }) {
  const { t } = i18nFor(locale);
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('books.chart.number')}</th>
            <th scope="col">{t('books.chart.label')}</th>
            <th scope="col">{t('books.chart.vat')}</th>
            <th scope="col">{t('books.chart.share')}</th>
            <th scope="col">{t('books.chart.active')}</th>
          </tr>
        </thead>
        <tbody>
          {chart.map((a) => (
            <tr key={a.number}>
              <td>{a.number}</td>
              <td>{a.label}</td>
              <td>{formatRate(a.defaultVatRateBp)}</td>
              <td>{`${a.defaultDeductiblePct}\u202F%`}</td>
              <td>{a.active ? t('books.chart.yes') : t('books.chart.no')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The fields of « Ajouter ou modifier un compte », inside an ActionForm. */
export function AccountFields({ locale, form }: { locale: Locale; form?: string }) {
  const { t } = i18nFor(locale);
  return (
    <>
      <Field form={form} name="number" label={t('books.chart.number')} />
      <Field form={form} name="label" label={t('books.chart.label')} />
      <Field
        form={form}
        name="vatRate"
        type="select"
        label={t('books.chart.vat')}
        options={VAT_RATES_BP.map((rate) => ({ value: String(rate), label: formatRate(rate) }))}
      />
      <Field
        form={form}
        name="deductible"
        type="select"
        label={t('books.chart.share')}
        options={DEDUCTIBLE_SHARES.map((share) => ({ value: String(share), label: `${share}\u202F%` }))}
      />
      <Field
        form={form}
        name="active"
        type="select"
        label={t('books.chart.active')}
        options={[
          { value: '1', label: t('books.chart.yes') },
          { value: '0', label: t('books.chart.no') },
        ]}
      />
    </>
  );
}
