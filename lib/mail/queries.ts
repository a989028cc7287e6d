import { desc } from 'drizzle-orm';
import { db } from '@/db';
import { outboxEmails } from '@/db/schema';

/** The newest e-mails kept by the outbox transport (development, no provider configured). */
export async function listOutboxEmails(limit: number) {
  return db.select().from(outboxEmails).orderBy(desc(outboxEmails.createdAt), desc(outboxEmails.id)).limit(limit);
}
