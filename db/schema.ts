import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
  type ExtraConfigColumn,
} from 'drizzle-orm/pg-core';

export const userRole = pgEnum('user_role', ['admin', 'accountant']);
export const userLocale = pgEnum('user_locale', ['fr', 'en']);
export const clientStatus = pgEnum('client_status', ['invitation', 'onboarding', 'active', 'declined']);
export const verificationState = pgEnum('verification_state', ['company_info', 'directors', 'in_review', 'verified']);
export const receiptState = pgEnum('receipt_state', ['missing', 'attached', 'not_required']);
export const exportState = pgEnum('export_state', ['not_ready', 'ready', 'exported']);
export const codingState = pgEnum('coding_state', ['to_code', 'coded', 'reviewed']);
/** A client's VAT regime, which sets when its months close (lib/close/calendar.ts). */
export const vatRegime = pgEnum('vat_regime', ['mensuel', 'trimestriel', 'simplifie', 'franchise']);

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const firms = pgTable(
  'firms',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    // « Double authentification obligatoire »: a member without it can open nothing but its set-up.
    requireTwoFactor: boolean('require_two_factor').notNull().default(false),
    // The firm's close rule: months close this many working days before their VAT due date, and the
    // months of a client without returns (franchise en base) on this day of the next month.
    closeWorkingDays: integer('close_working_days').notNull().default(3),
    // The month whose close dates clients.close_on holds: the month to close when the Clients page
    // last looked (lib/close/board.ts, followMonthToClose).
    closeMonth: date('close_month', { mode: 'string' }),
    franchiseCloseDay: integer('franchise_close_day').notNull().default(15),
    // « Demander l'accès »: accountants see the firm's other clients, greyed out, and may ask for one.
    accessRequests: boolean('access_requests').notNull().default(false),
    // When its members' digests go out unless they chose otherwise: an hour (8 to 18) in a zone.
    digestHour: integer('digest_hour').notNull().default(10),
    digestZone: text('digest_zone').notNull().default('Europe/Paris'),
    createdAt: createdAt(),
  },
  (t) => [check('firms_digest_hour', sql`${t.digestHour} BETWEEN 8 AND 18`)],
);

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    firmId: uuid('firm_id')
      .notNull()
      .references(() => firms.id),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: userRole('role').notNull(),
    passwordHash: text('password_hash'),
    active: boolean('active').notNull().default(true),
    // The language of the UI and of the e-mails this user receives (messages/<locale>.json).
    locale: userLocale('locale').notNull().default('fr'),
    // TOTP (RFC 6238), its secret encrypted at rest (lib/two-factor/crypto.ts). The pending secret is
    // the one being set up, until a code confirms it; the last step is never accepted twice.
    totpSecret: text('totp_secret'),
    totpPendingSecret: text('totp_pending_secret'),
    totpEnabledAt: timestamp('totp_enabled_at', { withTimezone: true }),
    totpLastStep: bigint('totp_last_step', { mode: 'number' }),
    // Set by an admin's reset: the member sets two-factor login up again before anything else.
    totpSetupRequired: boolean('totp_setup_required').notNull().default(false),
    // This user's digest hour (8 to 18) and zone; null: the firm's.
    digestHour: integer('digest_hour'),
    digestZone: text('digest_zone'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('users_email_key').on(sql`lower(${t.email})`),
    unique('users_firm_id_id_key').on(t.firmId, t.id),
    check('users_digest_hour', sql`${t.digestHour} BETWEEN 8 AND 18`),
  ],
);

export const clients = pgTable(
  'clients',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    firmId: uuid('firm_id')
      .notNull()
      .references(() => firms.id),
    name: text('name').notNull(),
    // Accent- and case-folded name, computed by the database (pp_fold), with COLLATE "C" (set in
    // the migration) so that search and sort agree on PGlite and on PostgreSQL whatever their locale.
    searchName: text('search_name')
      .notNull()
      .generatedAlwaysAs(sql`pp_fold(name)`),
    status: clientStatus('status').notNull(),
    verificationState: verificationState('verification_state'),
    contactEmail: text('contact_email'),
    contactName: text('contact_name'),
    siren: text('siren'),
    balanceCents: bigint('balance_cents', { mode: 'number' }).notNull().default(0),
    currency: text('currency').notNull().default('EUR'),
    // The platform's time of the balance last applied: an older report changes nothing.
    balanceAsOf: timestamp('balance_as_of', { withTimezone: true }),
    // Kept by triggers on expenses, so that filtering and sorting use an index instead of
    // aggregating the expenses of the whole firm.
    missingReceipts: integer('missing_receipts').notNull().default(0),
    readyToExport: integer('ready_to_export').notNull().default(0),
    // « TVA à risque »: the deductible VAT of its expenses whose receipt is missing (pp_expense_counters).
    vatAtRiskCents: bigint('vat_at_risk_cents', { mode: 'number' }).notNull().default(0),
    // Its VAT regime and its day (15 to 24) for returns and instalments: when its months close.
    vatRegime: vatRegime('vat_regime').notNull().default('mensuel'),
    vatDueDay: integer('vat_due_day').notNull().default(19),
    // Who prepares its month's close and who reviews it (« La clôture du mois »): users of the firm.
    closePreparerId: uuid('close_preparer_id').references(() => users.id, { onDelete: 'set null' }),
    closeReviewerId: uuid('close_reviewer_id').references(() => users.id, { onDelete: 'set null' }),
    // « Échéance » on the Clients page: the close date of the firm's month to close
    // (firms.close_month) unless that month is closed for this client; a copy of its client_months
    // row kept by lib/close/board.ts, so that the list sorts by it through an index.
    closeOn: date('close_on', { mode: 'string' }),
    // The follow-ups of its receipt requests, in days after the request (1 to 4 of them, 1 to 28):
    // copied onto each request when it is sent (lib/receipts/followups.ts).
    followupDays: integer('followup_days')
      .array()
      .notNull()
      .default(sql`'{3,7}'::integer[]`),
    // Its receipt address's code: « recus+<code>@<RECEIVING_DOMAIN> » (lib/receipts/inbound.ts).
    // Random, so that nobody outside can guess a client's address and fill its inbox.
    receiptCode: text('receipt_code')
      .notNull()
      .default(sql`substr(replace(gen_random_uuid()::text, '-', ''), 1, 12)`),
    createdAt: createdAt(),
  },
  (t) => [
    unique('clients_firm_id_id_key').on(t.firmId, t.id),
    uniqueIndex('clients_receipt_code').on(t.receiptCode),
    check('clients_currency_check', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check('clients_vat_due_day', sql`${t.vatDueDay} BETWEEN 15 AND 24`),
    index('clients_by_name').on(t.firmId, t.status, t.searchName, t.id),
    index('clients_by_missing_asc').on(t.firmId, t.status, t.missingReceipts, t.searchName, t.id),
    index('clients_by_missing_desc').on(t.firmId, t.status, t.missingReceipts.desc(), t.searchName, t.id),
    index('clients_by_ready_asc').on(t.firmId, t.status, t.readyToExport, t.searchName, t.id),
    index('clients_by_ready_desc').on(t.firmId, t.status, t.readyToExport.desc(), t.searchName, t.id),
    index('clients_by_balance_asc').on(t.firmId, t.status, t.balanceCents, t.searchName, t.id),
    index('clients_by_balance_desc').on(t.firmId, t.status, t.balanceCents.desc(), t.searchName, t.id),
    index('clients_by_vat_asc').on(t.firmId, t.status, t.vatAtRiskCents, t.searchName, t.id),
    index('clients_by_vat_desc').on(t.firmId, t.status, t.vatAtRiskCents.desc(), t.searchName, t.id),
    index('clients_by_close_asc').on(t.firmId, t.status, t.closeOn.asc().nullsLast(), t.searchName, t.id),
    index('clients_by_close_desc').on(t.firmId, t.status, t.closeOn.desc().nullsLast(), t.searchName, t.id),
  ],
);

