import { Button, Heading, Section, Text } from '@react-email/components';
import { formatCount, formatMoney } from '../lib/format';
import { colors, EmailLayout } from './layout';

export type ReminderTaskLine = { label: string; value: string };

export type ReminderEmailProps = {
  recipientName: string;
  senderName: string;
  firmName: string;
  clientName: string;
  clientUrl: string;
  tasks: ReminderTaskLine[];
  comment: string;
};

/** Client names come from the database, never from the form; still, no line break in a header. */
export function reminderSubject(clientName: string): string {
  return `Rappel : tâches en cours pour ${clientName}`.replace(/[\r\n]+/g, ' ');
}

export function reminderTaskLines(
  tasks: readonly ('missing_receipts' | 'ready_to_export' | 'balance')[],
  figures: { missingReceipts: number; readyToExport: number; balanceCents: number; currency: string },
): ReminderTaskLine[] {
  const lines: Record<(typeof tasks)[number], ReminderTaskLine> = {
    missing_receipts: { label: 'Reçus manquants', value: formatCount(figures.missingReceipts) },
    ready_to_export: { label: 'Dépenses prêtes à être exportées', value: formatCount(figures.readyToExport) },
    balance: { label: 'Solde du compte', value: formatMoney(figures.balanceCents, figures.currency) },
  };
  return tasks.map((task) => lines[task]);
}

export default function ReminderEmail(props: ReminderEmailProps) {
  return (
    <EmailLayout
      preview={`${props.senderName} vous rappelle des tâches en cours pour ${props.clientName}`}
      footer={
        <Text style={{ color: colors.muted, fontSize: 12, margin: 0 }}>
          Vous recevez cet e-mail car vous êtes comptable attribué à {props.clientName} sur le Portail Partenaires de {props.firmName}.
        </Text>
      }
    >
      <Heading as="h1" style={{ fontSize: 20, margin: '0 0 8px' }}>
        Bonjour {props.recipientName},
      </Heading>
      <Text>
        {props.senderName} vous rappelle les tâches de comptabilité en cours pour <strong>{props.clientName}</strong> :
      </Text>
      <Section>
        <table width="100%" cellPadding={0} cellSpacing={0} style={{ borderCollapse: 'collapse' }}>
          <tbody>
            {props.tasks.map((task) => (
              <tr key={task.label}>
                <td style={{ padding: '8px 0', borderBottom: `1px solid ${colors.border}` }}>{task.label}</td>
                <td style={{ padding: '8px 0', borderBottom: `1px solid ${colors.border}`, textAlign: 'right', fontWeight: 600 }}>{task.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      {props.comment ? (
        <Section style={{ backgroundColor: '#f6f7f9', borderRadius: 6, padding: '4px 16px', marginTop: 16 }}>
          <Text style={{ color: colors.muted, fontSize: 12, margin: '8px 0 0' }}>Commentaire de {props.senderName} :</Text>
          {/* React escapes the text: HTML in a comment shows as text. Line breaks are kept. */}
          <Text style={{ whiteSpace: 'pre-wrap', margin: '4px 0 8px' }}>{props.comment}</Text>
        </Section>
      ) : null}
      <Section style={{ marginTop: 20 }}>
        <Button href={props.clientUrl} style={{ backgroundColor: colors.accent, color: '#ffffff', padding: '10px 18px', borderRadius: 6 }}>
          Accéder au client
        </Button>
      </Section>
    </EmailLayout>
  );
}

export function reminderText(props: ReminderEmailProps): string {
  return [
    `Bonjour ${props.recipientName},`,
    '',
    `${props.senderName} vous rappelle les tâches de comptabilité en cours pour ${props.clientName} :`,
    '',
    ...props.tasks.map((task) => `- ${task.label} : ${task.value}`),
    ...(props.comment ? ['', `Commentaire de ${props.senderName} :`, props.comment] : []),
    '',
    `Accéder au client : ${props.clientUrl}`,
    '',
    '--',
    `Portail Partenaires · ${props.firmName}`,
  ].join('\n');
}

ReminderEmail.PreviewProps = {
  recipientName: 'Léa Martin',
  senderName: 'Claire Dubois',
  firmName: 'Cabinet Démo',
  clientName: 'Boucherie Lefèvre & Fils',
  clientUrl: 'http://localhost:3000/clients/1',
  tasks: [
    { label: 'Reçus manquants', value: '4' },
    { label: 'Solde du compte', value: '-125,30 €' },
  ],
  comment: 'Le client clôture son exercice vendredi.\nPeux-tu relancer pour les reçus de novembre ?',
} satisfies ReminderEmailProps;
