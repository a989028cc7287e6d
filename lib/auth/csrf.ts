// next-auth's CSRF double-submit cookie (`<token>|sha256(<token><secret>)`, core/lib/csrf-token.js),
// made by middleware.ts for the login page, so that its form can post to next-auth's credentials
// callback before any script runs. Web Crypto: middleware runs on the Edge runtime.

export function csrfCookieName(publicUrl: string): string {
  return publicUrl.startsWith('https://') ? '__Host-next-auth.csrf-token' : 'next-auth.csrf-token';
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The token a cookie carries, if the cookie is one next-auth will accept. */
export async function verifiedCsrfToken(cookieValue: string | undefined, secret: string): Promise<string | undefined> {
  const [token, hash] = (cookieValue ?? '').split('|');
  if (!token || !hash) return undefined;
  return (await sha256Hex(`${token}${secret}`)) === hash ? token : undefined;
}

export async function newCsrfCookie(secret: string): Promise<{ token: string; cookie: string }> {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const token = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return { token, cookie: `${token}|${await sha256Hex(`${token}${secret}`)}` };
}
