import { Button, Heading, Link, Section, Text } from '@react-email/components';
import type { Locale } from '../lib/server/i18n/locales';
import { i18nFor } from '../lib/server/i18n/translator';
import { buttonStyle, colors, EmailLayout, footerStyle, headingStyle, oneLine, firstName } from './layout';

type Figures = { missingReceipts: number; readyToExport: number; balanceCents: number };

export type DigestClient = Figures & {
  clientId: string;
  name: string;
  currency: string;
  url: string;
  unsubscribeUrl: string;
  /** The same client in the user's previous digest (none for the first one). */
  previous?: Figures & { day: Date };
  /** Its month's close, when it is late or due this week (« 2026-11 », the close date). */
  close?: { month: string; on: string; late: boolean };
};

export type DigestEmailProps = {
  locale: Locale;
  userName: string;
  firmName: string;
  /** The Paris day of the run. */
  day: Date;
  clients: DigestClient[];
  portalUrl: string;
  settingsUrl: string;
  unsubscribeAllUrl: string;
  /**
   * The clients of this e-mail that receipts or answers came back for since the previous digest
   * (none: the last 7 days), most first, and the Boîte de réception where they wait.
   */
  cameBack?: { clients: { name: string; count: number }[]; since?: Date; url: string };
};

/** Most missing receipts first, then most to export, then a negative balance. */
export function byUrgency(a: Figures, b: Figures): number {
  return (
    b.missingReceipts - a.missingReceipts ||
    b.readyToExport - a.readyToExport ||
    Number(b.balanceCents < 0) - Number(a.balanceCents < 0)
  );
}

function totals(clients: DigestClient[]) {
  const sum = (pick: (c: Figures) => number) => clients.reduce((n, c) => n + pick(c), 0);
  const compared = clients.filter((c) => c.previous);
  return {
    missing: sum((c) => c.missingReceipts),
    ready: sum((c) => c.readyToExport),
    clients: clients.length,
    // Since the previous digest, over the clients it also showed.
    missingDelta: compared.reduce((n, c) => n + c.missingReceipts - c.previous!.missingReceipts, 0),
    readyDelta: compared.reduce((n, c) => n + c.readyToExport - c.previous!.readyToExport, 0),
    since: compared[0]?.previous?.day,
  };
}

/** What changed since the previous digest, in sentences: totals first, then what needs a look. */
function changes(props: DigestEmailProps): string[] {
  const { t, format } = i18nFor(props.locale);
  const sum = totals(props.clients);
  const late = props.clients.filter((c) => c.close?.late).map((c) => c.name);
  const week = props.clients.filter((c) => c.close && !c.close.late).map((c) => c.name);
  const closes = [
    ...(late.length > 0 ? [t('emails.digest.closeLate', { count: late.length, names: format.list(late) })] : []),
    ...(week.length > 0 ? [t('emails.digest.closeWeek', { count: week.length, names: format.list(week) })] : []),
  ];
  if (!sum.since) return closes;
  const since = format.weekday(sum.since);
  const lines: string[] = [...closes];
  if (sum.missingDelta !== 0) lines.push(t('emails.digest.missingDelta', { delta: sum.missingDelta, since }));
  if (sum.readyDelta !== 0) lines.push(t('emails.digest.readyDelta', { delta: sum.readyDelta, since }));
  for (const client of props.clients) {
    if (client.previous && client.previous.balanceCents >= 0 && client.balanceCents < 0) {
      lines.push(t('emails.digest.wentNegative', { name: client.name }));
    }
  }
  if (lines.length === closes.length && !props.cameBack) lines.push(t('emails.digest.noChange', { since }));
  return lines;
}

/** The most clients the « came back » line names; the others are counted. */
const CAME_BACK_NAMED = 5;

/** « Reçus et réponses arrivés depuis lundi : Dupont SARL (2) et Martin (1) ». */
function cameBackLine(props: DigestEmailProps): string | undefined {
  if (!props.cameBack) return undefined;
  const { t, format } = i18nFor(props.locale);
  const { clients, since } = props.cameBack;
  const named = clients
    .slice(0, CAME_BACK_NAMED)
    .map((c) => t('emails.digest.cameBackClient', { name: c.name, count: c.count }));
  const others = clients.length - named.length;
  const names = format.list(others > 0 ? [...named, t('emails.digest.cameBackOthers', { count: others })] : named);
  return since
    ? t('emails.digest.cameBack', { since: format.weekday(since), names })
    : t('emails.digest.cameBackWeek', { names });
}

