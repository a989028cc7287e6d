'use client';

import { useTranslations } from 'next-intl';
import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { DEDUCTIBLE_SHARES, formatRate, VAT_RATES_BP } from '@/lib/bookkeeping/vat';
import type { ActionState } from '@/lib/server/action-state';

export type GridAccount = { number: string; label: string; vatRateBp: number; deductiblePct: number };
export type GridRow = {
  id: string;
  day: string; // formatted by the server
  merchant: string;
  amount: string; // formatted by the server
  receipt: string; // the receipt's state, in words
  account: string;
  vatRateBp: number;
  deductiblePct: number;
  analytic: string;
  lines: number;
  state: 'to_code' | 'coded' | 'reviewed';
  suggested: boolean;
  /** The latest question about the expense and its answer, in words (formatted by the server). */
  question?: string;
};
type Action = (previous: ActionState, form: FormData) => Promise<ActionState>;
type RowStatus = { kind: 'saving' | 'saved' | 'error'; message: string };

type Column = 'account' | 'vat' | 'share' | 'analytic';
const MAX_OPTIONS = 8;

function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/** The chart's accounts matching what was typed: by number (its start) or by name (anywhere). */
function matching(chart: GridAccount[], text: string): GridAccount[] {
  const query = fold(text.trim());
  if (query === '') return chart.slice(0, MAX_OPTIONS);
  const byNumber = chart.filter((a) => a.number.startsWith(query));
  const byName = chart.filter((a) => !a.number.startsWith(query) && fold(a.label).includes(query));
  return [...byNumber, ...byName].slice(0, MAX_OPTIONS);
}

/**
 * The coding grid: every row codable from the keyboard alone. ↑/↓ move between rows (same
 * column), Shift+↑/↓ select rows as they go, Space selects the row from its box; in « Compte »,
 * typing lists the chart's accounts by number or name (↑/↓ in the list, Enter picks); Enter saves
 * the row (or every selected row) and goes to the next; Ctrl+Enter saves and marks it reviewed
 * (« revue »). Each change is saved as it is made, and saving the same thing twice is harmless.
 */
