import type { Metadata } from 'next';
import { ActionForm, Field } from '@/components/action-form';
import { Link } from '@/components/link';
import { PageHeader } from '@/components/page-header';
import { SelectPageBox } from '@/components/select-page-box';
import { getI18n } from '@/lib/access/request-locale';
import { requireUser } from '@/lib/access/session';
import { handleInboundDocumentAction, setInboxHandledAction } from '@/lib/inbox/actions';
import { listOpenDocuments, type ExpenseChoice, type InboundDocumentRow } from '@/lib/inbox/documents';
import { listInbox, type InboxRow } from '@/lib/inbox/inbox';
import { documentDone, parseInboxParams } from '@/lib/inbox/schemas';
import { questionLabel } from '@/lib/receipts/question-words';
import { i18nFor, type I18n } from '@/lib/server/i18n/translator';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getI18n()).t('inbox.title') };
}

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const BULK_FORM = 'inbox-bulk';

/** « Carte Total du 03/11/2026, 45,00 € »: what a row is about, for labels and buttons. */
function about(row: InboxRow, { t, format }: I18n): string {
  return t('inbox.expense', {
    merchant: row.merchant,
    day: format.day(row.spentOn),
    amount: format.money(row.amountCents, row.currency),
  });
}

/** What came back: the receipt (and a way to see it), the reason for none, or the answer. */
function WhatCame({ row, i18n }: { row: InboxRow; i18n: I18n }) {
  const { t } = i18n;
  if (row.kind === 'answer') {
    return (
      <p className="reminder-comment">
        {t('inbox.answerLine', {
          question: questionLabel(t, { question: row.question ?? 'other', questionText: row.questionText }),
          answer: row.answer ?? '',
        })}
      </p>
    );
  }
  if (row.kind === 'no_receipt') {
    return row.receiptReason ? (
      <p className="reminder-comment">{t('inbox.reason', { reason: row.receiptReason })}</p>
    ) : null;
  }
  return row.receiptState === 'attached' ? (
    <>
      {row.invoice ? (
        <p>
          {t(row.invoice.applied ? 'inbox.invoiceApplied' : 'inbox.invoice', {
            number: row.invoice.number,
            seller: row.invoice.seller,
          })}
        </p>
      ) : null}
      <p>
        <a href={`/clients/${row.clientId}/recus/${row.expenseId}`}>{t('inbox.viewReceipt')}</a>
      </p>
    </>
  ) : (
    <p className="muted">{t('inbox.receiptNow')}</p>
  );
}

function choiceLabel(choice: ExpenseChoice, { t, format }: I18n): string {
  return t('inbox.expense', {
    merchant: choice.merchant,
    day: format.day(choice.spentOn),
    amount: format.money(choice.amountCents, choice.currency),
  });
}

/** What the portal read of a document: the invoice, or the amounts and the date its words state. */
function readLine(document: InboundDocumentRow, { t, format }: I18n): string {
  if (document.evidence.invoice) return t('inbox.documents.invoice', document.evidence.invoice);
  const amounts = document.evidence.amounts.slice(0, 3).map((a) => format.money(a.cents, a.currency ?? 'EUR'));
  if (amounts.length === 0 && !document.evidence.date) return t('inbox.documents.readNothing');
  return t('inbox.documents.read', {
    amounts: amounts.length > 0 ? amounts.join(', ') : '—',
    day: document.evidence.date ? format.day(document.evidence.date) : '—',
  });
}

/**
 * The documents that arrived at the clients' receipt addresses and wait for a decision: the
 * expense the portal thinks of (or another one, picked in a list that answers to typing), or out.
 */