/** « Clôture de novembre 2026 : avant le 16/12/2026 (en retard) ». */
function closeLine(props: Pick<DigestEmailProps, 'locale'>, close: NonNullable<DigestClient['close']>): string {
  const { t, format } = i18nFor(props.locale);
  return t(close.late ? 'emails.digest.closeLineLate' : 'emails.digest.closeLine', {
    month: format.monthYear(new Date(`${close.month}-15T12:00:00Z`)),
    day: format.day(close.on),
  });
}

export function digestSubject(props: Pick<DigestEmailProps, 'locale' | 'clients' | 'day'>): string {
  const { t, format } = i18nFor(props.locale);
  const sum = totals(props.clients);
  return oneLine(
    t('emails.digest.subject', { day: format.dayMonth(props.day), missing: sum.missing, ready: sum.ready }),
  );
}

const block = { borderTop: `1px solid ${colors.border}`, padding: '10px 0' } as const;
const clientLink = { color: colors.accent, fontWeight: 600, fontSize: 15, textDecorationLine: 'none' } as const;
const figuresLine = { fontSize: 14, lineHeight: '24px', margin: '4px 0 0' } as const;
const unsubscribeLink = { color: colors.muted, textDecorationLine: 'none' } as const;
const amountStyle = { whiteSpace: 'nowrap' } as const;
const negativeAmount = { whiteSpace: 'nowrap', color: '#b42318', fontWeight: 600 } as const;

/** « 1 234,56 € », or « -125,30 € (négatif) »: a negative balance is said, not only coloured. */
function balanceText(props: Pick<DigestEmailProps, 'locale'>, client: DigestClient): string {
  const { t, format } = i18nFor(props.locale);
  const amount = format.money(client.balanceCents, client.currency);
  return client.balanceCents < 0 ? t('emails.digest.negative', { balance: amount }) : amount;
}

export default function DigestEmail(props: DigestEmailProps) {
  const { t, format } = i18nFor(props.locale);
  const sum = totals(props.clients);
  return (
    <EmailLayout
      locale={props.locale}
      preview={digestSubject(props)}
      footer={
        <>
          <Text style={footerStyle}>
            {t('emails.digest.footer', { firm: props.firmName })}{' '}
            <Link href={props.settingsUrl}>{t('emails.digest.settings')}</Link> ·{' '}
            <Link href={props.unsubscribeAllUrl}>{t('emails.digest.unsubscribeAll')}</Link>
          </Text>
          <Text style={footerStyle}>
            {t('emails.digest.unsubscribeOne')}{' '}
            {props.clients.map((client, i) => (
              <span key={client.clientId}>
                {i > 0 ? ' · ' : null}
                <a href={client.unsubscribeUrl} target="_blank" style={unsubscribeLink}>
                  {client.name}
                </a>
              </span>
            ))}
          </Text>
        </>
      }
    >
      <Heading as="h1" style={headingStyle}>
        {t('emails.digest.hello', { name: firstName(props.userName) })}
      </Heading>
      <Text style={{ margin: '0 0 4px' }}>{t('emails.digest.intro', { day: format.dayMonth(props.day) })}</Text>
      <Text style={{ margin: '0 0 12px', fontWeight: 600 }}>
        {t('emails.digest.totals', { missing: sum.missing, ready: sum.ready, clients: sum.clients })}
      </Text>
      {changes(props).map((line) => (
        <Text key={line} style={{ margin: '0 0 4px', color: colors.muted }}>
          {line}
        </Text>
      ))}
      {props.cameBack ? (
        <Text style={{ margin: '0 0 4px' }}>
          {cameBackLine(props)} <Link href={props.cameBack.url}>{t('emails.digest.openInbox')}</Link>
        </Text>
      ) : null}
      <Section style={{ marginTop: 12 }}>
        {/* Plain elements in the per-client loops: the same markup react-email's Link and Text
            give, without their per-element style work (a digest holds dozens of clients). */}
        {props.clients.map((client) => (
          <div key={client.clientId} style={block}>
            <a href={client.url} target="_blank" style={clientLink}>
              {client.name}
            </a>
            <p style={figuresLine}>
              {t.rich('emails.digest.figures', {
                missing: format.count(client.missingReceipts),
                ready: format.count(client.readyToExport),
                balance: balanceText(props, client),
                // Kept on one line at 390 px; a negative balance in red, and said (not only coloured).
                amount: (chunks) => (
                  <span style={client.balanceCents < 0 ? negativeAmount : amountStyle}>{chunks}</span>
                ),
              })}
            </p>
            {client.close ? <p style={figuresLine}>{closeLine(props, client.close)}</p> : null}
          </div>
        ))}
      </Section>
      <Section style={{ marginTop: 20 }}>
        <Button href={props.portalUrl} style={buttonStyle}>
          {t('emails.digest.openPortal')}
        </Button>
      </Section>
    </EmailLayout>
  );
}

