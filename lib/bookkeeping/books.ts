import { and, asc, eq, sql } from 'drizzle-orm';
import { db, type Db, type Tx } from '@/db';
import { chartAccounts, clientBooks } from '@/db/schema';
import type { FrozenBooks } from './entries';
import { PCG_ACCOUNTS } from './pcg';

type Client = { id: string; firmId: string };
export type BooksSettings = typeof clientBooks.$inferSelect;
export type ChartAccount = {
  number: string;
  label: string;
  defaultVatRateBp: number;
  defaultDeductiblePct: number;
  active: boolean;
};

/**
 * A client's books (settings and chart of accounts), made from the PCG the first time they are
 * needed: one statement each, safe to run again and from two requests at once (ON CONFLICT).
 */
export async function ensureBooks(client: Client, on: Db | Tx = db): Promise<void> {
  const created = await on
    .insert(clientBooks)
    .values({ clientId: client.id, firmId: client.firmId })
    .onConflictDoNothing()
    .returning({ clientId: clientBooks.clientId });
  if (created.length === 0) return;
  await on
    .insert(chartAccounts)
    .values(
      PCG_ACCOUNTS.map((a) => ({
        firmId: client.firmId,
        clientId: client.id,
        number: a.number,
        label: a.label,
        defaultVatRateBp: a.vatRateBp,
        defaultDeductiblePct: a.deductiblePct,
      })),
    )
    .onConflictDoNothing();
}

export async function loadBooks(
  client: Client,
  on: Db | Tx = db,
): Promise<{ settings: BooksSettings; chart: ChartAccount[] }> {
  await ensureBooks(client, on);
  const [settings] = await on.select().from(clientBooks).where(eq(clientBooks.clientId, client.id));
  const chart = await on
    .select({
      number: chartAccounts.number,
      label: chartAccounts.label,
      defaultVatRateBp: chartAccounts.defaultVatRateBp,
      defaultDeductiblePct: chartAccounts.defaultDeductiblePct,
      active: chartAccounts.active,
    })
    .from(chartAccounts)
    .where(and(eq(chartAccounts.clientId, client.id), eq(chartAccounts.firmId, client.firmId)))
    .orderBy(asc(sql`${chartAccounts.number} COLLATE "C"`));
  return { settings: settings!, chart };
}

/** The settings an export writes its files with, account labels included. */
export async function freezeBooks(client: Client, on: Db | Tx): Promise<FrozenBooks> {
  const { settings, chart } = await loadBooks(client, on);
  // An account missing from the chart (removed since) is written with its number as its label.
  const label = (number: string) => chart.find((a) => a.number === number)?.label ?? number;
  return {
    journalCode: settings.journalCode,
    journalLabel: settings.journalLabel,
    vatAccount: settings.vatAccount,
    vatAccountLabel: label(settings.vatAccount),
    counterpartAccount: settings.counterpartAccount,
    counterpartLabel: label(settings.counterpartAccount),
    supplierAuxiliary: settings.supplierAuxiliary,
  };
}

export async function saveBooks(
  client: Client,
  input: {
    journalCode: string;
    journalLabel: string;
    vatAccount: string;
    counterpartAccount: string;
    supplierAuxiliary: boolean;
    preset: BooksSettings['preset'];
  },
): Promise<void> {
  await ensureBooks(client);
  await db
    .update(clientBooks)
    .set({ ...input, updatedAt: sql`now()` })
    .where(and(eq(clientBooks.clientId, client.id), eq(clientBooks.firmId, client.firmId)));
}

/** Adds an account to the client's chart, or changes its label, defaults or whether it is offered. */
export async function saveAccount(
  client: Client,
  input: { number: string; label: string; vatRateBp: number; deductiblePct: number; active: boolean },
): Promise<void> {
  await ensureBooks(client);
  await db
    .insert(chartAccounts)
    .values({
      firmId: client.firmId,
      clientId: client.id,
      number: input.number,
      label: input.label,
      defaultVatRateBp: input.vatRateBp,
      defaultDeductiblePct: input.deductiblePct,
      active: input.active,
    })
    .onConflictDoUpdate({
      target: [chartAccounts.clientId, chartAccounts.number],
      set: {
        label: input.label,
        defaultVatRateBp: input.vatRateBp,
        defaultDeductiblePct: input.deductiblePct,
        active: input.active,
      },
    });
}
