// The two calls the browser makes to next-auth, without next-auth's client library (10 KB of
// compressed JavaScript on every page, for two POSTs; BENCHMARKS.md, « Web »). The same requests
// its signIn() and signOut() send: a fresh CSRF token, then a form POST asking for JSON.

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

async function csrfToken(): Promise<string> {
  const response = await fetch('/api/auth/csrf', { cache: 'no-store' });
  return ((await response.json()) as { csrfToken: string }).csrfToken;
}

/** The credentials step (password, code or recovery code): `error` is next-auth's code, or null. */
export async function postCredentials(
  fields: Record<string, string>,
  callbackUrl: string,
): Promise<{ ok: boolean; error: string | null }> {
  try {
    const response = await fetch('/api/auth/callback/credentials', {
      method: 'POST',
      headers: FORM,
      body: new URLSearchParams({ ...fields, csrfToken: await csrfToken(), callbackUrl, json: 'true' }),
    });
    const data = (await response.json()) as { url?: string };
    const error = data.url ? new URL(data.url, window.location.origin).searchParams.get('error') : 'ServiceUnavailable';
    return { ok: response.ok && !error, error };
  } catch {
    return { ok: false, error: 'ServiceUnavailable' };
  }
}

/** Ends the session, then goes where next-auth says (the login page). */
export async function signOutTo(callbackUrl: string): Promise<void> {
  const response = await fetch('/api/auth/signout', {
    method: 'POST',
    headers: FORM,
    body: new URLSearchParams({ csrfToken: await csrfToken(), callbackUrl, json: 'true' }),
  });
  const data = (await response.json()) as { url?: string };
  window.location.href = data.url ?? callbackUrl;
}
