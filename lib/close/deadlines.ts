import { and, eq, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { db, type Tx } from '@/db';
import { clientMonths, clients, firms } from '@/db/schema';
import type { Viewer, VisibleClient } from '@/lib/access/visibility';
import { SafeError } from '@/lib/server/errors';
import { TIME_ZONE } from '@/lib/server/i18n/translator';
import { monthDeadline, type Deadline, type VatRegime } from './calendar';

type ClientRules = { firmId: string; vatRegime: VatRegime; vatDueDay: number };

/** The month to close now (the previous month in Paris), « 2026-11 » on any day of December 2026. */
export function monthToClose(now: Date): string {
  return DateTime.fromJSDate(now, { zone: TIME_ZONE }).minus({ months: 1 }).toFormat('yyyy-LL');
}

export async function firmCloseRules(firmId: string) {
  const [firm] = await db
    .select({ closeWorkingDays: firms.closeWorkingDays, franchiseCloseDay: firms.franchiseCloseDay })
    .from(firms)
    .where(eq(firms.id, firmId));
  return firm ?? { closeWorkingDays: 3, franchiseCloseDay: 15 };
}

/** When a client's month closes, by its VAT regime and the firm's rule. */
export async function clientDeadline(client: ClientRules, month: string): Promise<Deadline> {
  const firm = await firmCloseRules(client.firmId);
  return monthDeadline(month, {
    regime: client.vatRegime,
    dueDay: client.vatDueDay,
    closeWorkingDays: firm.closeWorkingDays,
    franchiseDay: firm.franchiseCloseDay,
  });
}

/** An admin sets a client's SIREN, VAT regime and day (the tax office's, from the client's account). */
export async function setVatRegime(
  viewer: Viewer,
  client: VisibleClient,
  input: { regime: VatRegime; dueDay: number; siren: string },
): Promise<void> {
  if (viewer.role !== 'admin') throw new SafeError('errors.adminOnly');
  await db.transaction(async (tx) => {
    await tx
      .update(clients)
      .set({ vatRegime: input.regime, vatDueDay: input.dueDay, siren: input.siren === '' ? null : input.siren })
      .where(and(eq(clients.id, client.id), eq(clients.firmId, viewer.firmId)));
    await forgetDates(tx, { firmId: viewer.firmId, clientId: client.id });
  });
}

/** An admin sets the firm's close rule. */
export async function setCloseRules(viewer: Viewer, input: { closeWorkingDays: number; franchiseCloseDay: number }) {
  if (viewer.role !== 'admin') throw new SafeError('errors.adminOnly');
  await db.transaction(async (tx) => {
    await tx.update(firms).set(input).where(eq(firms.id, viewer.firmId));
    await forgetDates(tx, { firmId: viewer.firmId });
  });
}

/** A client's regime or the firm's rule changed: the open months' dates are computed again. */
async function forgetDates(on: Tx | typeof db, where: { firmId: string; clientId?: string }): Promise<void> {
  await on.execute(sql`
    UPDATE client_months SET close_on = NULL, vat_due_on = NULL
    WHERE firm_id = ${where.firmId} AND closed_at IS NULL
      ${where.clientId ? sql`AND client_id = ${where.clientId}` : sql``}`);
}

export type CloseNotice = { month: string; on: string; late: boolean };

/**
 * What an e-mail says of a client's month to close on `today` (a Paris day): late when its close
 * date is past, due this week when it falls by Sunday; nothing once closed or later.
 */
export function closeNotice(month: string, close: string, today: string, closed: boolean): CloseNotice | undefined {
  if (closed) return undefined;
  const day = DateTime.fromISO(today, { zone: 'UTC' });
  const sunday = day.plus({ days: 7 - day.weekday }).toISODate()!;
  if (close < today) return { month, on: close, late: true };
  if (close <= sunday) return { month, on: close, late: false };
  return undefined;
}

/** The same for one client at an instant (a reminder's creation): its month to close then. */
export async function clientCloseNotice(
  client: ClientRules & { id: string },
  at: Date,
): Promise<CloseNotice | undefined> {
  const month = monthToClose(at);
  const [deadline, [row]] = await Promise.all([
    clientDeadline(client, month),
    db
      .select({ closedAt: clientMonths.closedAt })
      .from(clientMonths)
      .where(and(eq(clientMonths.clientId, client.id), eq(clientMonths.month, `${month}-01`))),
  ]);
  const today = DateTime.fromJSDate(at, { zone: TIME_ZONE }).toISODate()!;
  return closeNotice(month, deadline.close, today, Boolean(row?.closedAt));
}
