import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ActionForm, Field } from '@/components/action-form';
import { AccountFields, ChartTable } from '@/components/chart-table';
import { Link } from '@/components/link';
import { PageHeader } from '@/components/page-header';
import { requireUser } from '@/lib/access/session';
import { getI18n } from '@/lib/access/request-locale';
import { deleteRuleAction, saveAccountAction, saveBooksAction, saveRuleAction } from '@/lib/bookkeeping/actions';
import { loadBooks } from '@/lib/bookkeeping/books';
import { PRESETS } from '@/lib/bookkeeping/presets';
import { listRules } from '@/lib/bookkeeping/rules';
import { DEDUCTIBLE_SHARES, formatRate, VAT_RATES_BP } from '@/lib/bookkeeping/vat';
import { findWorkspaceClient } from '@/lib/clients/queries';
import { i18nFor } from '@/lib/server/i18n/translator';

type Props = { params: Promise<{ clientId: string }> };

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getI18n()).t('books.settings.title') };
}

/**
 * « Paramètres comptables » of a client: the journal, the VAT and counterpart accounts, the file
 * format (admins change them), the chart of accounts the grid offers, and the coding rules.
 */
export default async function BooksSettingsPage({ params }: Props) {
  const user = await requireUser();
  const client = await findWorkspaceClient(user, (await params).clientId);
  if (!client) notFound();
  const { t } = i18nFor(user.locale);
  const isAdmin = user.role === 'admin';
  const [{ settings, chart }, rules] = await Promise.all([loadBooks(client), listRules(client)]);
  const vatOptions = VAT_RATES_BP.map((rate) => ({ value: String(rate), label: formatRate(rate) }));
  const shareOptions = DEDUCTIBLE_SHARES.map((share) => ({ value: String(share), label: `${share}\u202F%` }));
  const expenseAccounts = chart.filter((a) => a.active && /^[26]/.test(a.number));

  return (
    <>
      <PageHeader
        title={`${t('books.settings.title')} — ${client.name}`}
        backHref={`/clients/${client.id}`}
        backLabel={client.name}
      />
      <p className="muted">{t('books.settings.intro')}</p>

      <section className="panel" aria-labelledby="books-title">
        <h2 id="books-title">{t('books.settings.title')}</h2>
        {isAdmin ? (
          <ActionForm action={saveBooksAction} hidden={{ clientId: client.id }} submitLabel={t('books.settings.save')}>
            <Field
              form="books"
              name="journalCode"
              label={t('books.settings.journalCode')}
              defaultValue={settings.journalCode}
            />
            <Field
              form="books"
              name="journalLabel"
              label={t('books.settings.journalLabel')}
              defaultValue={settings.journalLabel}
            />
            <Field
              form="books"
              name="vatAccount"
              label={t('books.settings.vatAccount')}
              defaultValue={settings.vatAccount}
            />
            <Field
              form="books"
              name="counterpartAccount"
              label={t('books.settings.counterpartAccount')}
              hint={t('books.settings.counterpartHint')}
              defaultValue={settings.counterpartAccount}
            />
            <Field
              form="books"
              name="supplierAuxiliary"
              type="select"
              label={t('books.settings.supplierAuxiliary')}
              defaultValue={settings.supplierAuxiliary ? '1' : '0'}
              options={[
                { value: '0', label: t('books.chart.no') },
                { value: '1', label: t('books.chart.yes') },
              ]}
            />
            <Field
              form="books"
              name="preset"
              type="select"
              label={t('books.settings.preset')}
              defaultValue={settings.preset}
              options={PRESETS.map((p) => ({ value: p, label: t(`books.presets.${p}`) }))}
            />
          </ActionForm>
        ) : (
          <>
            <dl className="facts">
              <dt>{t('books.settings.journalCode')}</dt>
              <dd>
                {settings.journalCode} — {settings.journalLabel}
              </dd>
              <dt>{t('books.settings.vatAccount')}</dt>
              <dd>{settings.vatAccount}</dd>
              <dt>{t('books.settings.counterpartAccount')}</dt>
              <dd>
                {settings.counterpartAccount}
                {settings.supplierAuxiliary ? ` · ${t('books.settings.supplierAuxiliary')}` : ''}
              </dd>
              <dt>{t('books.settings.preset')}</dt>
              <dd>{t(`books.presets.${settings.preset}`)}</dd>
            </dl>
            <p className="muted small">{t('books.settings.readOnly')}</p>
          </>
        )}
      </section>

      <section className="panel" aria-labelledby="rules-title">
        <h2 id="rules-title">{t('books.rules.title')}</h2>
        <p className="muted">{t('books.rules.intro')}</p>
        {rules.length === 0 ? (
          <p className="muted">{t('books.rules.none')}</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('books.rules.merchant')}</th>
                  <th scope="col">{t('books.chart.number')}</th>
                  <th scope="col">{t('books.chart.vat')}</th>
                  <th scope="col">{t('books.chart.share')}</th>
                  <th scope="col">{t('books.rules.scope')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('common.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rules.map((rule) => (
                  <tr key={rule.id}>
                    <td>{rule.merchant}</td>
                    <td>{rule.account}</td>
                    <td>{formatRate(rule.vatRateBp)}</td>
                    <td>{`${rule.deductiblePct}\u202F%`}</td>
                    <td>{t(`books.rules.scopes.${rule.clientId ? 'client' : 'firm'}`)}</td>
                    <td>
                      {rule.clientId || isAdmin ? (
                        <ActionForm
                          action={deleteRuleAction}
                          hidden={{ clientId: client.id, ruleId: rule.id }}
                          submitLabel={t('books.rules.delete')}
                          submitDescription={t('books.rules.deleteFor', { merchant: rule.merchant })}
                          buttonClassName="button secondary small"
                        />
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <ActionForm
          action={saveRuleAction}
          hidden={{ clientId: client.id }}
          submitLabel={t('books.rules.add')}
          resetOnSuccess
        >
          <Field form="rule" name="merchant" label={t('books.rules.merchant')} />
          <Field
            form="rule"
            name="account"
            type="select"
            label={t('books.chart.number')}
            options={expenseAccounts.map((a) => ({ value: a.number, label: `${a.number} — ${a.label}` }))}
          />
          <Field form="rule" name="vatRate" type="select" label={t('books.chart.vat')} options={vatOptions} />
          <Field form="rule" name="deductible" type="select" label={t('books.chart.share')} options={shareOptions} />
          {isAdmin ? (
            <Field
              form="rule"
              name="scope"
              type="select"
              label={t('books.rules.scope')}
              options={(['client', 'firm'] as const).map((s) => ({ value: s, label: t(`books.rules.scopes.${s}`) }))}
            />
          ) : null}
        </ActionForm>
      </section>

      <section className="panel" aria-labelledby="chart-title">
        <h2 id="chart-title">{t('books.chart.title')}</h2>
        <p className="muted">{t('books.chart.intro')}</p>
        <ChartTable chart={chart} locale={user.locale} />
        {isAdmin ? (
          <p>
            <Link href="/equipe/plan-comptable">{t('books.firmChart.link')}</Link>
          </p>
        ) : null}
        {isAdmin ? (
          <>
            <h3>{t('books.chart.formTitle')}</h3>
            <ActionForm action={saveAccountAction} hidden={{ clientId: client.id }} submitLabel={t('books.chart.save')}>
              <AccountFields locale={user.locale} form="account" />
            </ActionForm>
          </>
        ) : null}
      </section>
    </>
  );
}
