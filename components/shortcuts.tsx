'use client';

import { OPEN_SWITCHER, SWITCHER_INPUT_ID } from './client-switcher';
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useEffect, useRef } from 'react';

/** Typing in a field, a shortcut key is the character typed, not a shortcut. */
function typing(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  return Boolean(element && (element.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName)));
}

/**
 * The keyboard shortcuts of the app, and their help on « ? »: « / » goes to the clients' search
 * (on the Clients page, or from anywhere), « Ctrl K » / « ⌘ K » to the client switcher in a client's
 * account (the Clients page's search elsewhere).
 */
export function Shortcuts() {
  const t = useTranslations();
  const router = useRouter();
  const help = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const focusSearch = () => {
      const search = document.getElementById('q');
      if (search) search.focus();
      else router.push('/clients?tab=tous#q');
    };
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        const switcher = document.getElementById(SWITCHER_INPUT_ID);
        if (switcher) switcher.dispatchEvent(new Event(OPEN_SWITCHER));
        else focusSearch();
        return;
      }
      if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
      if (event.key === '/') {
        event.preventDefault();
        focusSearch();
      } else if (event.key === '?') {
        event.preventDefault();
        if (!help.current?.open) help.current?.showModal();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [router]);
  return (
    <dialog ref={help} className="confirm-dialog" aria-labelledby="shortcuts-title">
      <h2 id="shortcuts-title">{t('shortcuts.title')}</h2>
      <dl className="shortcuts">
        <dt>
          <kbd>/</kbd>
        </dt>
        <dd>{t('shortcuts.search')}</dd>
        <dt>
          <kbd>Ctrl</kbd> + <kbd>K</kbd> · <kbd>⌘</kbd> + <kbd>K</kbd>
        </dt>
        <dd>{t('shortcuts.switcher')}</dd>
        <dt>
          <kbd>?</kbd>
        </dt>
        <dd>{t('shortcuts.help')}</dd>
      </dl>
      <div className="actions-row">
        <button type="button" className="button" onClick={() => help.current?.close()}>
          {t('shortcuts.close')}
        </button>
      </div>
    </dialog>
  );
}
