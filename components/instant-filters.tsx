'use client';

import { useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useRef, useState, type ReactNode } from 'react';

const DEBOUNCE_MS = 300;

/** The list's URL for what the form holds now: defaults left out, back to page 1. */
function hrefOf(form: HTMLFormElement): string {
  const query = new URLSearchParams();
  const columns: string[] = [];
  for (const [name, value] of new FormData(form)) {
    if (typeof value !== 'string' || value === '') continue;
    if ((name === 'sort' && value === 'name') || (name === 'dir' && value === 'asc')) continue;
    // « Colonnes affichées »: one `colonnes=a,b` (the name alone: `nom`), none when all are shown.
    if (name === 'colonnes') {
      if (value !== 'nom') columns.push(value);
      continue;
    }
    query.set(name, value);
  }
  const boxes = form.querySelectorAll('input[type="checkbox"][name="colonnes"]').length;
  if (boxes > 0 && columns.length < boxes) query.set('colonnes', columns.join(',') || 'nom');
  const search = query.toString();
  return search ? `${form.getAttribute('action')}?${search}` : (form.getAttribute('action') ?? '');
}

/**
 * The Clients page's search form, applied as the user goes: the search as they type (debounced;
 * the first change of a search makes one new history entry, the next ones replace it, so that the
 * input keeps its focus and caret and « précédent » brings back the list before the search), the
 * checkbox and the sort as soon as they change (a new history entry each). The URL stays
 * the state. Without JavaScript it is the plain GET form, with its « Appliquer » button, which this
 * hides once it runs.
 *
 * On a phone (≤ 640 px, by CSS) the fields fold behind one button, `toggleLabel` (« Filtres (2) »),
 * once this runs; without JavaScript they stay shown.
 */
export function InstantFilters({
  action,
  className,
  toggleLabel,
  children,
}: {
  action: string;
  className: string;
  toggleLabel: string;
  children: ReactNode;
}) {
  const [collapsed, setCollapsed] = useState(true);
  const router = useRouter();
  const ref = useRef<HTMLFormElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // Whether this search already has its history entry (until the box loses the focus).
  const searching = useRef(false);
  // The search this form last sent to the URL: a URL that says otherwise came from elsewhere.
  const sent = useRef<string | null>(null);
  const params = useSearchParams();
  useEffect(() => {
    // « Précédent » and « Suivant » (or a chip) change the URL, not what the box shows (React keeps
    // the element): the box takes the URL's search back, and the next keystroke starts a new entry.
    for (const input of ref.current?.querySelectorAll<HTMLInputElement>('input[type="search"]') ?? []) {
      const value = params.get(input.name) ?? '';
      if (input.value !== value && value !== sent.current) {
        input.value = value;
        sent.current = value;
        searching.current = false;
      }
    }
  }, [params]);
  useEffect(() => {
    // Marks the form as live once this runs: CSS then hides « Appliquer ».
    ref.current?.setAttribute('data-instant', '');
    return () => clearTimeout(timer.current);
  }, []);
  const go = (mode: 'push' | 'replace') => {
    clearTimeout(timer.current);
    if (!ref.current) return;
    const search = ref.current.querySelector<HTMLInputElement>('input[type="search"]');
    if (search) sent.current = search.value;
    router[mode](hrefOf(ref.current), { scroll: false });
  };
  return (
    <form
      ref={ref}
      action={action}
      method="get"
      className={className}
      role="search"
      data-collapsed={collapsed ? '' : undefined}
      onInput={(event) => {
        if ((event.target as Element).getAttribute('type') !== 'search') return;
        clearTimeout(timer.current);
        timer.current = setTimeout(() => {
          go(searching.current ? 'replace' : 'push');
          searching.current = true;
        }, DEBOUNCE_MS);
      }}
      onBlur={(event) => {
        if ((event.target as Element).getAttribute('type') === 'search') searching.current = false;
      }}
      onChange={(event) => {
        if ((event.target as Element).getAttribute('type') === 'search') return;
        go('push');
      }}
      onSubmit={(event) => {
        event.preventDefault();
        go('push');
      }}
    >
      <button
        type="button"
        className="button filters-toggle"
        aria-expanded={!collapsed}
        onClick={() => setCollapsed(!collapsed)}
      >
        {toggleLabel}
      </button>
      {children}
    </form>
  );
}