/**
 * Client groups (« Grands comptes », « Secteur BTP »…): firm-wide (`ownerId` null, made by admins)
 * or one member's own. A client may be in several. They filter the Clients page and the close
 * board, and with « Tout sélectionner » assign or subscribe a whole group at once (lib/groups).
 */
export const clientGroups = pgTable(
  'client_groups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    firmId: uuid('firm_id')
      .notNull()
      .references(() => firms.id, { onDelete: 'cascade' }),
    ownerId: uuid('owner_id').references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('client_groups_name_key').on(
      t.firmId,
      sql`coalesce(${t.ownerId}, '00000000-0000-0000-0000-000000000000'::uuid)`,
      sql`lower(${t.name})`,
    ),
  ],
);

export const clientGroupMembers = pgTable(
  'client_group_members',
  {
    groupId: uuid('group_id')
      .notNull()
      .references(() => clientGroups.id, { onDelete: 'cascade' }),
    firmId: uuid('firm_id').notNull(),
    clientId: uuid('client_id').notNull(),
    /** The client's status and whether it has a missing receipt, kept by triggers (migration 0036). */
    clientStatus: clientStatus('client_status').notNull().default('invitation'),
    clientMissing: boolean('client_missing').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.clientId] }),
    index('client_group_members_by_client').on(t.clientId),
    index('client_group_members_by_state').on(t.groupId, t.firmId, t.clientStatus, t.clientMissing),
    foreignKey({ columns: [t.firmId, t.clientId], foreignColumns: [clients.firmId, clients.id] }).onDelete('cascade'),
  ],
);

/**
 * Saved views of the Clients page (« Grands comptes en retard »): its state as a query string,
 * kept by its owner, shared with the firm or not. `/clients?vue=<id>` opens it (lib/views).
 */
export const savedViews = pgTable(
  'saved_views',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    firmId: uuid('firm_id')
      .notNull()
      .references(() => firms.id, { onDelete: 'cascade' }),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    shared: boolean('shared').notNull().default(false),
    query: text('query').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('saved_views_name_key').on(t.ownerId, sql`lower(${t.name})`),
    index('saved_views_by_firm').on(t.firmId, t.shared),
  ],
);

export const assignments = pgTable(
  'assignments',
  {
    firmId: uuid('firm_id').notNull(),
    clientId: uuid('client_id').notNull(),
    userId: uuid('user_id').notNull(),
    createdAt: createdAt(),
    // The client's status, and whether it has a missing receipt: copied from the client by triggers
    // (migration 0019) whatever an insert says, so that a user's tabs are counted from this table
    // alone. Never written by the application.
    clientStatus: clientStatus('client_status').notNull().default('invitation'),
    clientMissing: boolean('client_missing').notNull().default(false),
    // An access granted for a time (« Demander l'accès »): the row is deleted once this instant has
    // passed (lib/access-requests, before any request is served and before each cron run).
    expiresAt: timestamp('expires_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.clientId, t.userId] }),
    index('assignments_expiring')
      .on(t.expiresAt)
      .where(sql`${t.expiresAt} IS NOT NULL`),
    index('assignments_by_user').on(t.userId, t.clientId),
    index('assignments_by_user_state').on(t.userId, t.firmId, t.clientStatus, t.clientMissing, t.clientId),
    // Composite keys: an assignment can only join a client and a user of the same firm.
    foreignKey({ columns: [t.firmId, t.clientId], foreignColumns: [clients.firmId, clients.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.firmId, t.userId], foreignColumns: [users.firmId, users.id] }).onDelete('cascade'),
  ],
);

export const expenses = pgTable(
  'expenses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    clientId: uuid('client_id')
      .notNull()
      .references(() => clients.id, { onDelete: 'cascade' }),
    amountCents: bigint('amount_cents', { mode: 'number' }).notNull(),
    currency: text('currency').notNull().default('EUR'),
    merchant: text('merchant').notNull(),
    category: text('category'),
    spentOn: date('spent_on', { mode: 'string' }).notNull(),
    receiptState: receiptState('receipt_state').notNull(),
    exportState: exportState('export_state').notNull(),
    // The export that took it (references exports.id; declared in the migration to avoid a cycle).
    exportId: uuid('export_id'),
    // The spend platform's id for it, and the version of its last event applied (events older
    // than that change nothing). Null for expenses that did not come from the platform.
    platformId: text('platform_id'),
    version: bigint('version', { mode: 'number' }).notNull().default(0),
    cardHolderName: text('card_holder_name'),
    cardHolderEmail: text('card_holder_email'),
    note: text('note'),
    updatedAt: timestamp('updated_at', { withTimezone: true }),
    // The receipt someone sent through a request link (stored_files), or why there is none.
    receiptFileId: uuid('receipt_file_id'),
    receiptReason: text('receipt_reason'),
    // When the answer came through a request link: the requester's next digest counts them.
    receiptAnsweredAt: timestamp('receipt_answered_at', { withTimezone: true }),
    // The platform's word (its readyToExport): one of the three inputs of export_state, which a
    // trigger computes (pp_expense_export_state, db/README.md).
    platformReady: boolean('platform_ready').notNull().default(false),
    // The bookkeeping: à coder → codée → revue. The lines are in expense_lines; `codingSuggested`
    // when a rule wrote them and nobody confirmed them yet.
    codingState: codingState('coding_state').notNull().default('to_code'),
    codingSuggested: boolean('coding_suggested').notNull().default(false),
    codedBy: uuid('coded_by'),
    codedAt: timestamp('coded_at', { withTimezone: true }),
    // The piece number the first export gave it (client_books.last_piece + 1…): eight digits, the
    // entries' PieceRef and the name of its receipt in the export's ZIP.
    pieceRef: text('piece_ref'),
    // The deductible VAT of its lines (null when it has none), kept by a trigger (pp_expense_vat):
    // what « TVA à risque » counts when its receipt is missing.
    deductibleVatCents: bigint('deductible_vat_cents', { mode: 'number' }),
    // Arrived or changed while its month was closed (pp_expense_after_close): « Après clôture ».
    afterClose: boolean('after_close').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('expenses_platform_id_key').on(t.platformId),
    index('expenses_by_client_coding').on(t.clientId, t.codingState, t.spentOn),
    index('expenses_by_client_export').on(t.clientId, t.exportState, t.spentOn),
    index('expenses_by_export').on(t.exportId, t.spentOn, t.id),
    index('expenses_by_client_receipt').on(t.clientId, t.receiptState, t.spentOn),
    // « Après clôture » of a client's month (lib/close/board.ts).
    index('expenses_after_close')
      .on(t.clientId, t.spentOn)
      .where(sql`${t.afterClose}`),
  ],
);

