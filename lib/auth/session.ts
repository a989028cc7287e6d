import { getServerSession } from 'next-auth';
import { cache } from 'react';
import { notFound, redirect } from 'next/navigation';
import { authOptions } from './options';
import { loadActiveUser, type CurrentUser } from './users';

/** The signed-in user as the database has them now, or undefined (anonymous, deactivated, deleted). */
// Once per request: the layout and the page ask for the user, the database answers once.
export const getCurrentUser = cache(async (): Promise<CurrentUser | undefined> => {
  const session = (await getServerSession(authOptions)) as { userId?: string } | null;
  if (!session?.userId) return undefined;
  return loadActiveUser(session.userId);
});

/** For pages: anonymous or deactivated users go to the login page. */
export async function requireUser(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect('/connexion');
  return user;
}

/** For admin pages: anyone else sees a plain 404, as for a page that does not exist. */
export async function requireAdmin(): Promise<CurrentUser> {
  const user = await requireUser();
  if (user.role !== 'admin') notFound();
  return user;
}
