'use client';

import NextLink, { useLinkStatus } from 'next/link';
import type { ComponentProps } from 'react';
import { useTranslations } from 'next-intl';

/**
 * While the page a link leads to is on its way: a thin bar at the top of the window (shown after a
 * short delay, so that fast pages do not flicker) and "Chargement…" for screen readers.
 */
function Pending() {
  const { pending } = useLinkStatus();
  const t = useTranslations();
  // The live region is always there, so that screen readers announce the text when it appears.
  return (
    <span role="status" className={pending ? 'nav-progress' : undefined}>
      {pending ? <span className="visually-hidden">{t('common.loading')}</span> : null}
    </span>
  );
}

/**
 * The app's in-app link: next/link with a loading state. The pages render on the server in one
 * response (no route-level loading boundary, which cost the Clients page about a sixth of its
 * throughput, see BENCHMARKS.md), so the wait is shown where it starts: on the link.
 */
export function Link({ children, ...props }: ComponentProps<typeof NextLink>) {
  return (
    <NextLink {...props}>
      {children}
      <Pending />
    </NextLink>
  );
}
