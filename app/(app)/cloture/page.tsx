import type { Metadata } from 'next';
import { ActionForm, Field } from '@/components/action-form';
import { BulkSelection } from '@/components/bulk-selection';
import { FilterChip, FilterSelect } from '@/components/filter-select';
import { InstantFilters } from '@/components/instant-filters';
import { Link } from '@/components/link';
import { getI18n } from '@/lib/access/request-locale';
import { requireUser } from '@/lib/access/session';
import { listAssignableUsers } from '@/lib/assignments/queries';
import { setCloseRolesAction } from '@/lib/close/actions';
import {
  BOARD_SORTS,
  BOARD_STATUSES,
  boardMonths,
  listBoard,
  parisWeek,
  type BoardParams,
  type BoardRow,
} from '@/lib/close/board';
import { BOARD_SORT_WORDS, BOARD_STATUS_WORDS, boardHref, parseBoardParams } from '@/lib/close/schemas';
import { PAGE_SIZES } from '@/lib/clients/schemas';
import { listGroups } from '@/lib/groups/groups';
import { i18nFor, type I18n } from '@/lib/server/i18n/translator';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getI18n()).t('closeBoard.title') };
}

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const BULK_FORM = 'roles';

function monthDate(month: string): Date {
  return new Date(`${month}-15T12:00:00Z`);
}

/** One row's cells; each carries its column's name for the phone's card layout (data-label). */
function BoardTableRow({
  row,
  i18n,
  month,
  today,
  bulk,
}: {
  row: BoardRow;
  i18n: I18n;
  month: string;
  today: string;
  bulk: boolean;
}) {
  const { t, format } = i18n;
  const late = row.closeOn !== null && row.closeOn < today && row.status !== 'closed';
  const figure = (n: number) => (n === 0 ? <span className="muted">0</span> : format.count(n));
  return (
    <tr>
      {bulk ? (
        <td className="select-col">
          <input
            type="checkbox"
            form={BULK_FORM}
            name="clientIds"
            value={row.clientId}
            aria-label={t('closeBoard.select', { name: row.name })}
          />
        </td>
      ) : null}
      <th scope="row" className="board-client">
        <Link href={`/clients/${row.clientId}/cloture?mois=${month}`}>{row.name}</Link>
      </th>
      <td data-label={t('closeBoard.columns.status')}>
        <span className={`badge badge-close-${row.status}`}>{t(`closeBoard.statuses.${row.status}`)}</span>
        {row.afterClose > 0 ? (
          <span className="badge badge-after-close">{t('closeBoard.afterCloseCount', { count: row.afterClose })}</span>
        ) : null}
      </td>
      <td data-label={t('closeBoard.columns.due')} className={late ? 'late' : undefined}>
        {row.closeOn ? format.day(row.closeOn) : t('closeBoard.noDate')}
        {late ? <span className="late-mark"> · {t('closeBoard.lateMark')}</span> : null}
      </td>
      <td className="num" data-label={t('closeBoard.short.missing')}>
        {figure(row.missing)}
      </td>
      <td className="num" data-label={t('closeBoard.short.toCode')}>
        {figure(row.toCode)}
      </td>
      <td className="num" data-label={t('closeBoard.short.toReview')}>
        {figure(row.toReview)}
      </td>
      <td className="num" data-label={t('closeBoard.short.toExport')}>
        {figure(row.notExported)}
      </td>
      <td className="num" data-label={t('closeBoard.short.vat')}>
        {row.vatAtRiskCents === 0 ? (
          <span className="muted">{format.money(0, 'EUR')}</span>
        ) : (
          format.money(row.vatAtRiskCents, 'EUR')
        )}
      </td>
      <td className={`num${row.balanceCents < 0 ? ' negative' : ''}`} data-label={t('closeBoard.columns.balance')}>
        {format.money(row.balanceCents, row.currency)}
      </td>
      <td data-label={t('closeBoard.columns.preparer')}>{row.preparer ?? ''}</td>
      <td data-label={t('closeBoard.columns.reviewer')}>{row.reviewer ?? ''}</td>
    </tr>
  );
}

