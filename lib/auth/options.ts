import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { authSecret } from '@/lib/env';
import { logger } from '@/lib/log';
import { checkCredentials } from './authorize';
import { clientAddress } from './client-address';

export const authOptions: NextAuthOptions = {
  secret: authSecret(),
  session: { strategy: 'jwt', maxAge: 12 * 60 * 60 },
  pages: { signIn: '/connexion', error: '/connexion' },
  providers: [
    CredentialsProvider({
      name: 'E-mail',
      credentials: { email: { type: 'email' }, password: { type: 'password' } },
      async authorize(credentials, request) {
        // next-auth puts a thrown message in the login page's URL: only our codes go there, never a
        // database error's text.
        const address = clientAddress(request?.headers);
        const result = await checkCredentials(credentials?.email, credentials?.password, new Date(), address).catch(
          (error: unknown) => {
            logger.error({ err: error }, 'login check failed');
            return { ok: false as const, error: 'ServiceUnavailable' as const };
          },
        );
        // next-auth hands a thrown message to the login page as `error`.
        if (!result.ok) throw new Error(result.error);
        return { id: result.user.id, firmId: result.user.firmId, role: result.user.role };
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        token.sub = user.id;
        token.firmId = (user as { firmId?: string }).firmId;
      }
      return token;
    },
    async session({ session, token }) {
      return { ...session, userId: token.sub };
    },
  },
};
