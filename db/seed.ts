import { sql } from 'drizzle-orm';
import { queryRows, sqlArray, type Db, type Tx, timestamptz } from './index';
import {
  assignments,
  clients,
  codingRules,
  expenseLines,
  expenses,
  firms,
  notificationSubscriptions,
  users,
} from './schema';
import type { ClientStatus, ExportState, ReceiptState, UserRole, VerificationState } from './schema';
import { hashPassword } from '@/lib/auth/password';
import { slugify } from '@/lib/server/slugify';
import { hashRequestToken } from '@/lib/receipts/tokens';
import { encryptSecret } from '@/lib/two-factor/crypto';
import { ensureBooks } from '@/lib/bookkeeping/books';
import { suggestCodings } from '@/lib/bookkeeping/rules';

export const DEMO_PASSWORD = 'demo-password';
export const DEMO_ADMIN = 'admin@cabinet-demo.fr';
/** The TOTP key of the second demo firm's admin (README): any authenticator app computes its codes. */
export const DEMO_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
/** The demo receipt request's link (README): /recus/<this>, opened without a login. */
export const DEMO_RECEIPT_TOKEN = 'demo-recus-boucherie-lefevre-fils-000000000';
/** A 1×1 PNG: the receipt the demo request already received. */
const DEMO_RECEIPT_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGN49uwZAAVoArMCxcTLAAAAAElFTkSuQmCC';

type ClientSeed = {
  name: string;
  status: ClientStatus;
  verification?: VerificationState;
  balance: number; // cents
  expenses: number;
  team: string[]; // keys of the firm's users
  /** The demo's open receipt request, sent by this user (key). */
  receiptRequestBy?: string;
};

