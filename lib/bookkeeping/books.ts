import { and, asc, eq, sql } from 'drizzle-orm';
import { db, sqlArray, type Db, type Tx } from '@/db';
import { chartAccounts, clientBooks, firmChartAccounts } from '@/db/schema';
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
 * The firm's default chart, made from the PCG the first time it is needed: one statement, that
 * writes nothing once the firm has one (safe to run again, and from two requests at once).
 */
async function ensureFirmChart(firmId: string, on: Db | Tx = db): Promise<void> {
  await on.execute(sql`
    INSERT INTO firm_chart_accounts (firm_id, number, label, default_vat_rate_bp, default_deductible_pct)
    SELECT ${firmId}::uuid, a.number, a.label, a.vat, a.share
    FROM unnest(${sqlArray(
      PCG_ACCOUNTS.map((a) => a.number),
      'text',
    )}, ${sqlArray(
      PCG_ACCOUNTS.map((a) => a.label),
      'text',
    )}, ${sqlArray(
      PCG_ACCOUNTS.map((a) => a.vatRateBp),
      'integer',
    )}, ${sqlArray(
      PCG_ACCOUNTS.map((a) => a.deductiblePct),
      'integer',
    )}) AS a(number, label, vat, share)
    WHERE NOT EXISTS (SELECT 1 FROM firm_chart_accounts WHERE firm_id = ${firmId})
    ON CONFLICT DO NOTHING`);
}

/**
 * A client's books (settings and chart of accounts), made the first time they are needed: the
 * settings' defaults, and the chart copied from the firm's (itself from the PCG). Safe to run again
 * and from two requests at once (ON CONFLICT); a change to the firm's chart later is not copied
 * into clients that have theirs already.
 */
export async function ensureBooks(client: Client, on: Db | Tx = db): Promise<void> {
  // Read first: a page that shows the books writes nothing once they exist.
  const [existing] = await on
    .select({ clientId: clientBooks.clientId })
    .from(clientBooks)
    .where(eq(clientBooks.clientId, client.id));
  if (existing) return;
  const created = await on
    .insert(clientBooks)
    .values({ clientId: client.id, firmId: client.firmId })
    .onConflictDoNothing()
    .returning({ clientId: clientBooks.clientId });
  if (created.length === 0) return;
  await ensureFirmChart(client.firmId, on);
  await on.execute(sql`
    INSERT INTO chart_accounts (firm_id, client_id, number, label, default_vat_rate_bp, default_deductible_pct, active)
    SELECT firm_id, ${client.id}::uuid, number, label, default_vat_rate_bp, default_deductible_pct, active
    FROM firm_chart_accounts WHERE firm_id = ${client.firmId}
    ON CONFLICT DO NOTHING`);
}

/** The firm's default chart, by number. */
export async function loadFirmChart(firmId: string): Promise<ChartAccount[]> {
  await ensureFirmChart(firmId);
  return db
    .select({
      number: firmChartAccounts.number,
      label: firmChartAccounts.label,
      defaultVatRateBp: firmChartAccounts.defaultVatRateBp,
      defaultDeductiblePct: firmChartAccounts.defaultDeductiblePct,
      active: firmChartAccounts.active,
    })
    .from(firmChartAccounts)
    .where(eq(firmChartAccounts.firmId, firmId))
    .orderBy(asc(sql`${firmChartAccounts.number} COLLATE "C"`));
}

/** Adds an account to the firm's default chart, or changes it: for the clients whose books start after. */
export async function saveFirmAccount(
  firmId: string,
  input: { number: string; label: string; vatRateBp: number; deductiblePct: number; active: boolean },
): Promise<void> {
  await ensureFirmChart(firmId);
  const values = {
    label: input.label,
    defaultVatRateBp: input.vatRateBp,
    defaultDeductiblePct: input.deductiblePct,
    active: input.active,
  };
  await db
    .insert(firmChartAccounts)
    .values({ firmId, number: input.number, ...values })
    .onConflictDoUpdate({ target: [firmChartAccounts.firmId, firmChartAccounts.number], set: values });
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
