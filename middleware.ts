import { withAuth } from 'next-auth/middleware';
import { authSecret } from '@/lib/env';

// Only an optimistic redirect of anonymous visitors: every page, action and route checks the
// session, the role and the firm again against the database.
export default withAuth({
  pages: { signIn: '/connexion' },
  secret: authSecret(),
});

export const config = {
  matcher: ['/((?!connexion|desabonnement/|invitation/|dev/outbox|api/|_next/|favicon.ico|robots.txt).*)'],
};
