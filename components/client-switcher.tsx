'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';

type Option = { id: string; name: string };
type Found = { clients: Option[]; more: boolean };

const DEBOUNCE_MS = 150;
/** What Ctrl/⌘ K sends the switcher (components/shortcuts.tsx): focus it and show the list. */
export const OPEN_SWITCHER = 'pp:open-switcher';
export const SWITCHER_INPUT_ID = 'switch-client';

/**
 * The workspace's client switcher: an ARIA combobox (an input with a listbox popup, the list
 * autocomplete pattern with automatic selection). Typing asks the server for the clients this
 * user may open whose name contains the text (`/clients/recherche`, a few at a time, never the
 * whole portfolio); ↓/↑ move through them, Enter opens the highlighted one, Escape closes the
 * list (then clears the text), Alt+↓ or Ctrl/⌘ K shows it. Without JavaScript it is a GET form to
 * `/clients/ouvrir`, which opens the only match or shows the Clients page searched for the text.
 */
export function ClientSwitcher() {
  const t = useTranslations();
  const router = useRouter();
  const listId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<Found | null>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [failed, setFailed] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const request = useRef<AbortController | null>(null);

  const search = (text: string, delay = DEBOUNCE_MS) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(async () => {
      request.current?.abort();
      const controller = new AbortController();
      request.current = controller;
      try {
        const response = await fetch(`/clients/recherche?q=${encodeURIComponent(text)}`, {
          signal: controller.signal,
          headers: { accept: 'application/json' },
        });
        if (!response.ok) throw new Error(String(response.status));
        const result = (await response.json()) as Found;
        setFound(result);
        setFailed(false);
        setActive(result.clients.length > 0 ? 0 : -1);
      } catch (error) {
        if ((error as Error).name === 'AbortError') return;
        setFound(null);
        setFailed(true);
        setActive(-1);
      }
    }, delay);
  };

  const show = () => {
    setOpen(true);
    search(query, 0);
  };

  useEffect(() => {
    const input = inputRef.current;
    const onOpen = () => {
      input?.focus();
      input?.select();
      show();
    };
    input?.addEventListener(OPEN_SWITCHER, onOpen);
    return () => {
      input?.removeEventListener(OPEN_SWITCHER, onOpen);
      clearTimeout(timer.current);
      request.current?.abort();
    };
    // `show` reads the current text through its closure; the listener is set once.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const options = found?.clients ?? [];
  const go = (option: Option) => {
    setOpen(false);
    router.push(`/clients/${option.id}`);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!open || event.altKey) {
        show();
        return;
      }
      if (options.length === 0) return;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((current) => (current + step + options.length) % options.length);
    } else if (event.key === 'Enter') {
      const option = open ? options[active] : undefined;
      if (!option) return; // the form goes to /clients/ouvrir with the text
      event.preventDefault();
      go(option);
    } else if (event.key === 'Escape') {
      if (open) {
        event.preventDefault();
        setOpen(false);
      } else if (query) {
        event.preventDefault();
        setQuery('');
      }
    } else if (event.key === 'Tab') {
      setOpen(false);
    }
  };

  const expanded = open && (options.length > 0 || found !== null || failed);
  const optionId = (index: number) => `${listId}-option-${index}`;
  const announcement = !open
    ? ''
    : failed
      ? t('workspace.switcherFailed')
      : found
        ? found.more
          ? t('workspace.switcherMore', { count: options.length })
          : t('workspace.switcherResults', { count: options.length })
        : '';

  return (
    <form action="/clients/ouvrir" method="get" className="switcher" role="search">
      <label htmlFor={SWITCHER_INPUT_ID}>{t('workspace.switcher')}</label>
      <div className="combobox">
        <input
          ref={inputRef}
          id={SWITCHER_INPUT_ID}
          name="q"
          type="text"
          role="combobox"
          autoComplete="off"
          spellCheck={false}
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={expanded && active >= 0 ? optionId(active) : undefined}
          placeholder={t('workspace.switcherPlaceholder')}
          value={query}
          maxLength={100}
          onChange={(event) => {
            setQuery(event.target.value);
            setOpen(true);
            search(event.target.value);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => setOpen(false)}
        />
        <div className="combobox-popup" hidden={!expanded}>
          <ul id={listId} role="listbox" aria-label={t('workspace.switcherList')}>
            {options.map((option, index) => (
              // The keyboard reaches the options through the input (aria-activedescendant), as the
              // combobox pattern asks; the mouse clicks them.
              // eslint-disable-next-line jsx-a11y/click-events-have-key-events
              <li
                key={option.id}
                id={optionId(index)}
                role="option"
                aria-selected={index === active}
                // Keep the focus in the input: the click still lands on the option.
                onMouseDown={(event) => event.preventDefault()}
                onMouseMove={() => setActive(index)}
                onClick={() => go(option)}
              >
                {option.name}
              </li>
            ))}
          </ul>
          {options.length === 0 ? (
            <p className="combobox-note">{failed ? t('workspace.switcherFailed') : t('workspace.switcherNone')}</p>
          ) : null}
          {found?.more ? <p className="combobox-note">{t('workspace.switcherNarrow')}</p> : null}
        </div>
      </div>
      <button type="submit" className="button">
        {t('workspace.switch')}
      </button>
      <span role="status" className="visually-hidden">
        {announcement}
      </span>
    </form>
  );
}
