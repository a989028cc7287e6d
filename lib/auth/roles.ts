import type { CurrentUser } from './users';
import { SafeError } from '@/lib/errors';

export const ADMIN_ONLY = 'Cette action est réservée aux administrateurs.';

/** Checked in the domain functions too, not only in the action wrapper: they may be called directly. */
export function assertAdmin(user: Pick<CurrentUser, 'role'>): void {
  if (user.role !== 'admin') throw new SafeError(ADMIN_ONLY);
}
