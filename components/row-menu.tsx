'use client';

import { useSyncExternalStore } from 'react';

export type RowMenuItem = { href: string; label: string };

const subscribe = () => () => {};

/** False in the server's HTML and during hydration, true once the page runs in the browser. */
function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}

/**
 * The "⋯" menu of a row. In the browser: a native <details>, which opens with the keyboard
 * (components/disclosure-keys.tsx adds Escape, click outside, one open at a time). In the server's
 * HTML: a plain link to `fallbackHref`, the client's details page, which offers the same actions —
 * so that the menu works without JavaScript while the Clients page sends one element per row
 * instead of six (the page's weight is what its throughput follows, see BENCHMARKS.md).
 */
export function RowMenu({
  label,
  items,
  fallbackHref,
}: {
  label: string;
  /** The entries, or (from a client component) how to make them: only the browser needs them. */
  items: RowMenuItem[] | (() => RowMenuItem[]);
  fallbackHref: string;
}) {
  const hydrated = useHydrated();
  if (!hydrated) {
    return (
      <a href={fallbackHref} className="row-menu-button" aria-label={label}>
        ⋯
      </a>
    );
  }
  return (
    <details className="row-menu">
      <summary aria-label={label} className="row-menu-button">
        ⋯
      </summary>
      <div className="row-menu-items">
        {(typeof items === 'function' ? items() : items).map((item) => (
          <a key={item.href} href={item.href}>
            {item.label}
          </a>
        ))}
      </div>
    </details>
  );
}
