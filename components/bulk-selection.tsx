'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useState } from 'react';

/** Where the ticked rows wait while the user pages through the same list (this browser tab only). */
const STORE = 'pp:clients-selection';
/** The most ids kept; the server refuses more in one action anyway. */
const KEPT = 1000;

type Props = {
  /** The bulk bar's form, which the rows' checkboxes belong to. */
  formId: string;
  /** The clients of this page. */
  pageIds: string[];
  /** The list the selection belongs to (user, tab, search, filter): another list starts afresh. */
  selectionKey: string;
  /**
   * « Tout sélectionner (n) »: the filtered list's state and exact count, when it is longer than
   * the page and short enough to act on at once; `label` is « Tout sélectionner (n) », written on
   * the server (a count's message compiled in the browser's translator costs ~0.3 ms a server render).
   */
  all?: { tab: string; q: string; missing: boolean; group?: string; count: number; label: string };
  /** Why « Tout sélectionner » is not offered: the list is longer than one action may touch. */
  tooLong?: string;
};

function rowBoxes(formId: string): HTMLInputElement[] {
  return [...document.querySelectorAll<HTMLInputElement>(`input[type="checkbox"][name="clientIds"][form="${formId}"]`)];
}

function readStored(key: string): string[] {
  try {
    const stored: unknown = JSON.parse(sessionStorage.getItem(STORE) ?? 'null');
    if (!stored || typeof stored !== 'object') return [];
    const { key: storedKey, ids } = stored as { key?: unknown; ids?: unknown };
    if (storedKey !== key || !Array.isArray(ids)) return [];
    return ids.filter((id): id is string => typeof id === 'string').slice(0, KEPT);
  } catch {
    return [];
  }
}

/**
 * The bulk bar's selection. The rows ticked on other pages of the same list are kept (in the
 * tab's session storage) and sent with the form as hidden fields, so that a selection survives
 * paging; the bar says how many are selected. « Tout sélectionner (n) » is a plain checkbox of the
 * form (it works without JavaScript): the server then reads the filtered list again itself, with
 * the user's rights, and acts only if it still counts n clients.
 */
export function BulkSelection({ formId, pageIds, selectionKey, all, tooLong }: Props) {
  const t = useTranslations();
  // Unknown until the browser's storage is read (the server renders no count).
  const [selected, setSelected] = useState<string[] | null>(null);
  const [wholeList, setWholeList] = useState(false);
  const pageKey = pageIds.join(',');

  useEffect(() => {
    const kept = new Set(readStored(selectionKey));
    // The page's boxes and the kept selection agree: kept ids are ticked, ticked boxes kept (a
    // box the browser restored, or ticked before this ran).
    for (const box of rowBoxes(formId)) {
      if (kept.has(box.value)) box.checked = true;
      else if (box.checked) kept.add(box.value);
    }
    // The browser's storage exists only once the page runs: read it here, after hydration.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setSelected([...kept]);
  }, [selectionKey, formId, pageKey]);

  useEffect(() => {
    if (!selected) return;
    try {
      sessionStorage.setItem(STORE, JSON.stringify({ key: selectionKey, ids: selected }));
    } catch {
      // Storage full or refused: the selection still holds on this page.
    }
  }, [selected, selectionKey]);

  useEffect(() => {
    const onChange = (event: Event) => {
      const box = event.target;
      if (!(box instanceof HTMLInputElement) || box.name !== 'clientIds' || box.getAttribute('form') !== formId) return;
      // Unticking a row is no longer « the whole list ».
      if (!box.checked) setWholeList(false);
      setSelected((previous) => {
        const next = new Set(previous ?? []);
        if (box.checked) next.add(box.value);
        else next.delete(box.value);
        return [...next];
      });
    };
    document.addEventListener('change', onChange);
    return () => document.removeEventListener('change', onChange);
  }, [formId]);

  const onPage = new Set(pageIds);
  const elsewhere = (selected ?? []).filter((id) => !onPage.has(id));
  const count = selected?.length ?? 0;

  const selectWholeList = (checked: boolean) => {
    setWholeList(checked);
    if (!checked) return;
    const boxes = rowBoxes(formId);
    for (const box of boxes) box.checked = true;
    setSelected((previous) => [...new Set([...(previous ?? []), ...boxes.map((b) => b.value)])]);
  };

  const clear = () => {
    for (const box of rowBoxes(formId)) box.checked = false;
    setWholeList(false);
    setSelected([]);
  };

  return (
    <div className="bulk-selection">
      {/* Ids ticked on other pages of this list travel with the form. */}
      {wholeList ? null : elsewhere.map((id) => <input key={id} type="hidden" name="clientIds" value={id} />)}
      {all ? (
        <>
          <input type="hidden" name="tab" value={all.tab} />
          <input type="hidden" name="q" value={all.q} />
          {all.missing ? <input type="hidden" name="missing" value="1" /> : null}
          {all.group ? <input type="hidden" name="groupe" value={all.group} /> : null}
          <input type="hidden" name="expected" value={all.count} />
          <label className="checkbox">
            <input
              type="checkbox"
              name="scope"
              value="filter"
              checked={wholeList}
              onChange={(event) => selectWholeList(event.currentTarget.checked)}
            />
            {all.label}
          </label>
        </>
      ) : tooLong ? (
        <span className="muted">{tooLong}</span>
      ) : null}
      <span className="muted" role="status">
        {wholeList && all
          ? t('clients.allSelected', { count: all.count })
          : count > 0
            ? elsewhere.length > 0
              ? `${t('clients.selectedCount', { count })} (${t('clients.selectedOtherPages', { count: elsewhere.length })})`
              : t('clients.selectedCount', { count })
            : null}
      </span>
      {count > 0 || wholeList ? (
        <button type="button" className="link-button" onClick={clear}>
          {t('clients.clearSelection')}
        </button>
      ) : null}
    </div>
  );
}