/**
 * The close board's four sorts (close date, « TVA à risque », missing receipts, expenses to code),
 * each after `leading` and ending by name then id, over the connected clients' rows only.
 */
function boardIndexes(
  prefix: string,
  t: Record<'closeOn' | 'vatAtRiskCents' | 'missing' | 'toCode' | 'sortName' | 'clientId', ExtraConfigColumn>,
  leading: [ExtraConfigColumn, ...ExtraConfigColumn[]],
  active: ExtraConfigColumn,
) {
  const sorts = {
    by_close: t.closeOn,
    by_vat: t.vatAtRiskCents.desc(),
    by_missing: t.missing.desc(),
    by_to_code: t.toCode.desc(),
  };
  return Object.entries(sorts).map(([name, key]) =>
    index(`${prefix}_${name}`)
      .on(...leading, key, t.sortName, t.clientId)
      .where(sql`${active}`),
  );
}

/**
 * A client's month as the close board sees it (« La clôture du mois »): its checks as counters,
 * kept by a trigger on expenses (pp_expense_months, db/README.md) in the same transaction as any
 * change, its close and return dates (lib/close/board.ts fills them from the VAT regime), and its
 * close. The status is computed by the database from the rest.
 */
export const clientMonths = pgTable(
  'client_months',
  {
    firmId: uuid('firm_id').notNull(),
    clientId: uuid('client_id').notNull(),
    /** The month's first day. */
    month: date('month', { mode: 'string' }).notNull(),
    /** The client's folded name (clients.search_name), so that every sort ends by name in its index. */
    sortName: text('sort_name').notNull().default(''),
    /** When the close is due (the firm's rule) and the VAT return it feeds; null until computed. */
    closeOn: date('close_on', { mode: 'string' }),
    vatDueOn: date('vat_due_on', { mode: 'string' }),
    expenses: integer('expenses').notNull().default(0),
    missing: integer('missing').notNull().default(0),
    toCode: integer('to_code').notNull().default(0),
    toReview: integer('to_review').notNull().default(0),
    notExported: integer('not_exported').notNull().default(0),
    /** Expenses coded, reviewed or exported: the month is « En cours » rather than « À faire ». */
    progressed: integer('progressed').notNull().default(0),
    vatAtRiskCents: bigint('vat_at_risk_cents', { mode: 'number' }).notNull().default(0),
    afterClose: integer('after_close').notNull().default(0),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closedBy: uuid('closed_by'),
    /** Why an admin closed it with checks still failing. */
    closeOverride: text('close_override'),
    /**
     * Copies of the client's preparer and reviewer (clients.close_preparer_id, close_reviewer_id),
     * kept by triggers (migration 0045), so that the board filtered by one of them is an index scan.
     */
    preparerId: uuid('preparer_id'),
    reviewerId: uuid('reviewer_id'),
    /** Whether the client is connected (clients.status = 'active'): the board shows no other. A copy, as the two above. */
    clientActive: boolean('client_active').notNull().default(false),
    status: text('status')
      .notNull()
      .generatedAlwaysAs(
        sql`CASE WHEN closed_at IS NOT NULL THEN 'closed' WHEN missing = 0 AND to_code = 0 AND to_review = 0 AND not_exported = 0 THEN 'ready' WHEN progressed > 0 THEN 'in_progress' ELSE 'todo' END`,
      ),
  },
  (t) => [
    primaryKey({ columns: [t.clientId, t.month] }),
    foreignKey({ columns: [t.firmId, t.clientId], foreignColumns: [clients.firmId, clients.id] }).onDelete('cascade'),
    // The board: one index per sort, by status, by preparer and by reviewer (then status), each
    // ending by name and holding the connected clients' months only, so that a page is an index
    // scan that stops after its rows — one per status when all are shown (lib/close/board.ts).
    ...boardIndexes('client_months_status', t, [t.firmId, t.month, t.status], t.clientActive),
    ...boardIndexes('client_months_preparer', t, [t.firmId, t.month, t.preparerId, t.status], t.clientActive),
    ...boardIndexes('client_months_reviewer', t, [t.firmId, t.month, t.reviewerId, t.status], t.clientActive),
    // The rows whose dates are still to compute (a new client, a changed regime or rule).
    index('client_months_undated')
      .on(t.firmId, t.month)
      .where(sql`${t.closeOn} IS NULL`),
  ],
);

/**
 * An accountant's board: a copy of what the board sorts and filters by, of each month of each
 * client assigned to them (client_months × assignments), kept by triggers in the same transaction
 * as any change (migration 0045, db/README.md), so that their board is an index scan that stops
 * after its page however many clients the firm has. Never written by the application.
 */