function InboundDocuments({
  documents,
  i18n,
  older,
  newest,
}: {
  documents: InboundDocumentRow[];
  i18n: I18n;
  /** The next page of documents, when there is one. */
  older?: string;
  /** Back to the first page, when this is not it. */
  newest?: string;
}) {
  const { t, format } = i18n;
  return (
    <section aria-labelledby="documents-title" className="stack">
      <h2 id="documents-title">{t('inbox.documents.title', { count: documents.length })}</h2>
      <ul className="reminder-list inbox-list">
        {documents.map((document) => {
          const formId = `doc-${document.id}`;
          const what = `${document.filename} · ${document.clientName}`;
          return (
            <li key={document.id} className="inbox-item inbox-document">
              <div className="stack inbox-body">
                <p>
                  <strong>{t(`inbox.documents.states.${document.state}`)}</strong> ·{' '}
                  <Link href={`/clients/${document.clientId}`}>{document.clientName}</Link>
                </p>
                <p className="muted">
                  {t('inbox.from', {
                    sender: document.senderName ? `${document.senderName} <${document.sender}>` : document.sender,
                    when: format.dateTime(document.receivedAt),
                  })}
                </p>
                {document.subject ? <p>{t('inbox.documents.subject', { subject: document.subject })}</p> : null}
                <p>
                  <a href={`/boite/documents/${document.id}`}>
                    {t('inbox.documents.view', { filename: document.filename })}
                  </a>
                </p>
                <p className="muted">{readLine(document, i18n)}</p>
                {document.state === 'held' ? <p>{t('inbox.documents.heldWhy')}</p> : null}
                {document.suggestion ? (
                  <p>{t('inbox.documents.suggestion', { expense: choiceLabel(document.suggestion, i18n) })}</p>
                ) : null}
                {document.choices.length > 0 ? (
                  <ActionForm
                    action={handleInboundDocumentAction}
                    hidden={{ documentId: document.id, decision: 'rattacher' }}
                    submitLabel={t('inbox.documents.attach')}
                    submitDescription={t('inbox.documents.attachLabel', { what })}
                    buttonClassName="button small"
                    className="inbox-document-form"
                  >
                    <Field
                      form={formId}
                      name="expenseId"
                      type="select"
                      label={t('inbox.documents.expense')}
                      defaultValue={document.suggestion?.id ?? ''}
                      options={[
                        ...(document.suggestion ? [] : [{ value: '', label: t('inbox.documents.pick') }]),
                        ...document.choices.map((choice) => ({ value: choice.id, label: choiceLabel(choice, i18n) })),
                      ]}
                    />
                  </ActionForm>
                ) : (
                  <p className="muted">{t('inbox.documents.noChoice')}</p>
                )}
              </div>
              <ActionForm
                action={handleInboundDocumentAction}
                hidden={{ documentId: document.id, decision: 'ecarter' }}
                submitLabel={t('inbox.documents.dismiss')}
                submitDescription={t('inbox.documents.dismissLabel', { what })}
                buttonClassName="button small secondary"
                className="inbox-action"
              />
            </li>
          );
        })}
      </ul>
      {older || newest ? (
        <nav className="row-between" aria-label={t('inbox.documents.pagesLabel')}>
          {newest ? <Link href={newest}>{t('inbox.documents.newest')}</Link> : <span />}
          {older ? <Link href={older}>{t('inbox.documents.older')}</Link> : null}
        </nav>
      ) : null}
    </section>
  );
}

/**
 * « Boîte de réception »: what came back for the clients the viewer may see, newest first; each
 * item marked « Traité » once seen, one at a time or the ticked ones. Every control is a plain
 * link, box or button: the page is used with the keyboard and works without JavaScript.
 */