// A small deterministic generator: the demo looks the same on every machine.
function generator(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const MERCHANTS = [
  'SNCF Connect',
  'Air France',
  'Total Énergies',
  'Monoprix',
  'Fnac Pro',
  'Bureau Vallée',
  "Hôtel de l'Europe",
  'Uber',
  'La Poste',
  'Orange Business',
  'OVHcloud',
  'Brasserie Lipp',
  'Leroy Merlin',
  'Amazon Business',
  'Indy Parking',
  'Café de Flore',
];
const CATEGORIES = ['Déplacements', 'Repas', 'Fournitures', 'Logiciels', 'Télécoms', 'Hébergement', null];
/** How the demo's accountants coded each category (account, VAT rate in basis points). */
const CODING: Record<string, [string, number]> = {
  Déplacements: ['6251', 1000],
  Repas: ['6256', 1000],
  Fournitures: ['6064', 2000],
  Logiciels: ['651', 2000],
  Télécoms: ['626', 2000],
  Hébergement: ['6256', 1000],
};
/** The client whose month is left to code in the demo, with its chart and two rules. */
export const DEMO_CODING_CLIENT = 'Éditions du Pélican';

const DEMO_CLIENTS: ClientSeed[] = [
  { name: 'Société Générale de Boulangerie', status: 'active', balance: 1_254_380, expenses: 24, team: ['lea'] },
  { name: "L'Atelier du Meuble", status: 'active', balance: 87_215, expenses: 12, team: ['lea', 'hugo'] },
  { name: 'Château Saint-Émilion Vignobles', status: 'active', balance: 45_812_090, expenses: 30, team: ['hugo'] },
  {
    name: 'Boucherie Lefèvre & Fils',
    status: 'active',
    balance: -12_530,
    expenses: 9,
    team: ['lea'],
    receiptRequestBy: 'lea',
  },
  { name: 'Crème & Chocolat', status: 'active', balance: 320_000, expenses: 15, team: ['hugo'] },
  { name: 'Garage Peugeot-Dupont', status: 'active', balance: 0, expenses: 0, team: ['lea'] },
  { name: 'Éditions du Pélican', status: 'active', balance: 1_998_745, expenses: 18, team: ['admin', 'lea'] },
  { name: "Aux Délices d'Ève", status: 'active', balance: 15_050, expenses: 7, team: ['hugo'] },
  { name: 'Cabinet Médical Saint-Luc', status: 'active', balance: 678_900, expenses: 11, team: [] },
  { name: 'Œnologie Bordelaise SARL', status: 'active', balance: 2_345_600, expenses: 22, team: ['lea'] },
  { name: 'Transports Müller-Gérard', status: 'active', balance: -450_075, expenses: 27, team: ['hugo', 'lea'] },
  { name: 'Pâtisserie Ladurée Lyon', status: 'active', balance: 99_999, expenses: 14, team: ['hugo'] },
  { name: 'Hôtel Les Acacias', status: 'active', balance: 1_210_050, expenses: 20, team: ['admin'] },
  { name: 'Agence Créa’Com', status: 'active', balance: 56_000, expenses: 10, team: ['lea'] },
  { name: 'Ferme Bio du Vercors', status: 'active', balance: 8_750, expenses: 6, team: [] },
  { name: 'Librairie Gallimard-Rive Gauche', status: 'active', balance: 430_120, expenses: 16, team: ['hugo'] },
  { name: 'Menuiserie Ébène', status: 'active', balance: 72_300, expenses: 8, team: ['lea'] },
  { name: 'Pharmacie de la Gare', status: 'active', balance: 3_456_780, expenses: 25, team: ['hugo'] },
  { name: 'Studio Danse & Forme', status: 'active', balance: 23_410, expenses: 5, team: ['lea'] },
  { name: 'Imprimerie Nationale Sud', status: 'active', balance: 910_000, expenses: 19, team: ['admin', 'hugo'] },
  { name: "Restaurant L'Ô à la Bouche", status: 'active', balance: -3_250, expenses: 13, team: ['lea'] },
  { name: 'Conseil Ingénierie Bâtiment', status: 'active', balance: 15_600_000, expenses: 28, team: ['hugo'] },
  { name: 'Fromagerie Comté-Jura', status: 'active', balance: 184_500, expenses: 9, team: [] },
  { name: 'Zéphyr Informatique', status: 'active', balance: 512_340, expenses: 17, team: ['lea'] },
  { name: 'Architectes Associés Bérard', status: 'active', balance: 1_020_000, expenses: 12, team: ['hugo'] },
  { name: 'Épicerie Fine Côté Sud', status: 'active', balance: 41_275, expenses: 4, team: ['lea'] },
  { name: 'Clinique Vétérinaire des Alpes', status: 'active', balance: 287_640, expenses: 15, team: [] },
  { name: 'Maison Dubois Couverture', status: 'active', balance: 65_430, expenses: 9, team: ['hugo'] },
  { name: 'Start-up Néolithe', status: 'active', balance: 7_800_000, expenses: 21, team: ['lea', 'hugo'] },
  { name: 'Brasserie du Vieux-Port', status: 'invitation', balance: 152_300, expenses: 6, team: [] },
  { name: 'Cave à Vins Sélection', status: 'invitation', balance: 48_900, expenses: 3, team: [] },
  { name: 'Auto-École Étoile', status: 'invitation', balance: 12_000, expenses: 2, team: [] },
  {
    name: 'Coiffure Belle Époque',
    status: 'onboarding',
    verification: 'company_info',
    balance: 0,
    expenses: 0,
    team: [],
  },
  {
    name: 'Plomberie Rénov’Express',
    status: 'onboarding',
    verification: 'directors',
    balance: 0,
    expenses: 0,
    team: ['lea'],
  },
  {
    name: 'Galerie d’Art Montmartre',
    status: 'onboarding',
    verification: 'in_review',
    balance: 0,
    expenses: 0,
    team: [],
  },
  {
    name: 'Domaine des Trois Chênes',
    status: 'onboarding',
    verification: 'in_review',
    balance: 0,
    expenses: 0,
    team: ['admin'],
  },
  { name: 'Salon de Thé Marie-Antoinette', status: 'declined', balance: 0, expenses: 0, team: [] },
  { name: 'Bâtiment Général Provence', status: 'active', balance: 2_200_450, expenses: 23, team: ['hugo'] },
  { name: 'Laboratoire Pasteur-Méditerranée', status: 'active', balance: 980_760, expenses: 16, team: ['lea'] },
  { name: 'Yachting Côte d’Azur', status: 'active', balance: 33_000_000, expenses: 10, team: ['admin', 'lea'] },
];

type FirmSeed = {
  name: string;
  users: { key: string; email: string; name: string; role: UserRole; active?: boolean; totp?: boolean }[];
  clients: ClientSeed[];
  /** Who receives a digest of each active client they are assigned to, and how often. */
  digests?: Record<string, 'daily' | 'weekly' | 'monthly'>;
  /** « Demander l'accès » switched on. */
  accessRequests?: boolean;
};

// The demo's digests may be sent for any slot from this day on (the README's example sends them).
const DEMO_DIGESTS_FROM = new Date('2026-01-05T09:00:00Z');

const DEMO_FIRMS: FirmSeed[] = [
  {
    name: 'Cabinet Démo',
    accessRequests: true,
    users: [
      { key: 'admin', email: DEMO_ADMIN, name: 'Claire Dubois', role: 'admin' },
      { key: 'lea', email: 'lea.martin@cabinet-demo.fr', name: 'Léa Martin', role: 'accountant' },
      { key: 'hugo', email: 'hugo.bernard@cabinet-demo.fr', name: 'Hugo Bernard', role: 'accountant' },
      { key: 'ancien', email: 'paul.ancien@cabinet-demo.fr', name: 'Paul Ancien', role: 'accountant', active: false },
    ],
    clients: DEMO_CLIENTS,
    digests: { lea: 'daily', admin: 'weekly' },
  },
  {
    name: 'Fiduciaire Lumière',
    users: [
      { key: 'admin', email: 'admin@fiduciaire-lumiere.fr', name: 'Sophie Lumière', role: 'admin', totp: true },
      { key: 'marc', email: 'marc.petit@fiduciaire-lumiere.fr', name: 'Marc Petit', role: 'accountant' },
    ],
    clients: [
      { name: 'Société Lumière Optique', status: 'active', balance: 410_000, expenses: 8, team: ['marc'] },
      { name: 'Boulangerie Lumière', status: 'active', balance: 23_000, expenses: 5, team: ['marc'] },
      { name: 'Atelier Vitrail Chartres', status: 'active', balance: 99_000, expenses: 6, team: [] },
      { name: 'Brasserie Lumière', status: 'invitation', balance: 0, expenses: 0, team: [] },
      {
        name: 'Lumière Conseil',
        status: 'onboarding',
        verification: 'company_info',
        balance: 0,
        expenses: 0,
        team: ['marc'],
      },
    ],
  },
];

const RECEIPTS: ReceiptState[] = ['missing', 'attached', 'attached', 'not_required'];
const EXPORTS: ExportState[] = ['not_ready', 'ready', 'ready', 'exported'];

async function seedFirm(db: Db, firm: FirmSeed, passwordHash: string): Promise<string> {
  const random = generator(firm.name.length * 7919);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(firms)
      .values({ name: firm.name, accessRequests: firm.accessRequests ?? false })
      .returning({ id: firms.id });
    const firmId = row!.id;
    const userIds = new Map<string, string>();
    for (const user of firm.users) {
      const [created] = await tx
        .insert(users)
        .values({
          firmId,
          email: user.email,
          name: user.name,
          role: user.role,
          passwordHash,
          active: user.active ?? true,
          // Two-factor login on, with the secret the README gives, to try the flow.
          ...(user.totp ? { totpSecret: encryptSecret(DEMO_TOTP_SECRET), totpEnabledAt: new Date() } : {}),
        })
        .returning({ id: users.id });
      userIds.set(user.key, created!.id);
    }
    const today = new Date();
    for (const client of firm.clients) {
      const [created] = await tx
        .insert(clients)
        .values({
          firmId,
          name: client.name,
          status: client.status,
          verificationState: client.verification ?? null,
          contactEmail: `contact@${slugify(client.name)}.fr`,
          contactName: 'Service comptabilité',
          balanceCents: client.balance,
        })
        .returning({ id: clients.id });
      const clientId = created!.id;
      if (client.team.length > 0) {
        await tx
          .insert(assignments)
          .values(client.team.map((key) => ({ firmId, clientId, userId: userIds.get(key)! })));
      }
      const subscribed = client.status === 'active' ? client.team.filter((key) => firm.digests?.[key]) : [];
      if (subscribed.length > 0) {
        await tx.insert(notificationSubscriptions).values(
          subscribed.map((key) => ({
            firmId,
            clientId,
            userId: userIds.get(key)!,
            enabled: true,
            frequency: firm.digests![key]!,
            firstSlotAt: DEMO_DIGESTS_FROM,
          })),
        );
      }
      // Two card holders per client, named by the platform on two expenses in three.
      const slug = slugify(client.name);
      const holders = [
        null,
        { name: 'Camille Durand', email: `camille.durand@${slug}.fr` },
        { name: 'Thomas Leroy', email: `thomas.leroy@${slug}.fr` },
      ];
      if (client.expenses > 0) {
        // What the platform said (ready, exported) is what the accountants did: those expenses are
        // coded and reviewed, with the line their category goes to.
        const created = await tx
          .insert(expenses)
          .values(
            Array.from({ length: client.expenses }, (_, i) => {
              const daysAgo = Math.floor(random() * 120);
              const day = new Date(today.getTime() - daysAgo * 86_400_000).toISOString().slice(0, 10);
              const exportState = EXPORTS[Math.floor(random() * EXPORTS.length)]!;
              const done = exportState !== 'not_ready';
              return {
                clientId,
                amountCents: Math.floor(random() * 250_000) + 150,
                merchant: MERCHANTS[Math.floor(random() * MERCHANTS.length)]!,
                category: CATEGORIES[Math.floor(random() * CATEGORIES.length)] ?? null,
                spentOn: day,
                receiptState: RECEIPTS[Math.floor(random() * RECEIPTS.length)]!,
                exportState,
                platformReady: done,
                codingState: done ? ('reviewed' as const) : ('to_code' as const),
                cardHolderName: holders[i % 3]?.name ?? null,
                cardHolderEmail: holders[i % 3]?.email ?? null,
              };
            }),
          )
          .returning({
            id: expenses.id,
            amountCents: expenses.amountCents,
            category: expenses.category,
            codingState: expenses.codingState,
          });
        const coded = created.filter((e) => e.codingState === 'reviewed');
        if (coded.length > 0)
          await tx.insert(expenseLines).values(
            coded.map((e) => {
              const [account, vatRateBp] = CODING[e.category ?? ''] ?? ['606', 2000];
              return { expenseId: e.id, lineNo: 1, account, vatRateBp, grossCents: e.amountCents, deductiblePct: 100 };
            }),
          );
        // As the coding does: the lines, then the expense (its deductible VAT follows, pp_expense_vat).
        if (coded.length > 0)
          await tx.execute(
            sql`UPDATE expenses SET coding_state = coding_state WHERE id = ANY(${sqlArray(
              coded.map((e) => e.id),
              'uuid',
            )})`,
          );
      }
      if (client.name === DEMO_CODING_CLIENT) await seedMonthToCode(tx, { firmId, clientId, slug });
      if (client.receiptRequestBy)
        await seedReceiptRequest(tx, { firmId, clientId, requestedBy: userIds.get(client.receiptRequestBy)!, slug });
    }
    await spreadCloseSettings(tx, firmId);
    // A firm-wide group, « Grands comptes »: the clients with the largest balances.
    await tx.execute(sql`
      WITH g AS (INSERT INTO client_groups (firm_id, name) VALUES (${firmId}, 'Grands comptes') RETURNING id)
      INSERT INTO client_group_members (group_id, firm_id, client_id)
      SELECT g.id, ${firmId}::uuid, c.id FROM g,
        (SELECT id FROM clients WHERE firm_id = ${firmId} AND status = 'active' ORDER BY balance_cents DESC LIMIT 4) c`);
    return firmId;
  });
}

