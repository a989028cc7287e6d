import type { CurrentUser } from './users';
import { SafeError } from '@/lib/server/errors';

/** Checked in the domain functions too, not only in the action wrapper: they may be called directly. */
export function assertAdmin(user: Pick<CurrentUser, 'role'>): void {
  if (user.role !== 'admin') throw new SafeError('errors.adminOnly');
}