export default async function InboxPage({ searchParams }: Props) {
  const user = await requireUser();
  const i18n = i18nFor(user.locale);
  const { t, format } = i18n;
  const params = parseInboxParams(await searchParams);
  const open = params.state === 'open';
  const search = await searchParams;
  const [{ rows, next }, { rows: documents, next: olderDocuments }] = await Promise.all([
    listInbox(user, params.state, params.after),
    open && !params.after
      ? listOpenDocuments(user, params.documentsAfter)
      : Promise.resolve({ rows: [], next: undefined }),
  ]);
  const documentResult = documentDone(search);
  const base = open ? '/boite' : '/boite?etat=traites';
  const nextHref = next ? `${base}${open ? '?' : '&'}apres=${next.at}_${next.id}` : undefined;

  return (
    <>
      <PageHeader title={t('inbox.title')} />
      {params.done ? (
        <p className="banner success" role="status">
          {t(params.done.handled ? 'inbox.marked' : 'inbox.reopened', { count: params.done.count })}
        </p>
      ) : null}
      {documentResult ? (
        <p className="banner success" role="status">
          {t(documentResult === 'attached' ? 'inbox.documents.attached' : 'inbox.documents.dismissed')}
        </p>
      ) : null}
      <p className="muted">{t('inbox.intro')}</p>
      <nav className="tabs" aria-label={t('inbox.tabsLabel')}>
        <a href="/boite" className="tab" aria-current={open ? 'page' : undefined}>
          {t('inbox.open')}
        </a>
        <a href="/boite?etat=traites" className="tab" aria-current={open ? undefined : 'page'}>
          {t('inbox.handled')}
        </a>
      </nav>

      {documents.length > 0 ? (
        <InboundDocuments
          documents={documents}
          i18n={i18n}
          older={olderDocuments ? `/boite?documents=${olderDocuments.at}_${olderDocuments.id}` : undefined}
          newest={params.documentsAfter ? '/boite' : undefined}
        />
      ) : null}
      {documents.length > 0 && rows.length > 0 ? <h2>{t('inbox.answersTitle')}</h2> : null}
      {rows.length === 0 ? (
        <p className="panel">{open ? t('inbox.emptyOpen') : t('inbox.emptyHandled')}</p>
      ) : (
        <>
          {open ? (
            <div className="actions-row inbox-bulk">
              <SelectPageBox formId={BULK_FORM} name="itemIds" label={t('inbox.selectAll')} />
              <ActionForm
                id={BULK_FORM}
                action={setInboxHandledAction}
                hidden={{ handled: 'oui' }}
                submitLabel={t('inbox.markSelected')}
                buttonClassName="button small"
              />
            </div>
          ) : null}
          <ul className="reminder-list inbox-list">
            {rows.map((row) => {
              const what = `${t(`inbox.kinds.${row.kind}`)} · ${row.clientName} · ${about(row, i18n)}`;
              return (
                <li key={row.id} className="inbox-item">
                  {open ? (
                    <label className="checkbox inbox-select">
                      <input type="checkbox" name="itemIds" value={row.id} form={BULK_FORM} />
                      <span className="visually-hidden">{t('inbox.select', { what })}</span>
                    </label>
                  ) : null}
                  <div className="stack inbox-body">
                    <p>
                      <strong>{t(`inbox.kinds.${row.kind}`)}</strong> ·{' '}
                      <Link href={`/clients/${row.clientId}`}>{row.clientName}</Link>
                    </p>
                    <p>
                      <Link href={`/clients/${row.clientId}/depenses/${row.expenseId}`}>{about(row, i18n)}</Link>
                    </p>
                    <p className="muted">
                      {t('inbox.from', { sender: row.sender, when: format.dateTime(row.arrivedAt) })}
                    </p>
                    <WhatCame row={row} i18n={i18n} />
                    {row.handledAt ? (
                      <p className="muted">
                        {row.handledBy
                          ? t('inbox.handledBy', { name: row.handledBy, when: format.dateTime(row.handledAt) })
                          : t('inbox.handledByNobody', { when: format.dateTime(row.handledAt) })}
                      </p>
                    ) : null}
                  </div>
                  <ActionForm
                    action={setInboxHandledAction}
                    hidden={{ itemIds: row.id, handled: open ? 'oui' : 'non' }}
                    submitLabel={open ? t('inbox.markOne') : t('inbox.reopenOne')}
                    submitDescription={open ? t('inbox.markOneLabel', { what }) : t('inbox.reopenOneLabel', { what })}
                    buttonClassName="button small secondary"
                    className="inbox-action"
                  />
                </li>
              );
            })}
          </ul>
        </>
      )}
      <nav className="row-between" aria-label={t('inbox.tabsLabel')}>
        {params.after ? <Link href={base}>{t('inbox.first')}</Link> : <span />}
        {nextHref ? <Link href={nextHref}>{t('inbox.more')}</Link> : null}
      </nav>
    </>
  );
}
