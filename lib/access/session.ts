import { getServerSession } from 'next-auth';
import { cache } from 'react';
import { notFound, redirect } from 'next/navigation';
import { authOptions } from '@/lib/auth/options';
import { loadActiveUser, type CurrentUser } from './users';

/** The signed-in user as the database has them now, or undefined (anonymous, deactivated, deleted). */
// Once per request: the layout and the page ask for the user, the database answers once.
export const getCurrentUser = cache(async (): Promise<CurrentUser | undefined> => {
  const session = (await getServerSession(authOptions)) as { userId?: string } | null;
  if (!session?.userId) return undefined;
  return loadActiveUser(session.userId);
});

/**
 * For pages: anonymous or deactivated users go to the login page; a member whose firm requires
 * two-factor login and who has not set it up goes to its set-up, the one page open to them.
 */
export async function requireUser(options: { duringTwoFactorSetup?: boolean } = {}): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect('/connexion');
  if (user.mustSetUpTwoFactor && !options.duringTwoFactorSetup) redirect(TWO_FACTOR_SETUP);
  return user;
}

export const TWO_FACTOR_SETUP = '/compte/securite';

/** For admin pages: anyone else sees a plain 404, as for a page that does not exist. */
export async function requireAdmin(): Promise<CurrentUser> {
  const user = await requireUser();
  if (user.role !== 'admin') notFound();
  return user;
}
