import { getServerSession } from 'next-auth';

// The one boundary these tests replace: who the request says it is. Everything behind it
// (role, firm, active flag, assignments) is read from the database as in production.
jest.mock('next-auth', () => {
  const actual = jest.requireActual<typeof import('next-auth')>('next-auth');
  return { ...actual, __esModule: true, default: actual.default, getServerSession: jest.fn() };
});

export function signInAs(user: { id: string } | undefined) {
  (getServerSession as jest.Mock).mockResolvedValue(user ? { userId: user.id } : null);
}

/** The digest of the error that Next's notFound() / redirect() throw. */
export async function nextSignal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const digest = (error as { digest?: string }).digest;
    if (digest) return digest;
    throw error;
  }
  return 'rendered';
}
