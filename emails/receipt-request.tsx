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
};

const i18n = () => i18nFor('fr');

/** How many receipts and questions the e-mail asks for. */
function asked(props: Pick<ReceiptRequestProps, 'expenses'>) {
  return {
    receipts: props.expenses.filter((e) => e.needsReceipt !== false).length,
    questions: props.expenses.filter((e) => e.question).length,
  };
}

export function receiptRequestSubject(props: Pick<ReceiptRequestProps, 'clientName' | 'expenses' | 'followUp'>) {
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
          client: props.clientName,
        },
      ),
    );
  return oneLine(
    t(props.followUp > 0 ? 'emails.receiptRequest.followUpSubject' : 'emails.receiptRequest.subject', {
      count: receipts,
      client: props.clientName,
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
  return {
    hello: props.recipientName
      ? t('emails.receiptRequest.hello', { name: firstName(props.recipientName) })
      : t('emails.receiptRequest.helloAnonymous'),
    intro: t(intro, {
      requester: props.requesterName,
      firm: props.firmName,
      client: props.clientName,
      count: props.expenses.length,
    }),
    messageBy: t('emails.receiptRequest.messageBy', { requester: props.requesterName }),
    lines: props.expenses.map((e) =>
      t('emails.receiptRequest.line', {
        date: format.day(e.spentOn),
        merchant: e.merchant,
        amount: format.money(e.amountCents, e.currency),
      }),
    ),
    // Under each line, when the e-mail asks questions: what is asked about that expense.
    asks: props.expenses.map((e) =>
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
        : '',
    ),
    how: t(questions ? 'emails.receiptRequest.howQuestions' : 'emails.receiptRequest.how'),
    open: t(questions ? 'emails.receiptRequest.openQuestions' : 'emails.receiptRequest.open'),
    footer: t('emails.receiptRequest.footer', {
      firm: props.firmName,
      until: format.dayMonth(props.expiresAt),
    }),
  };
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
      <Section>
        {text.lines.map((line, i) => (
          <p key={props.expenses[i]!.id} style={{ margin: '0 0 4px', fontSize: 14 }}>
            {line}
            {text.asks[i] ? (
              <>
                <br />
                <span style={{ color: colors.muted, fontSize: 13 }}>{text.asks[i]}</span>
              </>
            ) : null}
          </p>
        ))}
      </Section>
      {props.message ? (
        <Section style={{ borderLeft: `3px solid ${colors.border}`, paddingLeft: 12, marginTop: 12 }}>
          <Text style={{ margin: 0, color: colors.muted, fontSize: 13 }}>{text.messageBy}</Text>
          <Text style={{ margin: '4px 0 0', whiteSpace: 'pre-line' }}>{props.message}</Text>
        </Section>
      ) : null}
      <Text>{text.how}</Text>
      <Section style={{ marginTop: 8 }}>
        <Button href={props.url} style={buttonStyle}>
          {text.open}
        </Button>
      </Section>
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
    ...text.lines.flatMap((line, i) => [`- ${line}`, ...(text.asks[i] ? [`  ${text.asks[i]}`] : [])]),
    '',
    ...(props.message ? [text.messageBy, props.message, ''] : []),
    text.how,
    t('emails.linkLine', { label: text.open, url: props.url }),
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
