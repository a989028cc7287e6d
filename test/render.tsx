import { NextIntlClientProvider } from 'next-intl';
import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { Locale } from '@/lib/i18n/locales';
import { clientMessages } from '@/lib/i18n/messages';
import { TIME_ZONE } from '@/lib/i18n/translator';

/** A page's HTML as the root layout serves it: client components read the catalogue from its provider. */
export function renderPage(element: ReactNode, locale: Locale = 'fr'): string {
  return renderToStaticMarkup(
    <NextIntlClientProvider locale={locale} messages={clientMessages(locale)} timeZone={TIME_ZONE}>
      {element}
    </NextIntlClientProvider>,
  );
}
