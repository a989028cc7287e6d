import { Button, Heading, Link, Section, Text } from '@react-email/components';
import type { Locale } from '../lib/i18n/locales';
import { i18nFor } from '../lib/i18n/translator';
import { buttonStyle, colors, EmailLayout, footerStyle, headingStyle, oneLine } from './layout';

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
  locale: Locale;
  userName: string;
  firmName: string;
  /** The Paris day of the run. */
  day: Date;
  clients: DigestClient[];
  settingsUrl: string;
  unsubscribeAllUrl: string;
};

export function hasOpenTasks(client: Pick<DigestClient, 'missingReceipts' | 'readyToExport'>): boolean {
  return client.missingReceipts > 0 || client.readyToExport > 0;
}

export function digestSubject(props: Pick<DigestEmailProps, 'locale' | 'clients' | 'day'>): string {
  const { t, format } = i18nFor(props.locale);
  const open = props.clients.filter(hasOpenTasks).length;
  const day = format.dayMonth(props.day);
  return oneLine(
    open > 0 ? t('emails.digest.subjectOpen', { day, count: open }) : t('emails.digest.subjectDone', { day }),
  );
}

const cell = { padding: '10px 8px', borderBottom: `1px solid ${colors.border}`, fontSize: 14 } as const;
const num = { ...cell, textAlign: 'right' as const, whiteSpace: 'nowrap' as const };
const head = { color: colors.muted, fontSize: 12 } as const;

export default function DigestEmail(props: DigestEmailProps) {
  const { t, format } = i18nFor(props.locale);
  const first = props.clients[0];
  return (
    <EmailLayout
      locale={props.locale}
      preview={digestSubject(props)}
      footer={
        <Text style={footerStyle}>
          {t('emails.digest.footer', { firm: props.firmName })}{' '}
          <Link href={props.settingsUrl}>{t('emails.digest.settings')}</Link> ·{' '}
          <Link href={props.unsubscribeAllUrl}>{t('emails.digest.unsubscribeAll')}</Link>
        </Text>
      }
    >
      <Heading as="h1" style={headingStyle}>
        {t('emails.digest.hello', { name: props.userName })}
      </Heading>
      <Text style={{ margin: '0 0 16px' }}>{t('emails.digest.intro', { day: format.dayMonth(props.day) })}</Text>
      <Section>
        <table width="100%" cellPadding={0} cellSpacing={0} style={{ borderCollapse: 'collapse' }}>
          <thead>
            <tr>
              <th style={{ ...cell, ...head, textAlign: 'left' }}>{t('emails.digest.client')}</th>
              <th style={{ ...num, ...head }}>{t('emails.digest.balance')}</th>
              <th style={{ ...num, ...head }}>{t('emails.digest.missing')}</th>
              <th style={{ ...num, ...head }}>{t('emails.digest.ready')}</th>
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
                    {t('emails.digest.unsubscribeClient')}
                  </Link>
                </td>
                <td style={{ ...num, color: client.balanceCents < 0 ? colors.danger : colors.text }}>
                  {format.money(client.balanceCents, client.currency)}
                </td>
                <td style={num}>{format.count(client.missingReceipts)}</td>
                <td style={num}>{format.count(client.readyToExport)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      {first ? (
        <Section style={{ marginTop: 20 }}>
          <Button href={first.url} style={buttonStyle}>
            {t('emails.digest.openClient', { name: first.name })}
          </Button>
        </Section>
      ) : null}
    </EmailLayout>
  );
}

/** The plain-text part, written for reading rather than derived from the HTML. */
export function digestText(props: DigestEmailProps): string {
  const { t, format } = i18nFor(props.locale);
  const line = (label: string, value: string) => `  ${t('emails.digest.line', { label, value })}`;
  const lines = [
    t('emails.digest.hello', { name: props.userName }),
    '',
    t('emails.digest.intro', { day: format.dayMonth(props.day) }),
    '',
  ];
  for (const client of props.clients) {
    lines.push(
      client.name,
      line(t('emails.digest.balance'), format.money(client.balanceCents, client.currency)),
      line(t('emails.digest.missing'), format.count(client.missingReceipts)),
      line(t('emails.digest.ready'), format.count(client.readyToExport)),
      line(t('emails.digest.open'), client.url),
      line(t('emails.digest.unsubscribeClient'), client.unsubscribeUrl),
      '',
    );
  }
  lines.push(
    '--',
    t('emails.digest.signature', { firm: props.firmName }),
    t('emails.linkLine', { label: t('emails.digest.settings'), url: props.settingsUrl }),
    t('emails.linkLine', { label: t('emails.digest.unsubscribeAll'), url: props.unsubscribeAllUrl }),
  );
  return lines.join('\n');
}

DigestEmail.PreviewProps = {
  locale: 'fr',
  userName: 'Léa Martin',
  firmName: 'Cabinet Démo',
  day: new Date('2026-12-01T09:00:00Z'),
  settingsUrl: 'http://localhost:3000/clients',
  unsubscribeAllUrl: 'http://localhost:3000/desabonnement/d.exemple',
  clients: [
    {
      clientId: '1',
      name: 'Boucherie Lefèvre & Fils',
      balanceCents: -12_530,
      currency: 'EUR',
      missingReceipts: 4,
      readyToExport: 7,
      url: 'http://localhost:3000/clients/1',
      unsubscribeUrl: 'http://localhost:3000/desabonnement/s.1',
    },
    {
      clientId: '2',
      name: 'Château Saint-Émilion Vignobles',
      balanceCents: 45_812_090,
      currency: 'EUR',
      missingReceipts: 1,
      readyToExport: 0,
      url: 'http://localhost:3000/clients/2',
      unsubscribeUrl: 'http://localhost:3000/desabonnement/s.2',
    },
    {
      clientId: '3',
      name: "L'Atelier du Meuble",
      balanceCents: 87_215,
      currency: 'EUR',
      missingReceipts: 0,
      readyToExport: 0,
      url: 'http://localhost:3000/clients/3',
      unsubscribeUrl: 'http://localhost:3000/desabonnement/s.3',
    },
  ],
} satisfies DigestEmailProps;