export const assignedMonths = pgTable(
  'assigned_months',
  {
    userId: uuid('user_id').notNull(),
    clientId: uuid('client_id').notNull(),
    month: date('month', { mode: 'string' }).notNull(),
    sortName: text('sort_name').notNull(),
    status: text('status').notNull(),
    closeOn: date('close_on', { mode: 'string' }),
    missing: integer('missing').notNull(),
    toCode: integer('to_code').notNull(),
    vatAtRiskCents: bigint('vat_at_risk_cents', { mode: 'number' }).notNull(),
    preparerId: uuid('preparer_id'),
    reviewerId: uuid('reviewer_id'),
    clientActive: boolean('client_active').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clientId, t.month, t.userId] }),
    // A month's row only goes with its client, whose assignments go too: this key takes the copies.
    foreignKey({
      columns: [t.clientId, t.userId],
      foreignColumns: [assignments.clientId, assignments.userId],
    }).onDelete('cascade'),
    ...boardIndexes('assigned_months', t, [t.userId, t.month, t.status], t.clientActive),
  ],
);

/** The months a firm's board has opened: each of its clients has a client_months row for them. */
export const closePeriods = pgTable(
  'close_periods',
  {
    firmId: uuid('firm_id')
      .notNull()
      .references(() => firms.id, { onDelete: 'cascade' }),
    month: date('month', { mode: 'string' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.firmId, t.month] })],
);

/**
 * How an expense is coded: one line per VAT rate on its receipt (usually one). The amounts are
 * gross (TTC); VAT and net are computed from them (lib/bookkeeping/vat.ts).
 */
export const expenseLines = pgTable(
  'expense_lines',
  {
    expenseId: uuid('expense_id')
      .notNull()
      .references(() => expenses.id, { onDelete: 'cascade' }),
    lineNo: integer('line_no').notNull(),
    account: text('account').notNull(),
    vatRateBp: integer('vat_rate_bp').notNull(),
    grossCents: bigint('gross_cents', { mode: 'number' }).notNull(),
    deductiblePct: integer('deductible_pct').notNull(),
    analytic: text('analytic'),
  },
  (t) => [
    primaryKey({ columns: [t.expenseId, t.lineNo] }),
    check('expense_lines_vat_rate', sql`${t.vatRateBp} IN (0, 210, 550, 1000, 2000)`),
    check('expense_lines_deductible', sql`${t.deductiblePct} BETWEEN 0 AND 100`),
  ],
);

/**
 * The firm's default chart of accounts, started from the PCG (lib/bookkeeping/pcg.json) on first
 * use; each client's chart starts as a copy of it.
 */
export const firmChartAccounts = pgTable(
  'firm_chart_accounts',
  {
    firmId: uuid('firm_id')
      .notNull()
      .references(() => firms.id, { onDelete: 'cascade' }),
    number: text('number').notNull(),
    label: text('label').notNull(),
    defaultVatRateBp: integer('default_vat_rate_bp').notNull().default(2000),
    defaultDeductiblePct: integer('default_deductible_pct').notNull().default(100),
    active: boolean('active').notNull().default(true),
  },
  (t) => [primaryKey({ columns: [t.firmId, t.number] })],
);

/** A client's chart of accounts, a copy of the firm's defaults made on first use. */
export const chartAccounts = pgTable(
  'chart_accounts',
  {
    firmId: uuid('firm_id').notNull(),
    clientId: uuid('client_id').notNull(),
    number: text('number').notNull(),
    label: text('label').notNull(),
    // VAT rate and deductible share an expense coded to this account starts with.
    defaultVatRateBp: integer('default_vat_rate_bp').notNull().default(2000),
    defaultDeductiblePct: integer('default_deductible_pct').notNull().default(100),
    active: boolean('active').notNull().default(true),
  },
  (t) => [
    primaryKey({ columns: [t.clientId, t.number] }),
    foreignKey({ columns: [t.firmId, t.clientId], foreignColumns: [clients.firmId, clients.id] }).onDelete('cascade'),
  ],
);

export const exportPreset = pgEnum('export_preset', ['fec', 'quadra', 'ebp', 'sage50']);

/** How a client's entries are written: journal, VAT and counterpart accounts, file format. */
export const clientBooks = pgTable(
  'client_books',
  {
    clientId: uuid('client_id').primaryKey(),
    firmId: uuid('firm_id').notNull(),
    journalCode: text('journal_code').notNull().default('BQ'),
    journalLabel: text('journal_label').notNull().default('Banque carte'),
    vatAccount: text('vat_account').notNull().default('44566'),
    // The card's bank account (512…), or the suppliers' account (401) with an auxiliary account
    // per merchant when `supplierAuxiliary`.
    counterpartAccount: text('counterpart_account').notNull().default('512100'),
    supplierAuxiliary: boolean('supplier_auxiliary').notNull().default(false),
    preset: exportPreset('preset').notNull().default('fec'),
    lastPiece: integer('last_piece').notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ columns: [t.firmId, t.clientId], foreignColumns: [clients.firmId, clients.id] }).onDelete('cascade'),
  ],
);

/** « SNCF → 6251, 10 % »: for one client, or for every client of the firm (clientId null). */
export const codingRules = pgTable(
  'coding_rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    firmId: uuid('firm_id')
      .notNull()
      .references(() => firms.id, { onDelete: 'cascade' }),
    clientId: uuid('client_id').references(() => clients.id, { onDelete: 'cascade' }),
    // The merchant folded (pp_fold): « SNCF Connect » and « sncf connect » are one merchant.
    merchantKey: text('merchant_key').notNull(),
    merchant: text('merchant').notNull(),
    account: text('account').notNull(),
    vatRateBp: integer('vat_rate_bp').notNull(),
    deductiblePct: integer('deductible_pct').notNull(),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('coding_rules_key').on(
      t.firmId,
      sql`coalesce(${t.clientId}, '00000000-0000-0000-0000-000000000000'::uuid)`,
      t.merchantKey,
    ),
    check('coding_rules_vat_rate', sql`${t.vatRateBp} IN (0, 210, 550, 1000, 2000)`),
    check('coding_rules_deductible', sql`${t.deductiblePct} BETWEEN 0 AND 100`),
  ],
);

/**
 * What an export handed over, frozen when it was made: every download of it (CSV, FEC, preset,
 * receipts) reads these rows, so the same export always gives the same files, and « Annuler
 * l'export » reverses exactly what was sent. `position` is the entry's number (EcritureNum), in
 * date order. A `reversal` is the contre-passation of an entry of a cancelled export.
 */
