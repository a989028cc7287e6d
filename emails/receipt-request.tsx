import { Button, Heading, Section, Text } from '@react-email/components';
import { i18nFor } from '../lib/server/i18n/translator';
import { buttonStyle, colors, EmailLayout, footerStyle, headingStyle, oneLine, firstName } from './layout';

// Written to the client's people (a card holder, the client's contact): in French, like the
// client invitations; the firm and the accountant are named, each expense listed, one link.

export type ReceiptRequestProps = {
  recipientName: string | null;
  firmName: string;
  requesterName: string;
  clientName: string;
  message: string;
  expenses: {
    id: string;
    spentOn: string;
    merchant: string;
    amountCents: number;
    currency: string;
    /** The receipt is asked (the default); false for an expense asked about only. */
    needsReceipt?: boolean;
    /** A question about it, and its text for « Autre question ». */
    question?: 'purpose' | 'attendees' | 'personal' | 'other' | null;
    questionText?: string | null;
  }[];
  url: string;
  expiresAt: Date;
  /** 0 for the request, 1 and 2 for the follow-ups at D+3 and D+7. */
  followUp: number;
  /**
   * The same person's requests for other clients sent with this one (« Demander les reçus » from
   * the Clients page): one e-mail, one section and one link per client.
   */
  others?: { clientName: string; expenses: ReceiptRequestProps['expenses']; url: string }[];
};

type Section = { clientName: string; expenses: ReceiptRequestProps['expenses']; url: string };

function sectionsOf(props: ReceiptRequestProps): Section[] {
  return [{ clientName: props.clientName, expenses: props.expenses, url: props.url }, ...(props.others ?? [])];
}

/** « A », « A et B », « A, B et C »: the clients of the e-mail. */
function clientsOf(props: Pick<ReceiptRequestProps, 'clientName' | 'others'>): string {
  const names = [props.clientName, ...(props.others ?? []).map((o) => o.clientName)];
  return new Intl.ListFormat('fr', { type: 'conjunction' }).format(names);
}

/** Every expense of the e-mail, all clients together. */
function allExpenses(props: Pick<ReceiptRequestProps, 'expenses' | 'others'>) {
  return [...props.expenses, ...(props.others ?? []).flatMap((o) => o.expenses)];
}

const i18n = () => i18nFor('fr');

/** How many receipts and questions the e-mail asks for. */
function asked(props: Pick<ReceiptRequestProps, 'expenses' | 'others'>) {
  const expenses = allExpenses(props);
  return {
    receipts: expenses.filter((e) => e.needsReceipt !== false).length,
    questions: expenses.filter((e) => e.question).length,
  };
}

export function receiptRequestSubject(
  props: Pick<ReceiptRequestProps, 'clientName' | 'expenses' | 'followUp' | 'others'>,
) {
  const { t } = i18n();
  const { receipts, questions } = asked(props);
  if (questions > 0)
    return oneLine(
      t(
        props.followUp > 0
          ? 'emails.receiptRequest.followUpSubjectQuestions'
          : 'emails.receiptRequest.subjectQuestions',
        {
          questions,
          receipts,
          client: clientsOf(props),
        },
      ),
    );
  return oneLine(
    t(props.followUp > 0 ? 'emails.receiptRequest.followUpSubject' : 'emails.receiptRequest.subject', {
      count: receipts,
      client: clientsOf(props),
    }),
  );
}

function texts(props: ReceiptRequestProps) {
  const { t, format } = i18n();
  const questions = asked(props).questions > 0;
  const intro = questions
    ? props.followUp > 0
      ? 'emails.receiptRequest.followUpIntroQuestions'
      : 'emails.receiptRequest.introQuestions'
    : props.followUp > 0
      ? 'emails.receiptRequest.followUpIntro'
      : 'emails.receiptRequest.intro';
  const line = (e: ReceiptRequestProps['expenses'][number]) =>
    t('emails.receiptRequest.line', {
      date: format.day(e.spentOn),
      merchant: e.merchant,
      amount: format.money(e.amountCents, e.currency),
    });
  // Under each line, when the e-mail asks questions: what is asked about that expense.
  const ask = (e: ReceiptRequestProps['expenses'][number]) =>
    questions
      ? [
          e.needsReceipt !== false ? t('emails.receiptRequest.receiptWanted') : null,
          e.question
            ? t('emails.receiptRequest.question', {
                question:
                  e.question === 'other' && e.questionText ? e.questionText : t(`questions.kinds.${e.question}`),
              })
            : null,
        ]
          .filter(Boolean)
          .join(' · ')
      : '';
  return {
    hello: props.recipientName
      ? t('emails.receiptRequest.hello', { name: firstName(props.recipientName) })
      : t('emails.receiptRequest.helloAnonymous'),
    intro: t(intro, {
      requester: props.requesterName,
      firm: props.firmName,
      client: clientsOf(props),
      count: allExpenses(props).length,
    }),
    messageBy: t('emails.receiptRequest.messageBy', { requester: props.requesterName }),
    sections: sectionsOf(props).map((section) => ({
      ...section,
      openFor: t(questions ? 'emails.receiptRequest.openQuestionsFor' : 'emails.receiptRequest.openFor', {
        client: section.clientName,
      }),
      lines: section.expenses.map((e) => ({ id: e.id, line: line(e), ask: ask(e) })),
    })),
    how: t(questions ? 'emails.receiptRequest.howQuestions' : 'emails.receiptRequest.how'),
    open: t(questions ? 'emails.receiptRequest.openQuestions' : 'emails.receiptRequest.open'),
    footer: t('emails.receiptRequest.footer', {
      firm: props.firmName,
      until: format.dayMonth(props.expiresAt),
    }),
  };
}

