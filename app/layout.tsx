import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { fr } from '@/lib/i18n/fr';
import './globals.css';

export const metadata: Metadata = {
  title: { default: fr.app.name, template: `%s · ${fr.app.name}` },
  description: 'Le portail des cabinets comptables pour gérer la comptabilité de leurs clients.',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="fr">
      <body>{children}</body>
    </html>
  );
}