/**
 * A month of card spend left to code for one client, for `npm run dev`: its chart of accounts (the
 * PCG's), two rules (SNCF Connect → 6251 at 10 %, Bureau Vallée → 6064 at 20 %) that suggest the
 * coding of their merchants' expenses, and 24 expenses of the last 30 days still « à coder ».
 */
async function seedMonthToCode(tx: Tx, demo: { firmId: string; clientId: string; slug: string }) {
  await ensureBooks({ id: demo.clientId, firmId: demo.firmId }, tx);
  await tx.insert(codingRules).values([
    {
      firmId: demo.firmId,
      clientId: demo.clientId,
      merchantKey: sql`pp_fold('SNCF Connect')`,
      merchant: 'SNCF Connect',
      account: '6251',
      vatRateBp: 1000,
      deductiblePct: 100,
    },
    {
      firmId: demo.firmId,
      clientId: demo.clientId,
      merchantKey: sql`pp_fold('Bureau Vallée')`,
      merchant: 'Bureau Vallée',
      account: '6064',
      vatRateBp: 2000,
      deductiblePct: 100,
    },
  ]);
  const merchants = [
    'SNCF Connect',
    'Bureau Vallée',
    'Air France',
    'Total Énergies',
    'OVHcloud',
    'Brasserie Lipp',
    'La Poste',
    'Orange Business',
  ];
  const created = await tx
    .insert(expenses)
    .values(
      Array.from({ length: 24 }, (_, i) => ({
        clientId: demo.clientId,
        amountCents: 1_250 + ((i * 7_919) % 48_000),
        merchant: merchants[i % merchants.length]!,
        category: null,
        spentOn: new Date(Date.now() - (29 - i) * 86_400_000).toISOString().slice(0, 10),
        receiptState: i % 7 === 3 ? ('missing' as const) : ('attached' as const),
        exportState: 'not_ready' as const,
        platformReady: true,
        cardHolderName: 'Camille Durand',
        cardHolderEmail: `camille.durand@${demo.slug}.fr`,
      })),
    )
    .returning({ id: expenses.id });
  await suggestCodings(
    tx,
    created.map((e) => e.id),
  );
}

