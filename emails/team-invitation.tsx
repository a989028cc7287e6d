import { Button, Heading, Section, Text } from '@react-email/components';
import type { UserRole } from '../db/schema';
import type { Locale } from '../lib/server/i18n/locales';
import { i18nFor } from '../lib/server/i18n/translator';
import { buttonStyle, EmailLayout, footerStyle, headingStyle, oneLine, firstName } from './layout';

export type TeamInvitationProps = {
  locale: Locale;
  firmName: string;
  inviterName: string;
  name: string;
  role: UserRole;
  acceptUrl: string;
};

export function teamInvitationSubject(props: Pick<TeamInvitationProps, 'locale' | 'firmName'>): string {
  return oneLine(i18nFor(props.locale).t('emails.teamInvitation.subject', { firm: props.firmName }));
}

function texts(props: TeamInvitationProps) {
  const { t } = i18nFor(props.locale);
  return {
    hello: t('emails.teamInvitation.hello', { name: firstName(props.name) }),
    intro: t('emails.teamInvitation.intro', {
      inviter: props.inviterName,
      firm: props.firmName,
      role: t(`rolesLower.${props.role}`),
    }),
    open: t('emails.teamInvitation.open'),
    footer: t('emails.teamInvitation.footer'),
    link: (label: string, url: string) => t('emails.linkLine', { label, url }),
  };
}

export default function TeamInvitationEmail(props: TeamInvitationProps) {
  const text = texts(props);
  return (
    <EmailLayout
      locale={props.locale}
      preview={teamInvitationSubject(props)}
      footer={<Text style={footerStyle}>{text.footer}</Text>}
    >
      <Heading as="h1" style={headingStyle}>
        {text.hello}
      </Heading>
      <Text>{text.intro}</Text>
      <Section style={{ marginTop: 16 }}>
        <Button href={props.acceptUrl} style={buttonStyle}>
          {text.open}
        </Button>
      </Section>
    </EmailLayout>
  );
}

export function teamInvitationText(props: TeamInvitationProps): string {
  const text = texts(props);
  return [text.hello, '', text.intro, '', text.link(text.open, props.acceptUrl), '', text.footer].join('\n');
}

TeamInvitationEmail.PreviewProps = {
  locale: 'fr',
  firmName: 'Cabinet Démo',
  inviterName: 'Claire Dubois',
  name: 'Camille Roux',
  role: 'accountant',
  acceptUrl: 'http://localhost:3000/invitation/exemple',
} satisfies TeamInvitationProps;
