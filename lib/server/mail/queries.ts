import { desc, eq } from 'drizzle-orm';
import { db } from '@/db';
import { outboxEmails } from '@/db/schema';

/** The newest e-mails the outbox transport kept for this firm (development, no provider configured). */
export async function listOutboxEmails(firmId: string, limit: number) {
  return db
    .select()
    .from(outboxEmails)
    .where(eq(outboxEmails.firmId, firmId))
    .orderBy(desc(outboxEmails.createdAt), desc(outboxEmails.id))
    .limit(limit);
}
