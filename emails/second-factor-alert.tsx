import { Button, Heading, Section, Text } from '@react-email/components';
import type { Locale } from '../lib/server/i18n/locales';
import { i18nFor } from '../lib/server/i18n/translator';
import { buttonStyle, EmailLayout, footerStyle, headingStyle, oneLine, firstName } from './layout';

export type SecondFactorAlertProps = {
  locale: Locale;
  name: string;
  firmName: string;
  attempts: number;
  /** ISO instant of the last wrong code. */
  at: string;
  securityUrl: string;
};

export function secondFactorAlertSubject(props: Pick<SecondFactorAlertProps, 'locale'>): string {
  return oneLine(i18nFor(props.locale).t('emails.secondFactorAlert.subject'));
}

function texts(props: SecondFactorAlertProps) {
  const { t, format } = i18nFor(props.locale);
  return {
    hello: t('emails.secondFactorAlert.hello', { name: firstName(props.name) }),
    intro: t('emails.secondFactorAlert.intro', {
      count: props.attempts,
      when: format.dateTime(new Date(props.at)),
      firm: props.firmName,
    }),
    paused: t('emails.secondFactorAlert.paused'),
    notYou: t('emails.secondFactorAlert.notYou'),
    open: t('emails.secondFactorAlert.open'),
    footer: t('emails.secondFactorAlert.footer'),
    link: (label: string, url: string) => t('emails.linkLine', { label, url }),
  };
}

/** To the user whose second factor refused 10 wrong codes in an hour: someone has their password. */
export default function SecondFactorAlertEmail(props: SecondFactorAlertProps) {
  const text = texts(props);
  return (
    <EmailLayout
      locale={props.locale}
      preview={secondFactorAlertSubject(props)}
      footer={<Text style={footerStyle}>{text.footer}</Text>}
    >
      <Heading as="h1" style={headingStyle}>
        {text.hello}
      </Heading>
      <Text>{text.intro}</Text>
      <Text>{text.paused}</Text>
      <Text>{text.notYou}</Text>
      <Section style={{ marginTop: 16 }}>
        <Button href={props.securityUrl} style={buttonStyle}>
          {text.open}
        </Button>
      </Section>
    </EmailLayout>
  );
}

export function secondFactorAlertText(props: SecondFactorAlertProps): string {
  const text = texts(props);
  return [
    text.hello,
    '',
    text.intro,
    '',
    text.paused,
    '',
    text.notYou,
    '',
    text.link(text.open, props.securityUrl),
    '',
    text.footer,
  ].join('\n');
}

SecondFactorAlertEmail.PreviewProps = {
  locale: 'fr',
  name: 'Léa Martin',
  firmName: 'Cabinet Démo',
  attempts: 10,
  at: '2026-12-03T09:41:00Z',
  securityUrl: 'http://localhost:3000/compte/securite',
} satisfies SecondFactorAlertProps;
