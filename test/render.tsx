import { NextIntlClientProvider } from 'next-intl';
import { AppRouterContext, type AppRouterInstance } from 'next/dist/shared/lib/app-router-context.shared-runtime';
import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { Locale } from '@/lib/server/i18n/locales';
import { clientMessages } from '@/lib/server/i18n/messages';
import { TIME_ZONE } from '@/lib/server/i18n/translator';

// What useRouter() finds under Next's app router; rendering on the server never navigates.
const router = {
  bfcacheId: 0,
  push: () => undefined,
  replace: () => undefined,
  refresh: () => undefined,
  prefetch: () => undefined,
  back: () => undefined,
  forward: () => undefined,
} as unknown as AppRouterInstance;

/** A page's HTML as the root layout serves it: client components read the catalogue from its provider. */
export function renderPage(element: ReactNode, locale: Locale = 'fr'): string {
  return renderToStaticMarkup(
    <AppRouterContext.Provider value={router}>
      <NextIntlClientProvider locale={locale} messages={clientMessages(locale)} timeZone={TIME_ZONE}>
        {element}
      </NextIntlClientProvider>
    </AppRouterContext.Provider>,
  );
}
