import type { Metadata, Viewport } from 'next';
import { NextIntlClientProvider } from 'next-intl';
import type { ReactNode } from 'react';
import { clientMessages } from '@/lib/server/i18n/messages';
import { getI18n } from '@/lib/access/request-locale';
import { TIME_ZONE } from '@/lib/server/i18n/translator';
import './globals.css';

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getI18n();
  return {
    title: { default: t('common.appName'), template: `%s · ${t('common.appName')}` },
    description: t('common.appDescription'),
  };
}

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const { locale } = await getI18n();
  return (
    <html lang={locale}>
      <body>
        {/* Only the namespaces client components read travel to the browser. */}
        <NextIntlClientProvider locale={locale} messages={clientMessages(locale)} timeZone={TIME_ZONE}>
          {children}
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
