import { Body, Container, Head, Hr, Html, Preview, Section, Text } from '@react-email/components';
import type { ReactNode } from 'react';

export const colors = { text: '#1c2330', muted: '#5b6473', border: '#d9dde4', accent: '#1f4fd1', danger: '#b42318' };

/** The frame every e-mail of the portal shares: brand line, content, footer. */
export function EmailLayout({ preview, children, footer }: { preview: string; children: ReactNode; footer: ReactNode }) {
  return (
    <Html lang="fr">
      <Head />
      <Preview>{preview}</Preview>
      <Body style={{ backgroundColor: '#f6f7f9', fontFamily: 'system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif', color: colors.text }}>
        <Container style={{ backgroundColor: '#ffffff', border: `1px solid ${colors.border}`, borderRadius: 8, padding: '24px 28px', margin: '24px auto', maxWidth: 640 }}>
          <Text style={{ fontWeight: 700, margin: '0 0 16px' }}>Portail Partenaires</Text>
          {children}
          <Hr style={{ borderColor: colors.border, margin: '24px 0 12px' }} />
          <Section>{footer}</Section>
        </Container>
      </Body>
    </Html>
  );
}