/**
 * The whole story of a receipt request, for `npm run dev`: sent four days ago to a card holder for
 * three expenses, one receipt already received, the D+3 follow-up sent yesterday. Its link is
 * /recus/DEMO_RECEIPT_TOKEN.
 */
async function seedReceiptRequest(
  tx: Tx,
  demo: { firmId: string; clientId: string; requestedBy: string; slug: string },
) {
  const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000);
  const holder = { name: 'Camille Lefèvre', email: `camille.lefevre@${demo.slug}.fr` };
  const created = await tx
    .insert(expenses)
    .values(
      [
        { merchant: 'Metro Cash & Carry', amountCents: 48_650, daysAgo: 20 },
        { merchant: 'Transgourmet', amountCents: 123_490, daysAgo: 14 },
        { merchant: 'Total Énergies', amountCents: 8_940, daysAgo: 10 },
      ].map((e) => ({
        clientId: demo.clientId,
        merchant: e.merchant,
        amountCents: e.amountCents,
        category: 'Fournitures',
        spentOn: day(e.daysAgo).toISOString().slice(0, 10),
        receiptState: 'missing' as const,
        exportState: 'not_ready' as const,
        cardHolderName: holder.name,
        cardHolderEmail: holder.email,
      })),
    )
    .returning({ id: expenses.id });
  const sent = day(4);
  const [request] = await queryRows<{ id: string }>(
    sql`INSERT INTO receipt_requests (firm_id, client_id, requested_by, recipient_email, recipient_name, message,
          paris_day, expires_at, form_token, provider_message_id, created_at)
        VALUES (${demo.firmId}, ${demo.clientId}, ${demo.requestedBy}, ${holder.email}, ${holder.name},
          'Merci de nous envoyer ces reçus avant la clôture du mois.',
          (${timestamptz(sent)} AT TIME ZONE 'Europe/Paris')::date,
          ${timestamptz(new Date(sent.getTime() + 30 * 86_400_000))}, gen_random_uuid(), 'seed',
          ${timestamptz(sent)})
        RETURNING id`,
    tx,
  );
  await tx.execute(sql`INSERT INTO receipt_request_links (token_hash, request_id)
                       VALUES (${hashRequestToken(DEMO_RECEIPT_TOKEN)}, ${request!.id})`);
  for (const { id } of created)
    await tx.execute(sql`INSERT INTO receipt_request_items (request_id, expense_id) VALUES (${request!.id}, ${id})`);
  const png = Buffer.from(DEMO_RECEIPT_PNG, 'base64');
  const [file] = await queryRows<{ id: string }>(
    sql`INSERT INTO stored_files (driver, content_type, size, complete) VALUES ('postgres', 'image/png', ${png.length}, true)
        RETURNING id`,
    tx,
  );
  await tx.execute(sql`INSERT INTO file_chunks (file_id, seq, data) VALUES (${file!.id}, 0, ${png})`);
  await tx.execute(sql`UPDATE expenses SET receipt_state = 'attached', receipt_file_id = ${file!.id},
                         receipt_answered_at = ${timestamptz(day(2))}
                       WHERE id = ${created[0]!.id}`);
  await tx.execute(sql`INSERT INTO receipt_followups (request_id, step, batch_key, sent_at, attempts)
                       VALUES (${request!.id}, 1, 'seed', ${timestamptz(day(1))}, 1)`);
  // This morning Camille forwarded a photo to the client's receipt address, the amount in the
  // subject only: the portal suggests the Total Énergies expense, for Léa to confirm in her inbox.
  const [photo] = await queryRows<{ id: string }>(
    sql`INSERT INTO stored_files (driver, content_type, size, complete) VALUES ('postgres', 'image/png', ${png.length}, true)
        RETURNING id`,
    tx,
  );
  await tx.execute(sql`INSERT INTO file_chunks (file_id, seq, data) VALUES (${photo!.id}, 0, ${png})`);
  await tx.execute(sql`
    INSERT INTO inbound_documents (firm_id, client_id, email_id, attachment_id, sender, sender_name, subject, filename,
      file_id, state, expense_id, evidence, received_at)
    VALUES (${demo.firmId}, ${demo.clientId}, ${`seed-${demo.clientId}`}, 'seed-attachment', ${holder.email}, ${holder.name},
      'Fwd: 89,40 €', 'IMG_2041.png', ${photo!.id}, 'suggested', ${created[2]!.id},
      '{"amounts": [{"cents": 8940, "currency": "EUR"}], "date": null, "exact": false, "invoice": null}'::jsonb,
      ${timestamptz(new Date(Date.now() - 3 * 3_600_000))})`);
}

