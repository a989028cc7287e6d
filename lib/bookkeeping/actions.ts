'use server';

import { revalidatePath } from 'next/cache';
import { createAction } from '@/lib/access/server-action';
import { findWorkspaceClient } from '@/lib/clients/queries';
import { cancelExport } from '@/lib/exports/create-export';
import { SafeError } from '@/lib/server/errors';
import { saveAccount, saveBooks, saveFirmAccount } from './books';
import { codeExpenses, reviewExpenses, splitExpense } from './coding';
import { deleteRule, saveRule } from './rules';
import {
  accountSchema,
  booksSchema,
  cancelExportSchema,
  codeSchema,
  deleteRuleSchema,
  firmAccountSchema,
  reviewSchema,
  ruleSchema,
  splitSchema,
} from './schemas';

// The grid's actions answer without re-rendering the page (the grid keeps its rows, its focus and
// its selection, and updates them from the answer); the others refresh the client's pages.

export const codeExpensesAction = createAction({ schema: codeSchema }, async (input, user, { t }) => {
  const count = await codeExpenses(user, input.clientId, {
    expenseIds: input.ids,
    account: input.account,
    vatRateBp: input.vatRate,
    deductiblePct: input.deductible,
    analytic: input.analytic,
    review: input.review === '1',
  });
  return {
    status: 'success',
    message: t(input.review === '1' ? 'books.grid.codedReviewed' : 'books.grid.coded', { count }),
  };
});

export const splitExpenseAction = createAction({ schema: splitSchema }, async (input, user, { t }) => {
  await splitExpense(user, input.clientId, input.expenseId, input.lines);
  revalidatePath(`/clients/${input.clientId}`);
  return { status: 'success', message: t('books.split.saved', { count: input.lines.length }) };
});

export const reviewExpensesAction = createAction({ schema: reviewSchema }, async (input, user, { t }) => {
  const result = await reviewExpenses(user, input.clientId, input.ids, input.reviewed === '1');
  return {
    status: 'success',
    message:
      input.reviewed === '1'
        ? t('books.grid.reviewed', { count: result.changed, skipped: result.skipped })
        : t('books.grid.unreviewed', { count: result.changed }),
  };
});

async function visibleClient(user: Parameters<typeof findWorkspaceClient>[0], clientId: string) {
  const client = await findWorkspaceClient(user, clientId);
  if (!client) throw new SafeError('errors.clientNotFound');
  return client;
}

export const saveRuleAction = createAction({ schema: ruleSchema }, async (input, user, { t }) => {
  const client = await visibleClient(user, input.clientId);
  const suggested = await saveRule(user, client, {
    merchant: input.merchant,
    account: input.account,
    vatRateBp: input.vatRate,
    deductiblePct: input.deductible,
    firmWide: input.scope === 'firm',
  });
  revalidatePath(`/clients/${input.clientId}`);
  return { status: 'success', message: t('books.rules.saved', { merchant: input.merchant, count: suggested }) };
});

export const deleteRuleAction = createAction({ schema: deleteRuleSchema }, async (input, user, { t }) => {
  const client = await visibleClient(user, input.clientId);
  await deleteRule(user, client, input.ruleId);
  revalidatePath(`/clients/${input.clientId}/comptabilite`);
  return { status: 'success', message: t('books.rules.deleted') };
});

export const saveBooksAction = createAction({ schema: booksSchema, role: 'admin' }, async (input, user, { t }) => {
  const client = await visibleClient(user, input.clientId);
  await saveBooks(client, {
    journalCode: input.journalCode,
    journalLabel: input.journalLabel,
    vatAccount: input.vatAccount,
    counterpartAccount: input.counterpartAccount,
    supplierAuxiliary: input.supplierAuxiliary === '1',
    preset: input.preset,
  });
  revalidatePath(`/clients/${input.clientId}/comptabilite`);
  return { status: 'success', message: t('books.settings.saved') };
});

export const saveAccountAction = createAction({ schema: accountSchema, role: 'admin' }, async (input, user, { t }) => {
  const client = await visibleClient(user, input.clientId);
  await saveAccount(client, {
    number: input.number,
    label: input.label,
    vatRateBp: input.vatRate,
    deductiblePct: input.deductible,
    active: input.active === '1',
  });
  revalidatePath(`/clients/${input.clientId}/comptabilite`);
  return { status: 'success', message: t('books.chart.saved', { number: input.number }) };
});

export const saveFirmAccountAction = createAction(
  { schema: firmAccountSchema, role: 'admin' },
  async (input, user, { t }) => {
    await saveFirmAccount(user.firmId, {
      number: input.number,
      label: input.label,
      vatRateBp: input.vatRate,
      deductiblePct: input.deductible,
      active: input.active === '1',
    });
    revalidatePath('/equipe/plan-comptable');
    return { status: 'success', message: t('books.chart.saved', { number: input.number }) };
  },
);

export const cancelExportAction = createAction({ schema: cancelExportSchema }, async (input, user, { t }) => {
  const result = await cancelExport(user, input.clientId, input.exportId);
  revalidatePath(`/clients/${input.clientId}`);
  return {
    status: 'success',
    message: result.alreadyCancelled
      ? t('workspace.exports.alreadyCancelled')
      : t('workspace.exports.cancelled', { count: result.expenses }),
  };
});