export default async function CloseBoardPage({ searchParams }: Props) {
  const user = await requireUser();
  const i18n = i18nFor(user.locale);
  const { t, format } = i18n;
  const now = new Date();
  const months = boardMonths(now);
  const search = await searchParams;
  const parsed: BoardParams = parseBoardParams(search, months);
  // A group the viewer does not see filters nothing.
  const groups = await listGroups(user);
  const group = groups.find((g) => g.id === parsed.group);
  const params: BoardParams = group ? parsed : { ...parsed, group: undefined };
  const [board, team] = await Promise.all([listBoard(user, params, now), listAssignableUsers(user.firmId)]);
  const current = { ...params, page: board.page };
  const href = (change: Partial<BoardParams>) => boardHref(current, months, { page: 1, ...change });
  const { today } = parisWeek(now);
  const isAdmin = user.role === 'admin';
  const bulk = isAdmin && board.rows.length > 0;
  const nameOf = (id: string | undefined) => team.find((m) => m.id === id)?.name ?? '';
  const filterCount =
    Number(Boolean(params.preparer)) +
    Number(Boolean(params.reviewer)) +
    Number(params.late) +
    Number(params.week) +
    Number(Boolean(group));
  const people = [{ value: '', label: t('closeBoard.anyone') }, ...team.map((m) => ({ value: m.id, label: m.name }))];

  return (
    <div className="clients-page close-board">
      <h1>{t('closeBoard.title')}</h1>

      <nav className="tabs" aria-label={t('closeBoard.monthsLabel')}>
        {months.map((month) => (
          <a
            key={month}
            href={href({ month })}
            className="tab"
            aria-current={month === params.month ? 'page' : undefined}
          >
            {format.monthYear(monthDate(month))}
          </a>
        ))}
      </nav>

      <nav className="tabs" aria-label={t('closeBoard.statusesLabel')}>
        {(['all', ...BOARD_STATUSES] as const).map((status) => (
          <a
            key={status}
            href={href({ status: status === 'all' ? undefined : status })}
            className="tab"
            aria-current={(params.status ?? 'all') === status ? 'page' : undefined}
          >
            {status === 'all' ? t('closeBoard.all') : t(`closeBoard.statuses.${status}`)}
          </a>
        ))}
      </nav>

      <InstantFilters
        action="/cloture"
        className="toolbar"
        toggleLabel={t('closeBoard.filtersToggle', { count: filterCount })}
      >
        {params.month !== months[0] ? <input type="hidden" name="mois" value={params.month} /> : null}
        {params.status ? <input type="hidden" name="statut" value={BOARD_STATUS_WORDS[params.status]} /> : null}
        <FilterSelect
          name="preparateur"
          label={t('closeBoard.preparer')}
          options={people}
          defaultValue={params.preparer ?? ''}
        />
        <FilterSelect
          name="reviseur"
          label={t('closeBoard.reviewer')}
          options={people}
          defaultValue={params.reviewer ?? ''}
        />
        {groups.length > 0 ? (
          <FilterSelect
            name="groupe"
            label={t('groups.filter')}
            options={[
              { value: '', label: t('groups.anyGroup') },
              ...groups.map((g) => ({ value: g.id, label: g.name })),
            ]}
            defaultValue={group?.id ?? ''}
          />
        ) : null}
        <label className="checkbox">
          <input type="checkbox" name="retard" value="1" defaultChecked={params.late} />
          {t('closeBoard.late')}
        </label>
        <label className="checkbox">
          <input type="checkbox" name="semaine" value="1" defaultChecked={params.week} />
          {t('closeBoard.week')}
        </label>
        <FilterSelect
          name="tri"
          label={t('closeBoard.sortBy')}
          options={BOARD_SORTS.map((sort) => ({ value: BOARD_SORT_WORDS[sort], label: t(`closeBoard.sorts.${sort}`) }))}
          defaultValue={BOARD_SORT_WORDS[params.sort]}
        />
        <FilterSelect
          name="taille"
          label={t('closeBoard.pageSize')}
          hideLabel
          options={PAGE_SIZES.map((n) => ({ value: String(n), label: t('clients.perPage', { count: n }) }))}
          defaultValue={String(params.size)}
        />
        <button type="submit" className="button primary apply-button">
          {t('closeBoard.apply')}
        </button>
      </InstantFilters>

      {filterCount > 0 ? (
        <ul className="chips" aria-label={t('closeBoard.activeFilters')}>
          {(
            [
              params.preparer
                ? {
                    key: 'p',
                    label: t('closeBoard.chipPreparer', { name: nameOf(params.preparer) }),
                    off: { preparer: undefined },
                  }
                : null,
              params.reviewer
                ? {
                    key: 'r',
                    label: t('closeBoard.chipReviewer', { name: nameOf(params.reviewer) }),
                    off: { reviewer: undefined },
                  }
                : null,
              group ? { key: 'g', label: t('groups.chip', { name: group.name }), off: { group: undefined } } : null,
              params.late ? { key: 'l', label: t('closeBoard.late'), off: { late: false } } : null,
              params.week ? { key: 'w', label: t('closeBoard.week'), off: { week: false } } : null,
            ] as ({ key: string; label: string; off: Partial<BoardParams> } | null)[]
          )
            .filter((chip) => chip !== null)
            .map((chip) => (
              <FilterChip
                key={chip.key}
                href={href(chip.off)}
                label={chip.label}
                removeLabel={t('closeBoard.removeFilter', { label: chip.label })}
              />
            ))}
          <li>
            <a
              href={href({ preparer: undefined, reviewer: undefined, group: undefined, late: false, week: false })}
              className="chip"
            >
              {t('closeBoard.reset')}
            </a>
          </li>
        </ul>
      ) : null}

      {board.rows.length === 0 ? (
        <div className="empty">
          <p>{filterCount > 0 || params.status ? t('closeBoard.empty') : t('closeBoard.emptyAll')}</p>
        </div>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table compact board-table">
              <thead>
                <tr>
                  {bulk ? (
                    <th scope="col" className="select-col">
                      <span className="visually-hidden">{t('clients.select')}</span>
                    </th>
                  ) : null}
                  <th scope="col">{t('closeBoard.columns.client')}</th>
                  <th scope="col">{t('closeBoard.columns.status')}</th>
                  <th scope="col" aria-sort={params.sort === 'due' ? 'ascending' : undefined}>
                    {t('closeBoard.columns.due')}
                  </th>
                  <th scope="col" className="num" aria-sort={params.sort === 'missing' ? 'descending' : undefined}>
                    <span aria-hidden="true">{t('closeBoard.short.missing')}</span>
                    <span className="visually-hidden">{t('closeBoard.columns.missing')}</span>
                  </th>
                  <th scope="col" className="num" aria-sort={params.sort === 'to_code' ? 'descending' : undefined}>
                    <span aria-hidden="true">{t('closeBoard.short.toCode')}</span>
                    <span className="visually-hidden">{t('closeBoard.columns.toCode')}</span>
                  </th>
                  <th scope="col" className="num">
                    <span aria-hidden="true">{t('closeBoard.short.toReview')}</span>
                    <span className="visually-hidden">{t('closeBoard.columns.toReview')}</span>
                  </th>
                  <th scope="col" className="num">
                    <span aria-hidden="true">{t('closeBoard.short.toExport')}</span>
                    <span className="visually-hidden">{t('closeBoard.columns.toExport')}</span>
                  </th>
                  <th scope="col" className="num" aria-sort={params.sort === 'vat' ? 'descending' : undefined}>
                    {t('closeBoard.columns.vat')}
                  </th>
                  <th scope="col" className="num">
                    {t('closeBoard.columns.balance')}
                  </th>
                  <th scope="col">{t('closeBoard.columns.preparer')}</th>
                  <th scope="col">{t('closeBoard.columns.reviewer')}</th>
                </tr>
              </thead>
              <tbody>
                {board.rows.map((row) => (
                  <BoardTableRow
                    key={row.clientId}
                    row={row}
                    i18n={i18n}
                    month={params.month}
                    today={today}
                    bulk={bulk}
                  />
                ))}
              </tbody>
            </table>
          </div>
          {bulk ? (
            <ActionForm
              id={BULK_FORM}
              action={setCloseRolesAction}
              className="bulk-bar"
              submitLabel={t('closeBoard.assign')}
              buttonClassName="button primary"
            >
              <BulkSelection
                formId={BULK_FORM}
                pageIds={board.rows.map((r) => r.clientId)}
                selectionKey={[
                  'cloture',
                  user.id,
                  params.month,
                  params.status ?? '',
                  params.preparer ?? '',
                  params.reviewer ?? '',
                  params.late,
                  params.week,
                ].join('|')}
              />
              <Field
                name="preparerId"
                form={BULK_FORM}
                label={t('closeBoard.setPreparer')}
                type="select"
                options={[
                  { value: '', label: t('closeBoard.unchanged') },
                  ...team.map((m) => ({ value: m.id, label: m.name })),
                ]}
              />
              <Field
                name="reviewerId"
                form={BULK_FORM}
                label={t('closeBoard.setReviewer')}
                type="select"
                options={[
                  { value: '', label: t('closeBoard.unchanged') },
                  ...team.map((m) => ({ value: m.id, label: m.name })),
                ]}
              />
            </ActionForm>
          ) : null}
          {board.page > 1 || board.hasNext ? (
            <nav className="pagination" aria-label={t('closeBoard.pagination')}>
              {board.page > 1 ? (
                <a href={boardHref(current, months, { page: board.page - 1 })} rel="prev">
                  {t('closeBoard.previous')}
                </a>
              ) : (
                <span aria-disabled="true" className="disabled">
                  {t('closeBoard.previous')}
                </span>
              )}
              <span>{t('closeBoard.pageOnly', { page: board.page })}</span>
              {board.hasNext ? (
                <a href={boardHref(current, months, { page: board.page + 1 })} rel="next">
                  {t('closeBoard.next')}
                </a>
              ) : (
                <span aria-disabled="true" className="disabled">
                  {t('closeBoard.next')}
                </span>
              )}
            </nav>
          ) : null}
        </>
      )}
    </div>
  );
}
