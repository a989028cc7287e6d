import { randomUUID } from 'node:crypto';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { Link } from '@/components/link';
import { PageHeader } from '@/components/page-header';
import { ReceiptRequestForm } from '@/components/receipt-request-form';
import { requireUser } from '@/lib/access/session';
import { findWorkspaceClient } from '@/lib/clients/queries';
import { getI18n } from '@/lib/access/request-locale';
import { isUuid } from '@/lib/server/ids';
import { i18nFor } from '@/lib/server/i18n/translator';
import { requestReceiptsAction } from '@/lib/receipts/actions';
import { missingExpenseIds, planRecipients } from '@/lib/receipts/requests';
import { QUESTION_KINDS } from '@/lib/receipts/schemas';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getI18n()).t('receipts.request.title') };
}

const FORM_ID = 'receipt-request-form';

type Props = {
  params: Promise<{ clientId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

// « Demander les reçus », second step: who will be written to, for which expenses, and a message.
export default async function RequestReceiptsPage({ params, searchParams }: Props) {
  const user = await requireUser();
  const { clientId } = await params;
  const client = await findWorkspaceClient(user, clientId);
  if (!client) notFound();
  const { t, format } = i18nFor(user.locale);
  const search = await searchParams;
  const raw = search.ids;
  // « Tout demander »: every missing receipt of the client (the oldest 200), read here, not sent by the page.
  const ids =
    search.tous === '1'
      ? await missingExpenseIds(client, 200)
      : (Array.isArray(raw) ? raw : raw ? [raw] : []).filter(isUuid).slice(0, 200);
  const plan = ids.length > 0 ? await planRecipients(client, ids) : { groups: [], leftOut: 0, unreachable: [] };
  const back = `/clients/${client.id}?vue=missing`;
  // Asked from one expense (« Poser une question »): its question is chosen already when its receipt is there.
  const single =
    plan.groups.length === 1 && plan.groups[0]!.expenses.length === 1 ? plan.groups[0]!.expenses[0]! : undefined;
  const asked = single && !single.needsReceipt ? single.id : undefined;

  return (
    <>
      <PageHeader
        title={t('receipts.request.pageTitle', { name: client.name })}
        backLabel={t('common.backToClients')}
      />
      <section className="panel stack">
        {plan.groups.length === 0 ? (
          <div className="stack" role="alert">
            <p className="error">
              {plan.unreachable.length > 0 ? t('errors.noReceiptRecipient') : t('receipts.request.none')}
            </p>
            <p>
              <Link href={back}>{t('receipts.request.back')}</Link>
            </p>
          </div>
        ) : (
          <>
            <p>{t('receipts.request.intro', { count: plan.groups.length })}</p>
            <ul className="stack recipients">
              {plan.groups.map((group) => (
                <li key={group.email}>
                  <p>
                    <strong>{group.name ?? group.email}</strong>{' '}
                    <span className="muted">
                      {t('receipts.request.recipient', {
                        email: group.email,
                        kind: t(`receipts.request.kinds.${group.kind}`),
                      })}
                    </span>
                  </p>
                  <ul className="stack">
                    {group.expenses.map((e) => (
                      <li key={e.id} className="request-item">
                        <p>
                          {t('receipts.request.expense', {
                            date: format.day(e.spentOn),
                            merchant: e.merchant,
                            amount: format.money(e.amountCents, e.currency),
                          })}{' '}
                          <span className="muted small">
                            {e.needsReceipt ? t('questions.receiptAsked') : t('questions.receiptThere')}
                          </span>
                        </p>
                        {/* The question about this expense, sent with the form below (its `form` attribute). */}
                        <input type="hidden" name="qid" value={e.id} form={FORM_ID} />
                        <div className="question-fields">
                          <div className="field">
                            <label htmlFor={`qkind-${e.id}`}>{t('questions.label')}</label>
                            <select
                              id={`qkind-${e.id}`}
                              name="qkind"
                              form={FORM_ID}
                              defaultValue={asked === e.id ? 'purpose' : ''}
                            >
                              <option value="">
                                {e.needsReceipt ? t('questions.noneOption') : t('questions.noneLeaveOut')}
                              </option>
                              {QUESTION_KINDS.map((kind) => (
                                <option key={kind} value={kind}>
                                  {t(`questions.kinds.${kind}`)}
                                </option>
                              ))}
                            </select>
                          </div>
                          <div className="field">
                            <label htmlFor={`qtext-${e.id}`}>{t('questions.textLabel')}</label>
                            <input
                              id={`qtext-${e.id}`}
                              name="qtext"
                              form={FORM_ID}
                              maxLength={300}
                              aria-describedby="qtext-hint"
                            />
                          </div>
                        </div>
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
            {plan.unreachable.length > 0 ? (
              <p className="warning">{t('receipts.request.unreachable', { count: plan.unreachable.length })}</p>
            ) : null}
            {plan.leftOut > 0 ? (
              <p className="muted">{t('receipts.request.leftOut', { count: plan.leftOut })}</p>
            ) : null}
            <p className="hint" id="qtext-hint">
              {t('questions.textHint')}
            </p>
            <ReceiptRequestForm
              id={FORM_ID}
              action={requestReceiptsAction}
              clientId={client.id}
              formToken={randomUUID()}
              ids={plan.groups.flatMap((g) => g.expenses.map((e) => e.id))}
              backHref={back}
            />
          </>
        )}
      </section>
    </>
  );
}
