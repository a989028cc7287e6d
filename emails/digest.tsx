import { Button, Heading, Link, Section, Text } from '@react-email/components';
import { formatCount, formatMoney, plural } from '../lib/format';
import { colors, EmailLayout } from './layout';

export type DigestClient = {
  clientId: string;
  name: string;
  balanceCents: number;
  currency: string;
  missingReceipts: number;
  readyToExport: number;
  url: string;
  unsubscribeUrl: string;
};

export type DigestEmailProps = {
  userName: string;
  firmName: string;
  dayLabel: string;
  clients: DigestClient[];
  settingsUrl: string;
  unsubscribeAllUrl: string;
};

export function hasOpenTasks(client: Pick<DigestClient, 'missingReceipts' | 'readyToExport'>): boolean {
  return client.missingReceipts > 0 || client.readyToExport > 0;
}

export function digestSubject(props: Pick<DigestEmailProps, 'clients' | 'dayLabel'>): string {
  const open = props.clients.filter(hasOpenTasks).length;
  return open > 0
    ? `Vos clients au ${props.dayLabel} : ${plural(open, 'client a', 'clients ont')} des tâches en cours`
    : `Vos clients au ${props.dayLabel} : tout est à jour`;
}

const cell = { padding: '10px 8px', borderBottom: `1px solid ${colors.border}`, fontSize: 14 } as const;
const num = { ...cell, textAlign: 'right' as const, whiteSpace: 'nowrap' as const };

export default function DigestEmail(props: DigestEmailProps) {
  return (
    <EmailLayout
      preview={digestSubject(props)}
      footer={
        <Text style={{ color: colors.muted, fontSize: 12, margin: 0 }}>
          Vous recevez cet e-mail car vous avez activé les notifications pour ces clients sur le Portail Partenaires de{' '}
          {props.firmName}. <Link href={props.settingsUrl}>Gérer mes notifications</Link> ·{' '}
          <Link href={props.unsubscribeAllUrl}>Ne plus recevoir ce récapitulatif</Link>
        </Text>
      }
    >
      <Heading as="h1" style={{ fontSize: 20, margin: '0 0 8px' }}>
        Bonjour {props.userName},
      </Heading>
      <Text style={{ margin: '0 0 16px' }}>Voici les tâches de comptabilité en cours de vos clients au {props.dayLabel}.</Text>
      <Section>
        <table width="100%" cellPadding={0} cellSpacing={0} style={{ borderCollapse: 'collapse' }}>
          <thead>
            <tr>
              <th style={{ ...cell, textAlign: 'left', color: colors.muted, fontSize: 12 }}>Client</th>
              <th style={{ ...num, color: colors.muted, fontSize: 12 }}>Solde du compte</th>
              <th style={{ ...num, color: colors.muted, fontSize: 12 }}>Reçus manquants</th>
              <th style={{ ...num, color: colors.muted, fontSize: 12 }}>Dépenses prêtes à être exportées</th>
            </tr>
          </thead>
          <tbody>
            {props.clients.map((client) => (
              <tr key={client.clientId}>
                <td style={cell}>
                  <Link href={client.url} style={{ color: colors.accent, fontWeight: 600 }}>
                    {client.name}
                  </Link>
                  <br />
                  <Link href={client.unsubscribeUrl} style={{ color: colors.muted, fontSize: 11 }}>
                    Ne plus recevoir pour ce client
                  </Link>
                </td>
                <td style={{ ...num, color: client.balanceCents < 0 ? colors.danger : colors.text }}>
                  {formatMoney(client.balanceCents, client.currency)}
                </td>
                <td style={num}>{formatCount(client.missingReceipts)}</td>
                <td style={num}>{formatCount(client.readyToExport)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      {props.clients[0] ? (
        <Section style={{ marginTop: 20 }}>
          <Button href={props.clients[0].url} style={{ backgroundColor: colors.accent, color: '#ffffff', padding: '10px 18px', borderRadius: 6 }}>
            Accéder au client {props.clients[0].name}
          </Button>
        </Section>
      ) : null}
    </EmailLayout>
  );
}

/** The plain-text part, written for reading rather than derived from the HTML. */
export function digestText(props: DigestEmailProps): string {
  const lines = [
    `Bonjour ${props.userName},`,
    '',
    `Voici les tâches de comptabilité en cours de vos clients au ${props.dayLabel}.`,
    '',
  ];
  for (const client of props.clients) {
    lines.push(
      client.name,
      `  Solde du compte : ${formatMoney(client.balanceCents, client.currency)}`,
      `  Reçus manquants : ${formatCount(client.missingReceipts)}`,
      `  Dépenses prêtes à être exportées : ${formatCount(client.readyToExport)}`,
      `  Accéder au client : ${client.url}`,
      `  Ne plus recevoir pour ce client : ${client.unsubscribeUrl}`,
      '',
    );
  }
  lines.push(
    '--',
    `Portail Partenaires · ${props.firmName}`,
    `Gérer mes notifications : ${props.settingsUrl}`,
    `Ne plus recevoir ce récapitulatif : ${props.unsubscribeAllUrl}`,
  );
  return lines.join('\n');
}

DigestEmail.PreviewProps = {
  userName: 'Léa Martin',
  firmName: 'Cabinet Démo',
  dayLabel: 'lundi 30 novembre',
  settingsUrl: 'http://localhost:3000/clients',
  unsubscribeAllUrl: 'http://localhost:3000/desabonnement/d.exemple',
  clients: [
    { clientId: '1', name: 'Boucherie Lefèvre & Fils', balanceCents: -12_530, currency: 'EUR', missingReceipts: 4, readyToExport: 7, url: 'http://localhost:3000/clients/1', unsubscribeUrl: 'http://localhost:3000/desabonnement/s.1' },
    { clientId: '2', name: 'Château Saint-Émilion Vignobles', balanceCents: 45_812_090, currency: 'EUR', missingReceipts: 1, readyToExport: 0, url: 'http://localhost:3000/clients/2', unsubscribeUrl: 'http://localhost:3000/desabonnement/s.2' },
    { clientId: '3', name: "L'Atelier du Meuble", balanceCents: 87_215, currency: 'EUR', missingReceipts: 0, readyToExport: 0, url: 'http://localhost:3000/clients/3', unsubscribeUrl: 'http://localhost:3000/desabonnement/s.3' },
  ],
} satisfies DigestEmailProps;
