import { Button, Heading, Section, Text } from '@react-email/components';
import type { ReminderTask } from '../db/schema';
import type { Locale } from '../lib/server/i18n/locales';
import { i18nFor } from '../lib/server/i18n/translator';
import { buttonStyle, colors, EmailLayout, footerStyle, headingStyle, oneLine, firstName } from './layout';

export type ReminderFigures = {
  missingReceipts: number;
  readyToExport: number;
  balanceCents: number;
  currency: string;
};

export type ReminderEmailProps = {
  locale: Locale;
  recipientName: string;
  senderName: string;
  firmName: string;
  clientName: string;
  clientUrl: string;
  tasks: readonly ReminderTask[];
  figures: ReminderFigures;
  comment: string;
  /** The client's month to close, when late or due this week at the reminder's creation. */
  close?: { month: string; on: string; late: boolean };
};

export function reminderSubject(props: Pick<ReminderEmailProps, 'locale' | 'clientName'>): string {
  return oneLine(i18nFor(props.locale).t('emails.reminder.subject', { client: props.clientName }));
}

function texts(props: ReminderEmailProps) {
  const { t, format } = i18nFor(props.locale);
  const values: Record<ReminderTask, string> = {
    missing_receipts: format.count(props.figures.missingReceipts),
    ready_to_export: format.count(props.figures.readyToExport),
    balance: format.money(props.figures.balanceCents, props.figures.currency),
  };
  return {
    t,
    preview: t('emails.reminder.preview', { sender: props.senderName, client: props.clientName }),
    // « Bonjour Léa, » : the first name, between colleagues.
    hello: t('emails.reminder.hello', { name: firstName(props.recipientName) }),
    lines: props.tasks.map((task) => ({ label: t(`reminders.tasks.${task}`), value: values[task] })),
    close: props.close
      ? t(props.close.late ? 'emails.digest.closeLineLate' : 'emails.digest.closeLine', {
          month: format.monthYear(new Date(`${props.close.month}-15T12:00:00Z`)),
          day: format.day(props.close.on),
        })
      : undefined,
    commentBy: t('emails.reminder.commentBy', { sender: props.senderName }),
    open: t('emails.reminder.open'),
    footer: t('emails.reminder.footer', { client: props.clientName, firm: props.firmName }),
  };
}

const cell = { padding: '8px 0', borderBottom: `1px solid ${colors.border}` } as const;

export default function ReminderEmail(props: ReminderEmailProps) {
  const text = texts(props);
  return (
    <EmailLayout locale={props.locale} preview={text.preview} footer={<Text style={footerStyle}>{text.footer}</Text>}>
      <Heading as="h1" style={headingStyle}>
        {text.hello}
      </Heading>
      <Text>
        {text.t.rich('emails.reminder.intro', {
          sender: props.senderName,
          client: props.clientName,
          strong: (chunks) => <strong>{chunks}</strong>,
        })}
      </Text>
      <Section>
        <table width="100%" cellPadding={0} cellSpacing={0} style={{ borderCollapse: 'collapse' }}>
          <tbody>
            {text.lines.map((line) => (
              <tr key={line.label}>
                <td style={cell}>{line.label}</td>
                <td style={{ ...cell, textAlign: 'right', fontWeight: 600 }}>{line.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      {text.close ? <Text style={{ fontWeight: 600 }}>{text.close}</Text> : null}
      {props.comment ? (
        <Section style={{ backgroundColor: '#f6f7f9', borderRadius: 6, padding: '4px 16px', marginTop: 16 }}>
          <Text style={{ color: colors.muted, fontSize: 12, margin: '8px 0 0' }}>{text.commentBy}</Text>
          {/* React escapes the text: HTML in a comment shows as text. Line breaks are kept. */}
          <Text style={{ whiteSpace: 'pre-wrap', margin: '4px 0 8px' }}>{props.comment}</Text>
        </Section>
      ) : null}
      <Section style={{ marginTop: 20 }}>
        <Button href={props.clientUrl} style={buttonStyle}>
          {text.open}
        </Button>
      </Section>
    </EmailLayout>
  );
}

export function reminderText(props: ReminderEmailProps): string {
  const text = texts(props);
  const { t } = text;
  return [
    text.hello,
    '',
    t.markup('emails.reminder.intro', {
      sender: props.senderName,
      client: props.clientName,
      strong: (chunks) => chunks,
    }),
    '',
    ...text.lines.map((line) => t('emails.reminder.line', line)),
    ...(text.close ? ['', text.close] : []),
    ...(props.comment ? ['', text.commentBy, props.comment] : []),
    '',
    t('emails.linkLine', { label: text.open, url: props.clientUrl }),
    '',
    '--',
    t('emails.reminder.signature', { firm: props.firmName }),
  ].join('\n');
}

ReminderEmail.PreviewProps = {
  locale: 'fr',
  recipientName: 'Léa Martin',
  senderName: 'Claire Dubois',
  firmName: 'Cabinet Démo',
  clientName: 'Boucherie Lefèvre & Fils',
  clientUrl: 'http://localhost:3000/clients/1',
  tasks: ['missing_receipts', 'balance'],
  figures: { missingReceipts: 4, readyToExport: 7, balanceCents: -12_530, currency: 'EUR' },
  comment: 'Le client clôture son exercice vendredi.\nPeux-tu relancer pour les reçus de novembre ?',
} satisfies ReminderEmailProps;
