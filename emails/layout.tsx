import { Body, Container, Head, Hr, Html, Preview, Section, Text } from '@react-email/components';
import type { ReactNode } from 'react';
import type { Locale } from '../lib/server/i18n/locales';
import { i18nFor } from '../lib/server/i18n/translator';

export const colors = { text: '#1c2330', muted: '#5b6473', border: '#d9dde4', accent: '#1f4fd1', danger: '#b42318' };

export const buttonStyle = {
  backgroundColor: colors.accent,
  color: '#ffffff',
  padding: '10px 18px',
  borderRadius: 6,
} as const;
export const footerStyle = { color: colors.muted, fontSize: 12, margin: 0 } as const;
export const headingStyle = { fontSize: 20, margin: '0 0 8px' } as const;

/** The frame every e-mail of the portal shares: brand line, content, footer, in the recipient's language. */
export function EmailLayout({
  locale,
  preview,
  children,
  footer,
}: {
  locale: Locale;
  preview: string;
  children: ReactNode;
  footer: ReactNode;
}) {
  const { t } = i18nFor(locale);
  return (
    <Html lang={locale}>
      <Head />
      <Preview>{preview}</Preview>
      <Body
        style={{
          backgroundColor: '#f6f7f9',
          fontFamily: 'system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif',
          color: colors.text,
        }}
      >
        <Container
          style={{
            backgroundColor: '#ffffff',
            border: `1px solid ${colors.border}`,
            borderRadius: 8,
            padding: '24px 28px',
            margin: '24px auto',
            maxWidth: 640,
          }}
        >
          <Text style={{ fontWeight: 700, margin: '0 0 16px' }}>{t('emails.layout.brand')}</Text>
          {children}
          <Hr style={{ borderColor: colors.border, margin: '24px 0 12px' }} />
          <Section>{footer}</Section>
        </Container>
      </Body>
    </Html>
  );
}

/** No line break may reach a header: names come from the database, still. */
export function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

/** « Bonjour Léa » : the first name, between colleagues and with card holders alike. */
export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] || name;
}
