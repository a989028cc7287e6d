import { db } from '@/db';
import { assignments, clients, expenses, firms, users } from '@/db/schema';
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
  return db
    .insert(expenses)
    .values(
      Array.from({ length: count }, (_, i) => ({
        clientId,
        amountCents: state.amountCents ?? 1000 + i,
        merchant: 'Fournisseur test',
        spentOn: state.spentOn ?? '2026-11-02',
        receiptState: state.receipt ?? 'attached',
        exportState: state.export ?? 'not_ready',
      })),
    )
    .returning();
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
