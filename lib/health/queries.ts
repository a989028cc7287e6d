import { sql } from 'drizzle-orm';
import { db } from '@/db';

const TIMEOUT_MS = 2000;

/** Whether the database answers a trivial query within 2 s: what a load balancer needs to know. */
export async function databaseAnswers(timeoutMs = TIMEOUT_MS): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([db.execute(sql`SELECT 1`).then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
