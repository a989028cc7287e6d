import { z } from 'zod';
import { hasControlCharacters } from '@/lib/server/text';

// What the spend platform sends on POST /api/webhooks/platform: one event, or a batch
// `{ "events": [...] }` of at most MAX_EVENTS. Every text is free of control characters (a NUL
// would make PostgreSQL refuse the whole batch).

export const MAX_EVENTS = 1_000;

// Each field is checked to what PostgreSQL will take, so that one hostile event is `invalid` on its
// own instead of failing the whole batch (and every retry of it): text that is valid UTF-16 (a lone
// surrogate cannot be stored, in text or jsonb), dates and instants between 2000 and 2100 (year
// 0000 is no date to PostgreSQL, and 9999-12-31T23:59:59-14:00 is year 10000 in UTC).
const plain = (max: number) =>
  z
    .string()
    .max(max)
    .refine((value) => value.isWellFormed() && !hasControlCharacters(value));
const note = z
  .string()
  .max(2_000)
  .refine((value) => value.isWellFormed() && !hasControlCharacters(value, { multiline: true }));
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(2100, 0, 1);
const inRange = (instant: number) => instant >= EARLIEST && instant < LATEST;
const day = z.iso.date().refine((value) => inRange(Date.parse(`${value}T00:00:00Z`)));
const instant = z.iso.datetime({ offset: true }).refine((value) => inRange(Date.parse(value)));
const eventId = plain(200).pipe(z.string().min(1));
const expenseId = plain(200).pipe(z.string().min(1));
const version = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const cents = z.number().int().min(-1e14).max(1e14);
const currency = z.string().regex(/^[A-Z]{3}$/);
const email = z
  .email()
  .max(320)
  .refine((value) => value.isWellFormed());

const verificationUpdated = z.object({
  id: eventId,
  type: z.literal('client.verification_updated'),
  data: z.object({
    clientId: z.string().uuid(),
    state: z.enum(['company_info', 'directors', 'in_review', 'verified']),
  }),
});

const expenseUpserted = z.object({
  id: eventId,
  type: z.literal('expense.upserted'),
  data: z.object({
    expenseId,
    clientId: z.string().uuid(),
    date: day,
    merchant: plain(200).pipe(z.string().trim().min(1)),
    amountCents: cents,
    currency,
    cardHolder: z.object({ name: plain(200).nullish(), email: email.nullish() }).nullish(),
    receipt: z.enum(['missing', 'attached', 'not_required']),
    readyToExport: z.boolean(),
    category: plain(200).nullish(),
    note: note.nullish(),
    version,
    // Only this brings an expense exported in the portal back to « à exporter » (or not ready).
    exportReversed: z.boolean().optional(),
  }),
});

const expenseDeleted = z.object({
  id: eventId,
  type: z.literal('expense.deleted'),
  data: z.object({ expenseId, version }),
});

const balanceUpdated = z.object({
  id: eventId,
  type: z.literal('client.balance_updated'),
  data: z.object({
    clientId: z.string().uuid(),
    balanceCents: cents,
    currency,
    asOf: instant,
  }),
});

export const PLATFORM_EVENT = z.discriminatedUnion('type', [
  verificationUpdated,
  expenseUpserted,
  expenseDeleted,
  balanceUpdated,
]);
export type PlatformEvent = z.infer<typeof PLATFORM_EVENT>;
export type ExpenseUpserted = z.infer<typeof expenseUpserted>;
export type ExpenseDeleted = z.infer<typeof expenseDeleted>;
export type BalanceUpdated = z.infer<typeof balanceUpdated>;

/** What happened to one event of a batch. */
export type EventResult =
  | 'applied'
  // Older than what is stored (by version, or as-of for a balance): nothing changed.
  | 'stale'
  // This event id was processed before: nothing changed.
  | 'duplicate'
  // No connected client of the portal has this id: nothing recorded, the id stays free.
  | 'unknown_client'
  // The expense belongs to another client: refused.
  | 'client_mismatch'
  // Not a valid event (the answer says where): nothing recorded, the id stays free.
  | 'invalid';