/** The plain-text part, written for reading rather than derived from the HTML. */
export function digestText(props: DigestEmailProps): string {
  const { t, format } = i18nFor(props.locale);
  const sum = totals(props.clients);
  const line = (label: string, value: string) => `  ${t('emails.digest.line', { label, value })}`;
  const lines = [
    t('emails.digest.hello', { name: firstName(props.userName) }),
    '',
    t('emails.digest.intro', { day: format.dayMonth(props.day) }),
    t('emails.digest.totals', { missing: sum.missing, ready: sum.ready, clients: sum.clients }),
    ...changes(props),
    ...(props.cameBack
      ? [cameBackLine(props)!, t('emails.linkLine', { label: t('emails.digest.openInbox'), url: props.cameBack.url })]
      : []),
    '',
  ];
  const labels = {
    missing: t('emails.digest.missing'),
    ready: t('emails.digest.ready'),
    balance: t('emails.digest.balance'),
    open: t('emails.digest.open'),
  };
  for (const client of props.clients) {
    lines.push(
      client.name,
      line(labels.missing, format.count(client.missingReceipts)),
      line(labels.ready, format.count(client.readyToExport)),
      line(labels.balance, balanceText(props, client)),
      ...(client.close ? [`  ${closeLine(props, client.close)}`] : []),
      line(labels.open, client.url),
      '',
    );
  }
  lines.push(
    t('emails.linkLine', { label: t('emails.digest.openPortal'), url: props.portalUrl }),
    '',
    '--',
    t('emails.digest.signature', { firm: props.firmName }),
    t('emails.linkLine', { label: t('emails.digest.settings'), url: props.settingsUrl }),
    t('emails.linkLine', { label: t('emails.digest.unsubscribeAll'), url: props.unsubscribeAllUrl }),
    ...props.clients.map((client) =>
      t('emails.linkLine', {
        label: t('emails.digest.unsubscribeClientNamed', { name: client.name }),
        url: client.unsubscribeUrl,
      }),
    ),
  );
  return lines.join('\n');
}

DigestEmail.PreviewProps = {
  locale: 'fr',
  userName: 'Léa Martin',
  firmName: 'Cabinet Démo',
  day: new Date('2026-12-07T09:00:00Z'),
  portalUrl: 'http://localhost:3000/clients',
  settingsUrl: 'http://localhost:3000/compte/notifications',
  unsubscribeAllUrl: 'http://localhost:3000/desabonnement/d.exemple',
  cameBack: {
    clients: [{ name: 'Boucherie Lefèvre & Fils', count: 2 }],
    since: new Date('2026-11-30T12:00:00Z'),
    url: 'http://localhost:3000/boite',
  },
  clients: [
    {
      clientId: '1',
      name: 'Boucherie Lefèvre & Fils',
      balanceCents: -12_530,
      currency: 'EUR',
      missingReceipts: 7,
      readyToExport: 4,
      url: 'http://localhost:3000/clients/1',
      unsubscribeUrl: 'http://localhost:3000/desabonnement/s.1',
      previous: { missingReceipts: 4, readyToExport: 4, balanceCents: 8_000, day: new Date('2026-11-30T12:00:00Z') },
    },
    {
      clientId: '2',
      name: 'Château Saint-Émilion Vignobles',
      balanceCents: 45_812_090,
      currency: 'EUR',
      missingReceipts: 1,
      readyToExport: 12,
      url: 'http://localhost:3000/clients/2',
      unsubscribeUrl: 'http://localhost:3000/desabonnement/s.2',
      previous: {
        missingReceipts: 1,
        readyToExport: 3,
        balanceCents: 45_000_000,
        day: new Date('2026-11-30T12:00:00Z'),
      },
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
