import { and, count, eq, isNull } from 'drizzle-orm';
import { db } from '@/db';
import { recoveryCodes, users } from '@/db/schema';
import { decryptSecret } from './crypto';

/** What the Sécurité page shows: on or off, the secret being set up (to show once), codes left. */
export async function twoFactorStatus(userId: string) {
  const [row] = await db
    .select({ enabledAt: users.totpEnabledAt, pending: users.totpPendingSecret })
    .from(users)
    .where(eq(users.id, userId));
  const [codes] = await db
    .select({ n: count() })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
  return {
    enabledAt: row?.enabledAt ?? null,
    pendingSecret: row?.pending ? decryptSecret(row.pending) : undefined,
    recoveryCodesLeft: Number(codes?.n ?? 0),
  };
}
