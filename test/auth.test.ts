import { eq, sql } from 'drizzle-orm';
import { queryRows } from '@/db';
import { users } from '@/db/schema';
import { checkCredentials } from '@/lib/auth/authorize';
import { hashPassword, verifyPassword } from '@/lib/auth/password';
import { MAX_FAILURES } from '@/lib/auth/throttle';
import { loadActiveUser } from '@/lib/access/users';
import { withTestDatabase } from './db';
import { createFirm, createUser, TEST_PASSWORD } from './factories';

const db = withTestDatabase();

describe('passwords', () => {
  it('are stored hashed and verified', async () => {
    const hash = await hashPassword('correct horse');
    expect(hash).not.toContain('correct horse');
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('correct horsf', hash)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });
});

describe('login', () => {
  let firmId: string;
  beforeAll(async () => {
    firmId = (await createFirm()).id;
  });

  it('lets a user in with the right password, whatever the case of the e-mail', async () => {
    const user = await createUser(firmId, { email: 'Lea.Martin@Cabinet.fr' });
    const result = await checkCredentials('  lea.martin@CABINET.fr ', TEST_PASSWORD);
    expect(result).toEqual({ ok: true, user: { id: user.id, firmId, role: 'accountant' } });
  });

  it('gives the same answer for a wrong password and an unknown e-mail', async () => {
    await createUser(firmId, { email: 'hugo@cabinet.fr' });
    expect(await checkCredentials('hugo@cabinet.fr', 'wrong')).toEqual({ ok: false, error: 'CredentialsSignin' });
    expect(await checkCredentials('nobody@cabinet.fr', TEST_PASSWORD)).toEqual({
      ok: false,
      error: 'CredentialsSignin',
    });
    expect(await checkCredentials(undefined, undefined)).toEqual({ ok: false, error: 'CredentialsSignin' });
    expect(await checkCredentials('a'.repeat(5000), 'x')).toEqual({ ok: false, error: 'CredentialsSignin' });
  });

  it('refuses a deactivated user, even with the right password', async () => {
    const user = await createUser(firmId, { email: 'ancien@cabinet.fr', active: false });
    expect(await checkCredentials('ancien@cabinet.fr', TEST_PASSWORD)).toEqual({ ok: false, error: 'AccountDisabled' });
    expect(await loadActiveUser(user.id)).toBeUndefined();
  });

  it('locks an e-mail out after repeated failures, then lets it in after the wait', async () => {
    await createUser(firmId, { email: 'cible@cabinet.fr' });
    const start = new Date('2026-11-27T10:00:00Z');
    for (let i = 0; i < MAX_FAILURES; i += 1) {
      expect((await checkCredentials('cible@cabinet.fr', `essai-${i}`, start)).ok).toBe(false);
    }
    // Locked: even the right password is refused, with its own message.
    expect(await checkCredentials('cible@cabinet.fr', TEST_PASSWORD, new Date(start.getTime() + 60_000))).toEqual({
      ok: false,
      error: 'TooManyAttempts',
    });
    // Another e-mail is not affected.
    expect((await checkCredentials('hugo@cabinet.fr', TEST_PASSWORD, start)).ok).toBe(true);
    const later = new Date(start.getTime() + 16 * 60_000);
    expect((await checkCredentials('cible@cabinet.fr', TEST_PASSWORD, later)).ok).toBe(true);
  });

  it('counts passwords sent in parallel like passwords sent one after the other', async () => {
    await createUser(firmId, { email: 'parallele@cabinet.fr' });
    const start = new Date('2026-11-27T11:00:00Z');
    const guesses = Array.from({ length: 30 }, (_, i) =>
      checkCredentials('parallele@cabinet.fr', `essai-${i}`, start, '203.0.113.9'),
    );
    const errors = (await Promise.all(guesses)).map((result) => (result.ok ? 'ok' : result.error));
    // At most five passwords were checked; every other guess was refused before its check.
    expect(errors.filter((error) => error === 'CredentialsSignin')).toHaveLength(MAX_FAILURES);
    expect(errors.filter((error) => error === 'TooManyAttempts')).toHaveLength(30 - MAX_FAILURES);
    const rows = await queryRows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM login_attempts WHERE email = 'parallele@cabinet.fr'`,
    );
    expect(rows[0]!.n).toBe(MAX_FAILURES);
    // The right password is refused too, until the window is over.
    expect(await checkCredentials('parallele@cabinet.fr', TEST_PASSWORD, start, '203.0.113.9')).toEqual({
      ok: false,
      error: 'TooManyAttempts',
    });
  });

  it('leaves no failure behind when the password is right but a second step is due', async () => {
    const user = await createUser(firmId, { email: 'inactif@cabinet.fr' });
    await db.update(users).set({ active: false }).where(eq(users.id, user.id));
    for (let i = 0; i < MAX_FAILURES + 2; i += 1) {
      expect(await checkCredentials('inactif@cabinet.fr', TEST_PASSWORD, new Date(), '203.0.113.10')).toEqual({
        ok: false,
        error: 'AccountDisabled',
      });
    }
    const rows = await queryRows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM login_attempts WHERE email = 'inactif@cabinet.fr'`,
    );
    expect(rows[0]!.n).toBe(0);
  });

  it('re-reads the role and active flag from the database on every request', async () => {
    const user = await createUser(firmId, { email: 'promu@cabinet.fr' });
    expect((await loadActiveUser(user.id))?.role).toBe('accountant');
    await db.update(users).set({ role: 'admin' }).where(eq(users.id, user.id));
    expect((await loadActiveUser(user.id))?.role).toBe('admin');
    await db.update(users).set({ active: false }).where(eq(users.id, user.id));
    expect(await loadActiveUser(user.id)).toBeUndefined();
    expect(await loadActiveUser('not-a-uuid')).toBeUndefined();
  });
});