export const exportEntries = pgTable(
  'export_entries',
  {
    exportId: uuid('export_id')
      .notNull()
      .references(() => expenseExports.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    reversal: boolean('reversal').notNull().default(false),
    expenseId: uuid('expense_id').notNull(),
    entryDate: date('entry_date', { mode: 'string' }).notNull(),
    spentOn: date('spent_on', { mode: 'string' }).notNull(),
    merchant: text('merchant').notNull(),
    amountCents: bigint('amount_cents', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    category: text('category'),
    receiptState: receiptState('receipt_state').notNull(),
    receiptFileId: uuid('receipt_file_id'),
    pieceRef: text('piece_ref').notNull(),
    // [{ account, vatRateBp, grossCents, deductiblePct, analytic }]; empty for an export made
    // before coding existed (its CSV still reads the rest).
    lines: jsonb('lines')
      .notNull()
      .default(sql`'[]'::jsonb`),
  },
  (t) => [primaryKey({ columns: [t.exportId, t.position] })],
);

/**
 * An expense the platform deleted: kept so that an upsert delivered late (an older version) does
 * not bring it back. A deleted expense stays deleted.
 */
export const expenseTombstones = pgTable('expense_tombstones', {
  platformId: text('platform_id').primaryKey(),
  // Null when the delete came before any upsert of it.
  clientId: uuid('client_id').references(() => clients.id, { onDelete: 'cascade' }),
  version: bigint('version', { mode: 'number' }).notNull(),
  deletedAt: timestamp('deleted_at', { withTimezone: true }).notNull().defaultNow(),
});

export const loginAttempts = pgTable(
  'login_attempts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    // The client's address (lib/auth/client-address.ts); '' for attempts recorded before it was kept.
    address: text('address').notNull().default(''),
    succeeded: boolean('succeeded').notNull(),
    attemptedAt: timestamp('attempted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('login_attempts_by_email').on(t.email, t.attemptedAt),
    index('login_attempts_by_address').on(t.address, t.attemptedAt),
  ],
);

export type Firm = typeof firms.$inferSelect;
export type User = typeof users.$inferSelect;
export type Client = typeof clients.$inferSelect;
export type Expense = typeof expenses.$inferSelect;
export type UserRole = (typeof userRole.enumValues)[number];
export type UserLocale = (typeof userLocale.enumValues)[number];
export type ClientStatus = (typeof clientStatus.enumValues)[number];
export type VerificationState = (typeof verificationState.enumValues)[number];
export type ReceiptState = (typeof receiptState.enumValues)[number];
export type ExportState = (typeof exportState.enumValues)[number];

// ── E-mail notifications ─────────────────────────────────────────────────────────────────────

export const digestFrequency = pgEnum('digest_frequency', ['daily', 'weekly', 'monthly']);
export const deliveryState = pgEnum('delivery_state', ['pending', 'sending', 'sent', 'skipped', 'failed']);

export const notificationSubscriptions = pgTable(
  'notification_subscriptions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    firmId: uuid('firm_id').notNull(),
    userId: uuid('user_id').notNull(),
    clientId: uuid('client_id').notNull(),
    enabled: boolean('enabled').notNull(),
    frequency: digestFrequency('frequency').notNull(),
    // The first slot this subscription may be sent in (the Monday 10:00 after it was switched on).
    firstSlotAt: timestamp('first_slot_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('subscriptions_user_client_key').on(t.userId, t.clientId),
    index('subscriptions_due')
      .on(t.frequency, t.firstSlotAt)
      .where(sql`${t.enabled}`),
    foreignKey({ columns: [t.firmId, t.clientId], foreignColumns: [clients.firmId, clients.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.firmId, t.userId], foreignColumns: [users.firmId, users.id] }).onDelete('cascade'),
  ],
);

/** One digest e-mail: at most one per user and Paris day. */
export const digestDeliveries = pgTable(
  'digest_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    firmId: uuid('firm_id').notNull(),
    userId: uuid('user_id').notNull(),
    // The recipient's calendar day, in their zone (Paris unless they or their firm chose another):
    // one digest per user and day whatever changes of hour or zone happen within it.
    parisDay: date('paris_day', { mode: 'string' }).notNull(),
    // The end of that day in their zone: a digest not sent by then is not sent a day late.
    dueUntil: timestamp('due_until', { withTimezone: true }).notNull(),
    state: deliveryState('state').notNull().default('pending'),
    // The provider's idempotency key covers a whole batch: a retry resends the same batch, same key.
    batchKey: text('batch_key'),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    providerMessageId: text('provider_message_id'),
    // The e-mail as first rendered: a retry must send the very same payload under the same key.
    toAddress: text('to_address'),
    subject: text('subject'),
    html: text('html'),
    text: text('text'),
    deliveryStatus: text('delivery_status'),
    deliveryStatusAt: timestamp('delivery_status_at', { withTimezone: true }),
    // The clients the stored e-mail shows: a resend checks them against who may still see what.
    clientIds: uuid('client_ids').array(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('digest_deliveries_user_day_key').on(t.userId, t.parisDay),
    index('digest_deliveries_work').on(t.parisDay, t.state, t.batchKey),
    foreignKey({ columns: [t.firmId, t.userId], foreignColumns: [users.firmId, users.id] }).onDelete('cascade'),
  ],
);

/** Which subscription's slot a digest carries: each slot is delivered once. */
export const digestDeliveryItems = pgTable(
  'digest_delivery_items',
  {
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => digestDeliveries.id, { onDelete: 'cascade' }),
    subscriptionId: uuid('subscription_id')
      .notNull()
      .references(() => notificationSubscriptions.id, { onDelete: 'cascade' }),
    clientId: uuid('client_id').notNull(),
    slotAt: timestamp('slot_at', { withTimezone: true }).notNull(),
    // The figures the e-mail showed, for the next digest's « depuis lundi ».
    missingReceipts: integer('missing_receipts'),
    readyToExport: integer('ready_to_export'),
    balanceCents: bigint('balance_cents', { mode: 'number' }),
  },
  (t) => [
    primaryKey({ columns: [t.deliveryId, t.subscriptionId] }),
    uniqueIndex('digest_items_slot_key').on(t.subscriptionId, t.slotAt),
  ],
);

/** E-mails kept instead of sent when no provider is configured (development, demos, tests). */
export const outboxEmails = pgTable(
  'outbox_emails',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // The firm the e-mail was sent for: /dev/outbox shows an admin only their firm's e-mails.
    firmId: uuid('firm_id'),
    idempotencyKey: text('idempotency_key'),
    fromAddress: text('from_address').notNull(),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    html: text('html').notNull(),
    text: text('text').notNull(),
    headers: text('headers').notNull().default('{}'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('outbox_idempotency_key').on(t.idempotencyKey, t.toAddress),
    index('outbox_by_date').on(t.createdAt),
    index('outbox_by_firm').on(t.firmId, t.createdAt),
  ],
);

export type DigestFrequency = (typeof digestFrequency.enumValues)[number];
export type NotificationSubscription = typeof notificationSubscriptions.$inferSelect;

// ── Reminders to the accountants of a client ─────────────────────────────────────────────────

export const reminderTask = pgEnum('reminder_task', ['missing_receipts', 'ready_to_export', 'balance']);
export const recipientState = pgEnum('recipient_state', ['pending', 'sent', 'failed']);

export const reminders = pgTable(
  'reminders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    firmId: uuid('firm_id').notNull(),
    clientId: uuid('client_id').notNull(),
    senderId: uuid('sender_id').notNull(),
    tasks: reminderTask('tasks').array().notNull(),
    comment: text('comment').notNull().default(''),
    // The figures as the e-mail showed them.
    missingReceipts: integer('missing_receipts').notNull(),
    readyToExport: integer('ready_to_export').notNull(),
    balanceCents: bigint('balance_cents', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    // Issued with the form: a double click or a resubmitted form sends once.
    formToken: uuid('form_token').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('reminders_form_token_key').on(t.formToken),
    index('reminders_by_client').on(t.firmId, t.clientId, t.createdAt),
    foreignKey({ columns: [t.firmId, t.clientId], foreignColumns: [clients.firmId, clients.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.firmId, t.senderId], foreignColumns: [users.firmId, users.id] }).onDelete('cascade'),
  ],
);

export const reminderRecipients = pgTable(
  'reminder_recipients',
  {
    reminderId: uuid('reminder_id')
      .notNull()
      .references(() => reminders.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    email: text('email').notNull(),
    state: recipientState('state').notNull().default('pending'),
    providerMessageId: text('provider_message_id'),
    lastError: text('last_error'),
    // What the provider reported after accepting it (lib/server/mail/delivery-events.ts).
    deliveryStatus: text('delivery_status'),
    deliveryStatusAt: timestamp('delivery_status_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.reminderId, t.userId] })],
);

export type ReminderTask = (typeof reminderTask.enumValues)[number];

// ── Exports of expenses ──────────────────────────────────────────────────────────────────────

export const expenseExports = pgTable(
  'expense_exports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    firmId: uuid('firm_id').notNull(),
    clientId: uuid('client_id').notNull(),
    createdBy: uuid('created_by').notNull(),
    expenseCount: integer('expense_count').notNull(),
    totalCents: bigint('total_cents', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    createdAt: createdAt(),
    // « Annuler l'export »: its expenses go back to work, and the client's next export carries
    // the reversal of its entries (reversedIn). The file already downloaded is never rewritten.
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    cancelledBy: uuid('cancelled_by'),
    reversedIn: uuid('reversed_in'),
    // The client's journal, VAT and counterpart accounts when it was made (the files read them).
    books: jsonb('books'),
  },
  (t) => [
    index('expense_exports_by_client').on(t.firmId, t.clientId, t.createdAt),
    foreignKey({ columns: [t.firmId, t.clientId], foreignColumns: [clients.firmId, clients.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.firmId, t.createdBy], foreignColumns: [users.firmId, users.id] }),
  ],
);

// ── Invitations, onboarding, team ────────────────────────────────────────────────────────────

/** What happened to a client: accepted, declined, invited, verified, assignments. */
export const clientEvents = pgTable(
  'client_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    firmId: uuid('firm_id').notNull(),
    clientId: uuid('client_id').notNull(),
    actorId: uuid('actor_id'),
    kind: text('kind').notNull(),
    detail: text('detail').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [
    index('client_events_by_client').on(t.firmId, t.clientId, t.createdAt),
    foreignKey({ columns: [t.firmId, t.clientId], foreignColumns: [clients.firmId, clients.id] }).onDelete('cascade'),
  ],
);

/** Platform webhook events already processed: each event id once. */
export const webhookEvents = pgTable('webhook_events', {
  id: text('id').primaryKey(),
  type: text('type').notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A colleague invited to the firm: a one-time link to choose a password. */
export const userInvitations = pgTable(
  'user_invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    firmId: uuid('firm_id')
      .notNull()
      .references(() => firms.id),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: userRole('role').notNull(),
    tokenHash: text('token_hash').notNull(),
    invitedBy: uuid('invited_by').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('user_invitations_token_key').on(t.tokenHash),
    // One open invitation per e-mail.
    uniqueIndex('user_invitations_open_email_key')
      .on(sql`lower(${t.email})`)
      .where(sql`${t.usedAt} IS NULL`),
  ],
);

// 'recipient': the person a receipt request was sent to (a card holder, the client's contact), by name.
export const activityActor = pgEnum('activity_actor', ['user', 'platform', 'system', 'recipient']);

export const accessRequestState = pgEnum('access_request_state', ['pending', 'granted', 'refused']);

/** « Demander l'accès »: an accountant asks for a client she is not assigned to; an admin decides. */
export const accessRequests = pgTable(
  'access_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    firmId: uuid('firm_id').notNull(),
    clientId: uuid('client_id').notNull(),
    userId: uuid('user_id').notNull(),
    reason: text('reason').notNull(),
    state: accessRequestState('state').notNull().default('pending'),
    // When the admins were e-mailed (null: not yet, or the e-mail failed; asking again sends it).
    notifiedAt: timestamp('notified_at', { withTimezone: true }),
    decidedBy: uuid('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    // The grant's end (null: without end), or the refusal's reason.
    grantedUntil: timestamp('granted_until', { withTimezone: true }),
    refusal: text('refusal'),
    createdAt: createdAt(),
  },
  (t) => [
    // One open request per person and client: asking again is the same request.
    uniqueIndex('access_requests_pending_key')
      .on(t.clientId, t.userId)
      .where(sql`${t.state} = 'pending'`),
    index('access_requests_by_firm').on(t.firmId, t.state, t.createdAt),
    index('access_requests_by_user').on(t.userId, t.createdAt),
    foreignKey({ columns: [t.firmId, t.clientId], foreignColumns: [clients.firmId, clients.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.firmId, t.userId], foreignColumns: [users.firmId, users.id] }).onDelete('cascade'),
  ],
);

/**
 * The firm's activity log ("Journal"): one row per thing done, written in the transaction of the
 * change it records. Append-only: a trigger refuses UPDATE, and DELETE outside pp_purge_activity()
 * (migration 0008). No foreign keys on purpose: history outlives the rows it names, whose names
 * it keeps as they were.
 */
export const activityLog = pgTable(
  'activity_log',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    // Null for a failed login on an address that is nobody's: no firm to show it to.
    firmId: uuid('firm_id'),
    actorKind: activityActor('actor_kind').notNull(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name').notNull().default(''),
    action: text('action').notNull(),
    clientId: uuid('client_id'),
    clientName: text('client_name'),
    details: jsonb('details').$type<Record<string, string | number | boolean | null>>().notNull().default({}),
  },
  (t) => [
    index('activity_by_firm').on(t.firmId, t.at, t.id),
    index('activity_by_client').on(t.firmId, t.clientId, t.at, t.id),
    index('activity_by_actor').on(t.firmId, t.actorId, t.at, t.id),
    index('activity_by_action').on(t.firmId, t.action, t.at, t.id),
    // The retention purge (cron) deletes by age across firms.
    index('activity_by_time').on(t.at),
  ],
);

/** Ten single-use codes per user with two-factor login, stored hashed. */
export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('recovery_codes_hash_key').on(t.userId, t.codeHash)],
);

/**
 * Between a right password and the second factor: no session, only this row (5 minutes, single
 * use), named by a signed cookie and bound to the user and to the password they had.
 */
export const loginChallenges = pgTable('login_challenges', {
  id: uuid('id').primaryKey().defaultRandom(),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  passwordFingerprint: text('password_fingerprint').notNull(),
  address: text('address').notNull().default(''),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  // Wrong codes typed on this challenge: it dies at 5 (lib/two-factor/limits.ts).
  failedCodes: integer('failed_codes').notNull().default(0),
  createdAt: createdAt(),
});

/** Each wrong second-factor code (login, « Régénérer les codes », « Désactiver »): 10 an hour at most. */
export const secondFactorFailures = pgTable(
  'second_factor_failures',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    context: text('context').$type<'login' | 'regenerate' | 'disable'>().notNull(),
    address: text('address').notNull().default(''),
    failedAt: timestamp('failed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('second_factor_failures_by_user').on(t.userId, t.failedAt)],
);

/** Delivery events from the provider's webhook, each applied once (by its id). */
export const emailEvents = pgTable('email_events', {
  id: text('id').primaryKey(),
  type: text('type').notNull(),
  messageId: text('message_id'),
  receivedAt: createdAt(),
});

/**
 * Addresses that bounced for good or complained: nothing is sent to them until an admin clears
 * the row (after fixing the address).
 */
export const emailSuppressions = pgTable('email_suppressions', {
  address: text('address').primaryKey(),
  reason: text('reason').notNull(),
  createdAt: createdAt(),
  clearedAt: timestamp('cleared_at', { withTimezone: true }),
  clearedBy: uuid('cleared_by'),
});

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * A file the app keeps (receipts), whichever driver holds its bytes: PostgreSQL (file_chunks) or
 * S3-compatible storage (the object named by the id). `complete` once every byte is stored: an
 * upload that failed halfway is removed, and one cut short by a crash is swept by the cron.
 */
export const storedFiles = pgTable('stored_files', {
  id: uuid('id').primaryKey().defaultRandom(),
  driver: text('driver').notNull(),
  contentType: text('content_type').notNull(),
  size: bigint('size', { mode: 'number' }).notNull().default(0),
  complete: boolean('complete').notNull().default(false),
  createdAt: createdAt(),
});

/** The PostgreSQL driver's bytes, in chunks of 256 KiB: written and read without holding a whole file. */
export const fileChunks = pgTable(
  'file_chunks',
  {
    fileId: uuid('file_id')
      .notNull()
      .references(() => storedFiles.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    data: bytea('data').notNull(),
  },
  (t) => [primaryKey({ columns: [t.fileId, t.seq] })],
);

/**
 * « Demander les reçus »: one request per recipient (the card holder, or the client's contact), for
 * those expenses only, valid 30 days. Its links are in receipt_request_links.
 */
export const receiptRequests = pgTable(
  'receipt_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    firmId: uuid('firm_id').notNull(),
    clientId: uuid('client_id').notNull(),
    requestedBy: uuid('requested_by').notNull(),
    recipientEmail: text('recipient_email').notNull(),
    recipientName: text('recipient_name'),
    message: text('message').notNull().default(''),
    // The Paris day it was sent: follow-ups go on D+3 and D+7.
    parisDay: date('paris_day', { mode: 'string' }).notNull(),
    // The client's follow-up days when it was sent: its cadence (clients.followup_days) then.
    followupDays: integer('followup_days')
      .array()
      .notNull()
      .default(sql`'{3,7}'::integer[]`),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    // Issued with the form: the same form sent twice makes one request per recipient.
    formToken: uuid('form_token').notNull(),
    providerMessageId: text('provider_message_id'),
    createdAt: createdAt(),
  },
  (t) => [
    // A form sends once per recipient and client (« Demander les reçus » from the Clients page asks
    // several clients' receipts of one person in one e-mail: one request per client).
    uniqueIndex('receipt_requests_form_key').on(t.formToken, t.recipientEmail, t.clientId),
    index('receipt_requests_by_client').on(t.firmId, t.clientId, t.createdAt),
    index('receipt_requests_open')
      .on(t.parisDay)
      .where(sql`cancelled_at IS NULL`),
    foreignKey({ columns: [t.firmId, t.clientId], foreignColumns: [clients.firmId, clients.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.firmId, t.requestedBy], foreignColumns: [users.firmId, users.id] }).onDelete('cascade'),
  ],
);

/**
 * A request's secret links: 32 random bytes each, only their SHA-256 kept. The first e-mail and
 * each follow-up carry their own; all open the same request until it is cancelled or expires.
 */
export const receiptRequestLinks = pgTable(
  'receipt_request_links',
  {
    tokenHash: text('token_hash').primaryKey(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => receiptRequests.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [index('receipt_request_links_by_request').on(t.requestId)],
);

export const expenseQuestion = pgEnum('expense_question', ['purpose', 'attendees', 'personal', 'other']);
export type ExpenseQuestion = (typeof expenseQuestion.enumValues)[number];

export const receiptRequestItems = pgTable(
  'receipt_request_items',
  {
    requestId: uuid('request_id')
      .notNull()
      .references(() => receiptRequests.id, { onDelete: 'cascade' }),
    expenseId: uuid('expense_id')
      .notNull()
      .references(() => expenses.id, { onDelete: 'cascade' }),
    /** The receipt is asked (false: only a question about an expense whose receipt is there). */
    wantsReceipt: boolean('wants_receipt').notNull().default(true),
    /** A question about the expense (« De quoi s'agit-il ? »…), its free text for 'other', and its answer. */
    question: expenseQuestion('question'),
    questionText: text('question_text'),
    answer: text('answer'),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.requestId, t.expenseId] }),
    check('receipt_request_items_asks_something', sql`${t.wantsReceipt} OR ${t.question} IS NOT NULL`),
    index('receipt_request_items_by_expense').on(t.expenseId),
  ],
);

/**
 * A Factur-X invoice read from an expense's receipt (lib/receipts/facturx.ts): its figures as the
 * embedded XML states them, and whether its VAT per rate was written into the expense's coding.
 */
export const expenseInvoices = pgTable('expense_invoices', {
  expenseId: uuid('expense_id')
    .primaryKey()
    .references(() => expenses.id, { onDelete: 'cascade' }),
  number: text('number').notNull(),
  typeCode: text('type_code').notNull(),
  issuedOn: date('issued_on', { mode: 'string' }).notNull(),
  sellerName: text('seller_name').notNull(),
  sellerSiren: text('seller_siren'),
  sellerVatNumber: text('seller_vat_number'),
  currency: text('currency').notNull(),
  netCents: bigint('net_cents', { mode: 'number' }).notNull(),
  vatCents: bigint('vat_cents', { mode: 'number' }).notNull(),
  totalCents: bigint('total_cents', { mode: 'number' }).notNull(),
  // [{ rateBp, basisCents, vatCents }], one per VAT rate (BG-23).
  vatLines: jsonb('vat_lines').notNull(),
  // 'applied': its VAT per rate is the expense's coding; otherwise why not (lib/receipts/invoices.ts).
  coding: text('coding').notNull(),
  readAt: createdAt(),
});

export const inboxKind = pgEnum('inbox_kind', ['receipt', 'no_receipt', 'answer']);
export type InboxKind = (typeof inboxKind.enumValues)[number];

/**
 * « Boîte de réception »: what came back through a request's link (a receipt, « pas de reçu » with
 * its reason, the answer to a question), one row each, written in the answer's transaction. Open
 * until someone of the firm marks it handled; the header counts the open ones a user may see, and
 * the digest names the clients they came for.
 */
export const inboxItems = pgTable(
  'inbox_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    firmId: uuid('firm_id').notNull(),
    clientId: uuid('client_id').notNull(),
    expenseId: uuid('expense_id')
      .notNull()
      .references(() => expenses.id, { onDelete: 'cascade' }),
    requestId: uuid('request_id')
      .notNull()
      .references(() => receiptRequests.id, { onDelete: 'cascade' }),
    kind: inboxKind('kind').notNull(),
    /** Who sent it: the request's recipient, by name or else by address. */
    sender: text('sender').notNull(),
    createdAt: createdAt(),
    handledAt: timestamp('handled_at', { withTimezone: true }),
    handledBy: uuid('handled_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    // An answer arrives once: a form sent again finds the expense answered and writes nothing.
    uniqueIndex('inbox_items_once').on(t.requestId, t.expenseId, t.kind),
    index('inbox_items_open')
      .on(t.firmId, t.createdAt)
      .where(sql`${t.handledAt} IS NULL`),
    index('inbox_items_by_firm').on(t.firmId, t.createdAt),
    // The digest names the clients things came back for since the previous one.
    index('inbox_items_by_client').on(t.clientId, t.createdAt),
    foreignKey({ columns: [t.firmId, t.clientId], foreignColumns: [clients.firmId, clients.id] }).onDelete('cascade'),
  ],
);

/** The D+3 (step 1) and D+7 (step 2) follow-ups: one row each, claimed once, sent once. */
export const receiptFollowups = pgTable(
  'receipt_followups',
  {
    requestId: uuid('request_id')
      .notNull()
      .references(() => receiptRequests.id, { onDelete: 'cascade' }),
    step: integer('step').notNull(),
    // The provider's idempotency key of the call that carries it: a resend after a crash reuses it.
    batchKey: text('batch_key'),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
  },
  (t) => [primaryKey({ columns: [t.requestId, t.step] })],
);

export const inboundState = pgEnum('inbound_state', ['attached', 'suggested', 'unmatched', 'held', 'dismissed']);
export type InboundState = (typeof inboundState.enumValues)[number];

/**
 * A document that arrived at a client's receipt address (Resend's `email.received`), one per
 * attachment, once: `attached` to the expense it matched by itself, `suggested` one to confirm,
 * `unmatched`, `held` (a sender the client does not know: never attached by itself), or `dismissed`.
 */
export const inboundDocuments = pgTable(
  'inbound_documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    firmId: uuid('firm_id').notNull(),
    clientId: uuid('client_id').notNull(),
    emailId: text('email_id').notNull(),
    attachmentId: text('attachment_id').notNull(),
    sender: text('sender').notNull(),
    /** The sender's name when the client knows the address (its contact or a card holder). */
    senderName: text('sender_name'),
    subject: text('subject').notNull(),
    filename: text('filename').notNull(),
    fileId: uuid('file_id')
      .notNull()
      .references(() => storedFiles.id),
    state: inboundState('state').notNull(),
    expenseId: uuid('expense_id').references(() => expenses.id, { onDelete: 'set null' }),
    /** What was read: { amounts, date, exact, invoice } (lib/receipts/match.ts). */
    evidence: jsonb('evidence').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    handledAt: timestamp('handled_at', { withTimezone: true }),
    handledBy: uuid('handled_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('inbound_documents_once').on(t.emailId, t.attachmentId),
    // The digest counts what arrived for each client since the previous one.
    index('inbound_documents_by_client').on(t.clientId, t.createdAt),
    index('inbound_documents_open')
      .on(t.firmId, t.receivedAt)
      .where(sql`${t.state} IN ('suggested', 'unmatched', 'held')`),
    foreignKey({ columns: [t.firmId, t.clientId], foreignColumns: [clients.firmId, clients.id] }).onDelete('cascade'),
  ],
);
