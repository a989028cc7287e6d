import { Button, Heading, Section, Text } from '@react-email/components';
import type { Locale } from '../lib/server/i18n/locales';
import { i18nFor } from '../lib/server/i18n/translator';
import { buttonStyle, EmailLayout, footerStyle, headingStyle, oneLine, firstName } from './layout';

/** « Demander l'accès »: what an admin receives when an accountant asks for a client. */
export type AccessRequestProps = {
  locale: Locale;
  adminName: string;
  requesterName: string;
  clientName: string;
  reason: string;
  decideUrl: string;
};

export function accessRequestSubject(props: Pick<AccessRequestProps, 'locale' | 'requesterName' | 'clientName'>) {
  return oneLine(
    i18nFor(props.locale).t('emails.accessRequest.subject', { name: props.requesterName, client: props.clientName }),
  );
}

function texts(props: AccessRequestProps) {
  const { t } = i18nFor(props.locale);
  return {
    hello: t('emails.accessRequest.hello', { name: firstName(props.adminName) }),
    intro: t('emails.accessRequest.intro', { name: props.requesterName, client: props.clientName }),
    reason: t('emails.accessRequest.reason', { reason: props.reason }),
    open: t('emails.accessRequest.open'),
    footer: t('emails.accessRequest.footer'),
    link: (label: string, url: string) => t('emails.linkLine', { label, url }),
  };
}

export default function AccessRequestEmail(props: AccessRequestProps) {
  const text = texts(props);
  return (
    <EmailLayout
      locale={props.locale}
      preview={accessRequestSubject(props)}
      footer={<Text style={footerStyle}>{text.footer}</Text>}
    >
      <Heading as="h1" style={headingStyle}>
        {text.hello}
      </Heading>
      <Text>{text.intro}</Text>
      <Text>{text.reason}</Text>
      <Section style={{ marginTop: 16 }}>
        <Button href={props.decideUrl} style={buttonStyle}>
          {text.open}
        </Button>
      </Section>
    </EmailLayout>
  );
}

export function accessRequestText(props: AccessRequestProps): string {
  const text = texts(props);
  return [text.hello, '', text.intro, text.reason, '', text.link(text.open, props.decideUrl), '', text.footer].join(
    '\n',
  );
}

AccessRequestEmail.PreviewProps = {
  locale: 'fr',
  adminName: 'Claire Dubois',
  requesterName: 'Léa Martin',
  clientName: 'Boulangerie Martin',
  reason: 'Je remplace Hugo pendant ses congés.',
  decideUrl: 'http://localhost:3000/clients/acces',
} satisfies AccessRequestProps;
