import type { I18n } from '@/lib/server/i18n/translator';

/** Stands for the client's name in the per-row templates (see `fillName`). */
const NAME = '{name}';

const cache = new WeakMap<I18n, ReturnType<typeof build>>();

function build({ t }: I18n) {
  const sortBy = (column: string) => t('clients.sortByColumn', { column });
  const columns = {
    name: t('clients.columns.name'),
    missing: t('clients.columns.missing'),
    ready: t('clients.columns.ready'),
    balance: t('clients.columns.balance'),
    vat: t('clients.columns.vat'),
    close: t('clients.columns.close'),
    accountants: t('clients.columns.accountants'),
    actions: t('clients.columns.actions'),
    contact: t('clients.columns.contact'),
    since: t('clients.columns.since'),
    step: t('clients.columns.step'),
  };
  return {
    columns,
    short: {
      missing: t('clients.columnsShort.missing'),
      ready: t('clients.columnsShort.ready'),
      vat: t('clients.columnsShort.vat'),
      close: t('clients.columnsShort.close'),
      accountants: t('clients.columnsShort.accountants'),
    },
    sortBy: {
      name: sortBy(columns.name),
      missing: sortBy(columns.missing),
      ready: sortBy(columns.ready),
      balance: sortBy(columns.balance),
      vat: sortBy(columns.vat),
      echeance: sortBy(columns.close),
    },
    lateMark: t('clients.lateMark'),
    select: t('clients.select'),
    accountantsLabel: t('clients.accountantsLabel'),
    none: t('common.none'),
    followed: {
      daily: t('clients.followed', { frequency: 'daily' }),
      weekly: t('clients.followed', { frequency: 'weekly' }),
      monthly: t('clients.followed', { frequency: 'monthly' }),
    },
    menu: { open: t('clients.open'), details: t('clients.details'), notify: t('clients.notify') },
    invitation: {
      accept: t('connectionRequests.accept'),
      decline: t('connectionRequests.decline'),
      cancel: t('common.cancel'),
    },
    // Per row, the message with the name left as « {name} », filled in by `fillName`: the
    // catalogue's wording, without formatting a message per row and per request.
    perRow: {
      selectClient: t('clients.selectClient', { name: NAME }),
      menu: t('clients.menu', { name: NAME }),
      declineTitle: t('connectionRequests.declineConfirmTitle', { name: NAME }),
      declineBody: t('connectionRequests.declineConfirmBody', { name: NAME }),
    },
  };
}

/**
 * Every word the Clients table shows, translated on the server once per language and process (the
 * table is a client component: with `useTranslations` it compiled and formatted its ~70 messages on
 * every server render, about 1 ms a page).
 */
export function clientTableLabels(i18n: I18n): ClientTableLabels {
  let labels = cache.get(i18n);
  if (!labels) {
    labels = build(i18n);
    cache.set(i18n, labels);
  }
  return labels;
}

export type ClientTableLabels = ReturnType<typeof build>;

/** A per-row template with the client's name in place of « {name} » (the name itself is not parsed). */
export function fillName(template: string, name: string): string {
  return template.split(NAME).join(name);
}