/**
 * « La clôture du mois »: every VAT regime among a firm's clients, on days from the 15th to the
 * 24th; each connected client prepared by its first accountant and reviewed by the admin.
 */
async function spreadCloseSettings(tx: Tx, firmId: string) {
  await tx.execute(sql`
    UPDATE clients c SET
      vat_regime = (ARRAY['mensuel', 'mensuel', 'trimestriel', 'simplifie', 'franchise'])[1 + x.n % 5]::vat_regime,
      vat_due_day = 15 + x.n % 10,
      close_preparer_id = (SELECT a.user_id FROM assignments a JOIN users u ON u.id = a.user_id
                           WHERE a.client_id = c.id AND u.role = 'accountant' ORDER BY u.name LIMIT 1),
      close_reviewer_id = (SELECT u.id FROM users u WHERE u.firm_id = c.firm_id AND u.role = 'admin'
                           ORDER BY u.name LIMIT 1)
    FROM (SELECT id, (row_number() OVER (ORDER BY name))::int AS n FROM clients WHERE firm_id = ${firmId}) x
    WHERE c.id = x.id AND c.status = 'active'`);
}

export async function isEmpty(db: Db): Promise<boolean> {
  const [row] = await queryRows<{ n: number }>(sql`SELECT count(*)::int AS n FROM firms`, db);
  return (row?.n ?? 0) === 0;
}

