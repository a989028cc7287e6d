import { db } from '@/db';
import { assignments, clients, expenseLines, expenses, firms, users } from '@/db/schema';
import type { ClientStatus, ExportState, ReceiptState, UserLocale, UserRole, VerificationState } from '@/db/schema';
import { hashPassword } from '@/lib/auth/password';

export const TEST_PASSWORD = 'mot-de-passe-de-test';
let passwordHash: Promise<string> | undefined;
let sequence = 0;

function next(): number {
  sequence += 1;
  return sequence;
}

export async function createFirm(name = `Cabinet ${next()}`) {
  const [firm] = await db.insert(firms).values({ name }).returning();
  return firm!;
}

export async function createUser(
  firmId: string,
  options: { role?: UserRole; name?: string; email?: string; active?: boolean; locale?: UserLocale } = {},
) {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const n = next();
  const [user] = await db
    .insert(users)
    .values({
      firmId,
      role: options.role ?? 'accountant',
      name: options.name ?? `Utilisateur ${n}`,
      email: options.email ?? `utilisateur${n}@test.fr`,
      active: options.active ?? true,
      locale: options.locale ?? 'fr',
      passwordHash: await passwordHash,
    })
    .returning();
  return user!;
}

export async function createClient(
  firmId: string,
  options: {
    name?: string;
    status?: ClientStatus;
    verification?: VerificationState;
    balanceCents?: number;
    team?: string[];
  } = {},
) {
  const [client] = await db
    .insert(clients)
    .values({
      firmId,
      name: options.name ?? `Client ${next()}`,
      status: options.status ?? 'active',
      verificationState: options.verification ?? null,
      balanceCents: options.balanceCents ?? 0,
      contactEmail: 'contact@client.test',
    })
    .returning();
  if (options.team?.length) {
    await db.insert(assignments).values(options.team.map((userId) => ({ firmId, clientId: client!.id, userId })));
  }
  return client!;
}

export async function addExpenses(
  clientId: string,
  count: number,
  state: { receipt?: ReceiptState; export?: ExportState; spentOn?: string; amountCents?: number } = {},
) {
  if (count === 0) return [];
  // « ready » (and « exported ») as the portal means it: the platform's part done, coded to 6064 at
  // 20 % and reviewed. Whether it is ready is then the trigger's (pp_expense_export_state): with a
  // missing receipt, it is not.
  const done = state.export === 'ready' || state.export === 'exported';
  const rows = await db
    .insert(expenses)
    .values(
      Array.from({ length: count }, (_, i) => ({
        clientId,
        amountCents: state.amountCents ?? 1000 + i,
        merchant: 'Fournisseur test',
        spentOn: state.spentOn ?? '2026-11-02',
        receiptState: state.receipt ?? 'attached',
        exportState: state.export ?? 'not_ready',
        platformReady: done,
        codingState: done ? ('reviewed' as const) : ('to_code' as const),
      })),
    )
    .returning();
  if (done)
    await db.insert(expenseLines).values(
      rows.map((row) => ({
        expenseId: row.id,
        lineNo: 1,
        account: '6064',
        vatRateBp: 2000,
        grossCents: row.amountCents,
        deductiblePct: 100,
      })),
    );
  return rows;
}

export function viewer(user: { id: string; firmId: string; role: UserRole; name: string }) {
  return { id: user.id, firmId: user.firmId, role: user.role, name: user.name };
}

/** A submitted form: repeated keys for checkbox groups. */
export function formData(fields: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) data.append(key, v);
  }
  return data;
}