export function CodingGrid(props: {
  clientId: string;
  rows: GridRow[];
  chart: GridAccount[];
  codeAction: Action;
  reviewAction: Action;
}) {
  const t = useTranslations();
  const [rows, setRows] = useState(props.rows);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [status, setStatus] = useState<Record<string, RowStatus>>({});
  const [announce, setAnnounce] = useState('');
  const [open, setOpen] = useState<{ row: string; active: number } | null>(null);
  const table = useRef<HTMLTableElement>(null);
  const listId = useId();

  const cell = (rowIndex: number, column: Column | 'select') =>
    table.current?.querySelector<HTMLElement>(`[data-row="${rowIndex}"][data-col="${column}"]`) ?? null;
  const update = (ids: string[], patch: Partial<GridRow>) =>
    setRows((current) => current.map((r) => (ids.includes(r.id) ? { ...r, ...patch } : r)));
  const rowStatus = (ids: string[], value: RowStatus) =>
    setStatus((current) => ({ ...current, ...Object.fromEntries(ids.map((id) => [id, value])) }));

  /** The rows an action applies to: the selection when this row is in it, else this row alone. */
  const targets = (row: GridRow) => (selected.has(row.id) && selected.size > 1 ? [...selected] : [row.id]);

  async function save(row: GridRow, review: boolean) {
    const ids = targets(row);
    const account = row.account.trim();
    rowStatus(ids, { kind: 'saving', message: t('books.grid.saving') });
    const form = new FormData();
    form.set('clientId', props.clientId);
    for (const id of ids) form.append('ids', id);
    let result: ActionState;
    try {
      if (account === '' && review) {
        form.set('reviewed', '1');
        result = await props.reviewAction({ status: 'idle' }, form);
      } else {
        form.set('account', account);
        form.set('vatRate', String(row.vatRateBp));
        form.set('deductible', String(row.deductiblePct));
        form.set('analytic', row.analytic);
        form.set('review', review ? '1' : '0');
        result = await props.codeAction({ status: 'idle' }, form);
      }
    } catch {
      result = { status: 'error', message: t('books.grid.offline') };
    }
    if (result.status === 'success') {
      const patch: Partial<GridRow> =
        account === ''
          ? { state: 'reviewed' }
          : {
              account,
              vatRateBp: row.vatRateBp,
              deductiblePct: row.deductiblePct,
              analytic: row.analytic,
              state: review ? 'reviewed' : 'coded',
              suggested: false,
              lines: 1,
            };
      update(ids, patch);
      rowStatus(ids, { kind: 'saved', message: review ? t('books.grid.savedReviewed') : t('books.grid.saved') });
      setAnnounce(result.message ?? '');
      if (ids.length > 1) setSelected(new Set());
    } else {
      const message =
        Object.values(result.fieldErrors ?? {})
          .flat()
          .filter(Boolean)[0] ??
        result.message ??
        t('books.grid.failed');
      rowStatus(ids, { kind: 'error', message });
      setAnnounce(message);
    }
    return result.status === 'success';
  }

  function pick(row: GridRow, account: GridAccount) {
    update([row.id], { account: account.number, vatRateBp: account.vatRateBp, deductiblePct: account.deductiblePct });
    setOpen(null);
    return { ...row, account: account.number, vatRateBp: account.vatRateBp, deductiblePct: account.deductiblePct };
  }

  function move(index: number, column: Column | 'select', by: number, extend: boolean) {
    const next = Math.min(rows.length - 1, Math.max(0, index + by));
    if (extend) {
      setSelected((current) => new Set(current).add(rows[index]!.id).add(rows[next]!.id));
    }
    setOpen(null);
    cell(next, column)?.focus();
  }

  async function onKeyDown(event: KeyboardEvent<HTMLElement>, index: number, column: Column | 'select') {
    const row = rows[index]!;
    const listOpen = open?.row === row.id && column === 'account';
    const options = listOpen ? matching(props.chart, row.account) : [];
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      const by = event.key === 'ArrowDown' ? 1 : -1;
      if (listOpen && options.length > 0 && !event.shiftKey) {
        event.preventDefault();
        setOpen({ row: row.id, active: (open!.active + by + options.length) % options.length });
        return;
      }
      if (event.altKey && column === 'account') {
        event.preventDefault();
        setOpen({ row: row.id, active: 0 });
        return;
      }
      if (column === 'vat' || column === 'share') {
        // A select's own arrows change its value; with Shift they move between rows like elsewhere.
        if (!event.shiftKey) return;
      }
      event.preventDefault();
      move(index, column, by, event.shiftKey && column !== 'vat' && column !== 'share');
      return;
    }
    if (event.key === 'Escape' && listOpen) {
      event.preventDefault();
      setOpen(null);
      return;
    }
    if (event.key === 'Enter') {
      event.preventDefault();
      let current = row;
      if (listOpen && options[open!.active]) current = pick(row, options[open!.active]!);
      else if (column === 'account') {
        const exact = props.chart.find((a) => a.number === row.account.trim());
        if (exact && exact.number !== row.account) current = pick(row, exact);
      }
      const review = event.ctrlKey || event.metaKey;
      const ok = await save(current, review);
      if (ok && index + 1 < rows.length) cell(index + 1, column === 'select' ? 'select' : 'account')?.focus();
    }
  }

  const counts = {
    toCode: rows.filter((r) => r.state === 'to_code').length,
    coded: rows.filter((r) => r.state === 'coded').length,
    reviewed: rows.filter((r) => r.state === 'reviewed').length,
  };

  return (
    <>
      <p className="muted small" id="grid-help">
        {t('books.grid.help')}
      </p>
      <p className="muted" aria-live="polite">
        {t('books.grid.progress', counts)}
      </p>
      {selected.size > 0 ? (
        <p className="row-between">
          <span>{t('books.grid.selected', { count: selected.size })}</span>
          <span>
            <button
              type="button"
              className="button small"
              onClick={async () => {
                const first = rows.find((r) => selected.has(r.id))!;
                await save({ ...first, account: '' }, true);
              }}
            >
              {t('books.grid.reviewSelected', { count: selected.size })}
            </button>{' '}
            <a
              className="button secondary small"
              href={`/clients/${props.clientId}/demander-recus?${rows
                .filter((r) => selected.has(r.id))
                .map((r) => `ids=${r.id}`)
                .join('&')}`}
            >
              {t('books.grid.askSelected', { count: selected.size })}
            </a>{' '}
            <button type="button" className="button secondary small" onClick={() => setSelected(new Set())}>
              {t('books.grid.clearSelection')}
            </button>
          </span>
        </p>
      ) : null}
      <div className="table-wrap">
        <table className="table coding-grid" ref={table} aria-describedby="grid-help">
          <thead>
            <tr>
              <th scope="col">
                {/* « Tout sélectionner »: every row the grid shows, for one action on all of them. */}
                <input
                  type="checkbox"
                  checked={rows.length > 0 && selected.size === rows.length}
                  disabled={rows.length === 0}
                  aria-label={t('books.grid.selectAll', { count: rows.length })}
                  onChange={(e) => setSelected(e.target.checked ? new Set(rows.map((r) => r.id)) : new Set())}
                />
              </th>
              <th scope="col">{t('books.grid.date')}</th>
              <th scope="col">{t('books.grid.merchant')}</th>
              <th scope="col" className="num">
                {t('books.grid.amount')}
              </th>
              <th scope="col">{t('books.grid.account')}</th>
              <th scope="col">{t('books.grid.vat')}</th>
              <th scope="col">{t('books.grid.share')}</th>
              <th scope="col">{t('books.grid.analytic')}</th>
              <th scope="col">{t('books.grid.state')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => {
              const label = `${row.merchant}, ${row.day}, ${row.amount}`;
              const listOpen = open?.row === row.id;
              const options = listOpen ? matching(props.chart, row.account) : [];
              const known = props.chart.find((a) => a.number === row.account);
              const rowState = status[row.id];
              return (
                <tr
                  key={row.id}
                  aria-selected={selected.has(row.id)}
                  className={selected.has(row.id) ? 'selected' : undefined}
                >
                  <td>
                    <input
                      type="checkbox"
                      data-row={index}
                      data-col="select"
                      checked={selected.has(row.id)}
                      aria-label={t('books.grid.selectRow', { label })}
                      onChange={(e) =>
                        setSelected((current) => {
                          const next = new Set(current);
                          if (e.target.checked) next.add(row.id);
                          else next.delete(row.id);
                          return next;
                        })
                      }
                      onKeyDown={(e) => void onKeyDown(e, index, 'select')}
                    />
                  </td>
                  <td>{row.day}</td>
                  <td>
                    {row.merchant}
                    <span className="muted small block">{row.receipt}</span>
                    {row.question ? <span className="small block question-note">{row.question}</span> : null}
                  </td>
                  <td className="num">{row.amount}</td>
                  <td className="combo-cell">
                    {row.lines > 1 ? (
                      <span>{t('books.grid.split', { count: row.lines })}</span>
                    ) : (
                      <>
                        <input
                          type="text"
                          inputMode="text"
                          autoComplete="off"
                          spellCheck={false}
                          role="combobox"
                          aria-expanded={listOpen && options.length > 0}
                          aria-controls={`${listId}-${index}`}
                          aria-autocomplete="list"
                          aria-activedescendant={
                            listOpen && options[open!.active] ? `${listId}-${index}-${open!.active}` : undefined
                          }
                          aria-label={t('books.grid.accountFor', { label })}
                          data-row={index}
                          data-col="account"
                          className="account-input"
                          value={row.account}
                          onChange={(e) => {
                            update([row.id], { account: e.target.value });
                            setOpen({ row: row.id, active: 0 });
                          }}
                          onBlur={() => setOpen((o) => (o?.row === row.id ? null : o))}
                          onKeyDown={(e) => void onKeyDown(e, index, 'account')}
                        />
                        {known ? <span className="muted small account-label">{known.label}</span> : null}
                        <ul
                          id={`${listId}-${index}`}
                          role="listbox"
                          className="combo-list"
                          hidden={!listOpen || options.length === 0}
                          aria-label={t('books.grid.accounts')}
                        >
                          {options.map((option, k) => (
                            <li
                              key={option.number}
                              id={`${listId}-${index}-${k}`}
                              role="option"
                              aria-selected={open?.active === k}
                              onMouseDown={(e) => {
                                e.preventDefault();
                                void save(pick(row, option), false);
                              }}
                            >
                              <strong>{option.number}</strong> {option.label}
                            </li>
                          ))}
                        </ul>
                      </>
                    )}
                  </td>
                  <td>
                    <select
                      data-row={index}
                      data-col="vat"
                      aria-label={t('books.grid.vatFor', { label })}
                      value={row.vatRateBp}
                      disabled={row.lines > 1}
                      onChange={(e) => update([row.id], { vatRateBp: Number(e.target.value) })}
                      onKeyDown={(e) => void onKeyDown(e, index, 'vat')}
                    >
                      {VAT_RATES_BP.map((rate) => (
                        <option key={rate} value={rate}>
                          {formatRate(rate)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <select
                      data-row={index}
                      data-col="share"
                      aria-label={t('books.grid.shareFor', { label })}
                      value={row.deductiblePct}
                      disabled={row.lines > 1}
                      onChange={(e) => update([row.id], { deductiblePct: Number(e.target.value) })}
                      onKeyDown={(e) => void onKeyDown(e, index, 'share')}
                    >
                      {((DEDUCTIBLE_SHARES as readonly number[]).includes(row.deductiblePct)
                        ? DEDUCTIBLE_SHARES
                        : [...DEDUCTIBLE_SHARES, row.deductiblePct]
                      ).map((share) => (
                        <option key={share} value={share}>
                          {share}
                          {'\u202F%'}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <input
                      type="text"
                      data-row={index}
                      data-col="analytic"
                      className="analytic-input"
                      maxLength={20}
                      aria-label={t('books.grid.analyticFor', { label })}
                      value={row.analytic}
                      disabled={row.lines > 1}
                      onChange={(e) => update([row.id], { analytic: e.target.value })}
                      onKeyDown={(e) => void onKeyDown(e, index, 'analytic')}
                    />
                  </td>
                  <td>
                    <span className={`badge coding-${row.state}`}>
                      {t(`books.grid.states.${row.state}`)}
                      {row.suggested && row.state === 'to_code' ? ` · ${t('books.grid.suggested')}` : ''}
                    </span>
                    <a
                      className="small block"
                      href={`/clients/${props.clientId}/depenses/${row.id}`}
                      aria-label={t('books.grid.splitFor', { label })}
                    >
                      {t('books.grid.splitLink')}
                    </a>
                    {rowState ? (
                      <span
                        className={`small ${rowState.kind === 'error' ? 'field-error' : 'muted'}`}
                        role={rowState.kind === 'error' ? 'alert' : undefined}
                      >
                        {' '}
                        {rowState.message}
                      </span>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="visually-hidden" role="status">
        {announce}
      </p>
    </>
  );
}
