'use client';

import { useEffect } from 'react';

/**
 * One listener for every "⋯" menu and "Plus de filtres" (native <details>): Escape closes the open
 * one and gives focus back to its button; opening one closes the others; a click outside closes.
 * Without JavaScript the menus still open and close with their button.
 */
export function DisclosureKeys() {
  useEffect(() => {
    const selector = 'details.row-menu[open], details.more-filters[open]';
    const closeAll = (except?: Element | null) => {
      document.querySelectorAll<HTMLDetailsElement>(selector).forEach((d) => {
        if (d !== except) d.open = false;
      });
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      const open = (event.target as Element | null)?.closest?.('details[open]') as HTMLDetailsElement | null;
      const target = open ?? document.querySelector<HTMLDetailsElement>(selector);
      if (!target) return;
      target.open = false;
      target.querySelector<HTMLElement>('summary')?.focus();
    };
    const onToggle = (event: Event) => {
      const details = event.target as HTMLDetailsElement;
      if (details.open && details.matches('details.row-menu, details.more-filters')) closeAll(details);
    };
    const onClick = (event: MouseEvent) => {
      if (!(event.target as Element).closest('details.row-menu, details.more-filters')) closeAll();
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('toggle', onToggle, true);
    document.addEventListener('click', onClick);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('toggle', onToggle, true);
      document.removeEventListener('click', onClick);
    };
  }, []);
  return null;
}
