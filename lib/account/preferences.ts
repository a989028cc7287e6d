import { eq } from 'drizzle-orm';
import { db } from '@/db';
import { users } from '@/db/schema';
import type { CurrentUser } from '@/lib/access/users';
import type { Locale } from '@/lib/server/i18n/locales';

/** The language of the user's pages and e-mails. Only their own row. */
export async function saveLocale(user: Pick<CurrentUser, 'id'>, locale: Locale): Promise<void> {
  await db.update(users).set({ locale }).where(eq(users.id, user.id));
}