function Lines({ lines }: { lines: { id: string; line: string; ask: string }[] }) {
  return (
    <Section>
      {lines.map((l) => (
        <p key={l.id} style={{ margin: '0 0 4px', fontSize: 14 }}>
          {l.line}
          {l.ask ? (
            <>
              <br />
              <span style={{ color: colors.muted, fontSize: 13 }}>{l.ask}</span>
            </>
          ) : null}
        </p>
      ))}
    </Section>
  );
}

export default function ReceiptRequestEmail(props: ReceiptRequestProps) {
  const text = texts(props);
  return (
    <EmailLayout
      locale="fr"
      preview={receiptRequestSubject(props)}
      footer={<Text style={footerStyle}>{text.footer}</Text>}
    >
      <Heading as="h1" style={headingStyle}>
        {text.hello}
      </Heading>
      <Text>{text.intro}</Text>
      {text.sections.length === 1 ? <Lines lines={text.sections[0]!.lines} /> : null}
      {props.message ? (
        <Section style={{ borderLeft: `3px solid ${colors.border}`, paddingLeft: 12, marginTop: 12 }}>
          <Text style={{ margin: 0, color: colors.muted, fontSize: 13 }}>{text.messageBy}</Text>
          <Text style={{ margin: '4px 0 0', whiteSpace: 'pre-line' }}>{props.message}</Text>
        </Section>
      ) : null}
      <Text>{text.how}</Text>
      {text.sections.length === 1 ? (
        <Section style={{ marginTop: 8 }}>
          <Button href={props.url} style={buttonStyle}>
            {text.open}
          </Button>
        </Section>
      ) : (
        // One link per client: each opens that client's page, as a request of its own.
        text.sections.map((section) => (
          <Section key={section.url} style={{ marginTop: 16 }}>
            <Heading as="h2" style={{ fontSize: 16, margin: '0 0 6px' }}>
              {section.clientName}
            </Heading>
            <Lines lines={section.lines} />
            <Button href={section.url} style={{ ...buttonStyle, marginTop: 8 }}>
              {section.openFor}
            </Button>
          </Section>
        ))
      )}
    </EmailLayout>
  );
}

export function receiptRequestText(props: ReceiptRequestProps): string {
  const text = texts(props);
  const { t } = i18n();
  return [
    text.hello,
    '',
    text.intro,
    '',
    ...(text.sections.length === 1
      ? [...text.sections[0]!.lines.flatMap((l) => [`- ${l.line}`, ...(l.ask ? [`  ${l.ask}`] : [])]), '']
      : []),
    ...(props.message ? [text.messageBy, props.message, ''] : []),
    text.how,
    ...(text.sections.length === 1
      ? [t('emails.linkLine', { label: text.open, url: props.url })]
      : text.sections.flatMap((section) => [
          '',
          section.clientName,
          ...section.lines.flatMap((l) => [`- ${l.line}`, ...(l.ask ? [`  ${l.ask}`] : [])]),
          t('emails.linkLine', { label: section.openFor, url: section.url }),
        ])),
    '',
    text.footer,
  ].join('\n');
}

ReceiptRequestEmail.PreviewProps = {
  recipientName: 'Camille Durand',
  firmName: 'Cabinet Démo',
  requesterName: 'Léa Martin',
  clientName: 'Boucherie Lefèvre & Fils',
  message: 'Merci de nous les transmettre avant la clôture du mois.',
  expenses: [
    { id: '1', spentOn: '2026-11-02', merchant: 'SNCF', amountCents: 8_940, currency: 'EUR' },
    { id: '2', spentOn: '2026-11-14', merchant: 'Metro Cash & Carry', amountCents: 123_456, currency: 'EUR' },
  ],
  url: 'http://localhost:3000/recus/exemple',
  expiresAt: new Date('2026-12-28T12:00:00Z'),
  followUp: 0,
} satisfies ReceiptRequestProps;
