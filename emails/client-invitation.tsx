import { Button, Heading, Section, Text } from '@react-email/components';
import type { Locale } from '../lib/server/i18n/locales';
import { i18nFor } from '../lib/server/i18n/translator';
import { buttonStyle, EmailLayout, footerStyle, headingStyle, oneLine } from './layout';

export type ClientInvitationProps = {
  locale: Locale;
  firmName: string;
  clientName: string;
  inviterName: string;
  signupUrl: string;
};

export function clientInvitationSubject(props: Pick<ClientInvitationProps, 'locale' | 'firmName'>): string {
  return oneLine(i18nFor(props.locale).t('emails.clientInvitation.subject', { firm: props.firmName }));
}

function texts(props: ClientInvitationProps) {
  const { t } = i18nFor(props.locale);
  return {
    hello: t('emails.clientInvitation.hello'),
    intro: t('emails.clientInvitation.intro', {
      inviter: props.inviterName,
      firm: props.firmName,
      client: props.clientName,
    }),
    steps: t('emails.clientInvitation.steps'),
    open: t('emails.clientInvitation.open'),
    footer: t('emails.clientInvitation.footer', { firm: props.firmName }),
    link: (label: string, url: string) => t('emails.linkLine', { label, url }),
  };
}

export default function ClientInvitationEmail(props: ClientInvitationProps) {
  const text = texts(props);
  return (
    <EmailLayout
      locale={props.locale}
      preview={clientInvitationSubject(props)}
      footer={<Text style={footerStyle}>{text.footer}</Text>}
    >
      <Heading as="h1" style={headingStyle}>
        {text.hello}
      </Heading>
      <Text>{text.intro}</Text>
      <Text>{text.steps}</Text>
      <Section style={{ marginTop: 16 }}>
        <Button href={props.signupUrl} style={buttonStyle}>
          {text.open}
        </Button>
      </Section>
    </EmailLayout>
  );
}

export function clientInvitationText(props: ClientInvitationProps): string {
  const text = texts(props);
  return [
    text.hello,
    '',
    text.intro,
    '',
    text.steps,
    '',
    text.link(text.open, props.signupUrl),
    '',
    '--',
    text.footer,
  ].join('\n');
}

ClientInvitationEmail.PreviewProps = {
  locale: 'fr',
  firmName: 'Cabinet Démo',
  clientName: 'Boulangerie du Marché',
  inviterName: 'Claire Dubois',
  signupUrl: 'https://app.example.fr/inscription?invitation=exemple',
} satisfies ClientInvitationProps;
