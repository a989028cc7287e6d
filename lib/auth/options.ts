import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { authSecret } from '@/lib/server/env';
import { logger } from '@/lib/server/log';
import { cookies } from 'next/headers';
import { CHALLENGE_COOKIE, challengeCookieOptions } from '@/lib/two-factor/challenge';
import { checkCredentials, checkSecondFactor } from './authorize';
import { clientAddress } from './client-address';

export const authOptions: NextAuthOptions = {
  secret: authSecret(),
  session: { strategy: 'jwt', maxAge: 12 * 60 * 60 },
  pages: { signIn: '/connexion', error: '/connexion' },
  providers: [
    CredentialsProvider({
      name: 'E-mail',
      credentials: {
        email: { type: 'email' },
        password: { type: 'password' },
        code: { type: 'text' },
        recovery: { type: 'text' },
      },
      async authorize(credentials, request) {
        const address = clientAddress(request?.headers);
        const jar = await cookies();
        const secondStep = Boolean(credentials?.code || credentials?.recovery);
        const check = secondStep
          ? checkSecondFactor(
              jar.get(CHALLENGE_COOKIE)?.value,
              { code: credentials?.code, recovery: credentials?.recovery },
              new Date(),
              address,
            )
          : checkCredentials(credentials?.email, credentials?.password, new Date(), address);
        // next-auth puts a thrown message in the login page's URL: only our codes go there, never a
        // database error's text, and never the challenge (it travels in an HTTP-only cookie).
        const result = await check.catch((error: unknown) => {
          logger.error({ err: error }, 'login check failed');
          return { ok: false as const, error: 'ServiceUnavailable' as const };
        });
        if (!result.ok) {
          if (result.error === 'SecondFactorRequired' && 'challenge' in result) {
            jar.set(CHALLENGE_COOKIE, result.challenge, challengeCookieOptions());
          }
          throw new Error(result.error);
        }
        if (secondStep) jar.delete(CHALLENGE_COOKIE);
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