/**
 * The demo firms. `digests: false` leaves out the demo's digest subscriptions: the browser tests
 * walk the article's steps from a firm where nobody has subscribed yet.
 */
export async function seedDemo(db: Db, options: { digests?: boolean } = {}): Promise<void> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const firm of DEMO_FIRMS)
    await seedFirm(db, options.digests === false ? { ...firm, digests: undefined } : firm, passwordHash);
}

export type ScaleOptions = { firmName: string; adminEmail: string; clients: number; expensesPerClient: number };

/**
 * A large firm built with set-based SQL: 10,000 clients and 1,000,000 expenses take seconds,
 * not the hours a row-at-a-time loop would.
 */
export async function seedScale(db: Db, options: ScaleOptions): Promise<string> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const domain = options.adminEmail.split('@')[1]!;
  const accountants = Math.max(2, Math.ceil(options.clients / 500));
  return db.transaction(async (tx) => {
    const [firm] = await tx.insert(firms).values({ name: options.firmName }).returning({ id: firms.id });
    const firmId = firm!.id;
    await tx
      .insert(users)
      .values({ firmId, email: options.adminEmail, name: 'Admin Échelle', role: 'admin', passwordHash });
    await tx.execute(sql`
      INSERT INTO users (firm_id, email, name, role, password_hash)
      SELECT ${firmId}::uuid, 'comptable' || i || '@' || ${domain}, 'Comptable ' || i, 'accountant', ${passwordHash}
      FROM generate_series(1, ${accountants}::int) AS i`);
    // 2 % invitations, 3 % onboarding, the rest connected.
    await tx.execute(sql`
      INSERT INTO clients (firm_id, name, status, verification_state, contact_email, balance_cents)
      SELECT ${firmId}::uuid,
        (ARRAY['Boulangerie','Garage','Société','Atelier','Hôtel','Café','Pharmacie','Librairie','Menuiserie','Éditions'])[1 + i % 10]
          || ' ' || (ARRAY['Dupont','Lefèvre','Martin','Bérénice','Château','Saint-Éloi','Œillet','Müller','Ébène','Zéphyr','Garnier'])[1 + (i / 10) % 11]
          || ' ' || i,
        (CASE WHEN i % 50 = 0 THEN 'invitation' WHEN i % 50 IN (1, 2, 3) THEN 'onboarding' ELSE 'active' END)::client_status,
        (CASE WHEN i % 50 IN (1, 2, 3) THEN (ARRAY['company_info','directors','in_review'])[i % 50] END)::verification_state,
        'contact' || i || '@client.example.fr',
        ((i * 7919) % 10000000) - 500000
      FROM generate_series(1, ${options.clients}::int) AS i`);
    // Each client goes to one accountant, a tenth of them to a second one too.
    await tx.execute(sql`
      WITH c AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM clients WHERE firm_id = ${firmId}),
           u AS (SELECT id, row_number() OVER (ORDER BY email) AS n FROM users WHERE firm_id = ${firmId} AND role = 'accountant')
      INSERT INTO assignments (firm_id, client_id, user_id)
      SELECT ${firmId}::uuid, c.id, u.id FROM c JOIN u ON u.n = 1 + c.n % ${accountants}
      UNION ALL
      SELECT ${firmId}::uuid, c.id, u.id FROM c JOIN u ON u.n = 1 + (c.n + 1) % ${accountants} WHERE c.n % 10 = 0 AND ${accountants} > 1`);
    await tx.execute(sql`
      INSERT INTO expenses (client_id, amount_cents, merchant, spent_on, receipt_state, export_state, platform_ready, coding_state)
      SELECT c.id,
        100 + (e * 7907 + c.n * 31) % 250000,
        (ARRAY['SNCF Connect','Air France','Total Énergies','Monoprix','Fnac Pro','Uber','La Poste','OVHcloud'])[1 + e % 8],
        DATE '2026-01-01' + ((e + c.n) % 300)::int,
        -- Per-client rates, so that the counters differ from one client to the next.
        (CASE WHEN (e + c.n) % (2 + c.n % 9) = 0 THEN 'missing'
              WHEN e % 5 = 0 THEN 'not_required' ELSE 'attached' END)::receipt_state,
        (CASE WHEN (e * 3 + c.n) % (3 + c.n % 7) = 0 THEN 'ready'
              WHEN e % 2 = 0 THEN 'exported' ELSE 'not_ready' END)::export_state,
        -- Ready and exported ones were reviewed: the same counters as before coding existed.
        (e * 3 + c.n) % (3 + c.n % 7) = 0 OR e % 2 = 0,
        (CASE WHEN (e * 3 + c.n) % (3 + c.n % 7) = 0 OR e % 2 = 0 THEN 'reviewed' ELSE 'to_code' END)::coding_state
      FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM clients WHERE firm_id = ${firmId} AND status <> 'onboarding') c
      CROSS JOIN generate_series(1, ${options.expensesPerClient}::int) AS e`);
    await spreadCloseSettings(tx, firmId);
    return firmId;
  });
}
