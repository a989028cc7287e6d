import { nextSignal, signInAs } from './session';
import { eq, sql } from 'drizzle-orm';
import { queryRows } from '@/db';
import { firms, users } from '@/db/schema';
import ClientsPage from '@/app/(app)/clients/(list)/page';
import SecurityPage from '@/app/(app)/compte/securite/page';
import { checkCredentials, checkSecondFactor } from '@/lib/auth/authorize';
import { saveLocaleAction } from '@/lib/account/actions';
import {
  confirmEnrolmentAction,
  disableTwoFactorAction,
  regenerateCodesAction,
  resetTwoFactorAction,
  startEnrolmentAction,
  twoFactorPolicyAction,
} from '@/lib/two-factor/actions';
import { confirmEnrolment, startEnrolment } from '@/lib/two-factor/enrolment';
import { twoFactorStatus } from '@/lib/two-factor/queries';
import { acceptedStep, codeAt } from '@/lib/two-factor/totp';
import { withTestDatabase } from './db';
import { createFirm, createUser, formData, TEST_PASSWORD } from './factories';
import { fr } from './i18n';
import { renderPage } from './render';

/**
 * A code that is surely wrong at `at`: none of the three the window accepts (a fixed « 300000 »
 * is the right one for a random secret once in ~300,000 runs — it happened in a CI run).
 */
function wrongCode(secret: string, at: Date, seed: number): string {
  const accepted = new Set([-30_000, 0, 30_000].map((d) => codeAt(secret, new Date(at.getTime() + d))));
  for (let n = seed; ; n += 1) {
    const code = String(n % 1_000_000).padStart(6, '0');
    if (!accepted.has(code)) return code;
  }
}

jest.mock('next/cache', () => ({ revalidatePath: jest.fn() }));
// The actions read the caller's address from the request (the socket's, stamped by the server).
jest.mock('next/headers', () => ({
  ...jest.requireActual('next/headers'),
  headers: async () => new Headers({ 'x-portail-peer-address': '198.51.100.50' }),
}));

const db = withTestDatabase();
const idle = { status: 'idle' as const };
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const at = (iso: string) => new Date(iso);

type User = Awaited<ReturnType<typeof createUser>>;
let firmId: string;
let admin: User;

beforeAll(async () => {
  firmId = (await createFirm('Cabinet Sûr')).id;
  admin = await createUser(firmId, { role: 'admin', name: 'Claire Dubois', email: 'claire@sur.fr' });
});

/** A member with two-factor login on, set up the way the Sécurité page does it, at `when`. */
async function enrolled(email: string, when = new Date()) {
  const user = await createUser(firmId, { email, name: email.split('@')[0] });
  await startEnrolment(user);
  const { pendingSecret } = await twoFactorStatus(user.id);
  const codes = await confirmEnrolment(user, codeAt(pendingSecret!, when), when);
  return { user, secret: pendingSecret!, codes };
}

describe('TOTP codes', () => {
  const now = at('2026-11-28T10:00:15Z');
  it('accept ±1 step of drift, refuse ±2, and never the same step twice', () => {
    const step = Math.floor(now.getTime() / 30_000);
    expect(acceptedStep(SECRET, codeAt(SECRET, now), now, null)).toBe(step);
    expect(acceptedStep(SECRET, codeAt(SECRET, new Date(now.getTime() - 30_000)), now, null)).toBe(step - 1);
    expect(acceptedStep(SECRET, codeAt(SECRET, new Date(now.getTime() + 30_000)), now, null)).toBe(step + 1);
    expect(acceptedStep(SECRET, codeAt(SECRET, new Date(now.getTime() - 60_000)), now, null)).toBeUndefined();
    expect(acceptedStep(SECRET, codeAt(SECRET, new Date(now.getTime() + 60_000)), now, null)).toBeUndefined();
    expect(acceptedStep(SECRET, codeAt(SECRET, now), now, step)).toBeUndefined();
    expect(acceptedStep(SECRET, 'abcdef', now, null)).toBeUndefined();
  });
});

describe('setting it up', () => {
  it('turns on only with a right code, shows ten recovery codes once and stores them hashed', async () => {
    const user = await createUser(firmId, { email: 'enrol@sur.fr' });
    signInAs(user);
    await startEnrolmentAction(idle, formData({}));
    const { pendingSecret } = await twoFactorStatus(user.id);
    expect(pendingSecret).toMatch(/^[A-Z2-7]{32}$/);
    const [stored] = await db.select({ pending: users.totpPendingSecret }).from(users).where(eq(users.id, user.id));
    expect(stored!.pending).not.toContain(pendingSecret!); // encrypted at rest
    const wrong = await confirmEnrolmentAction(idle, formData({ code: wrongCode(pendingSecret!, new Date(), 0) }));
    expect(wrong).toEqual({ status: 'error', message: fr.t('errors.wrongCode') });
    expect((await twoFactorStatus(user.id)).enabledAt).toBeNull();
    const right = await confirmEnrolmentAction(idle, formData({ code: codeAt(pendingSecret!, new Date()) }));
    expect(right.status).toBe('success');
    const codes = right.data!.codes!.split('\n');
    expect(codes).toHaveLength(10);
    const hashes = await queryRows<{ code_hash: string }>(
      sql`SELECT code_hash FROM recovery_codes WHERE user_id = ${user.id}`,
    );
    expect(hashes).toHaveLength(10);
    expect(hashes.map((h) => h.code_hash)).not.toContain(codes[0]);
    expect((await twoFactorStatus(user.id)).enabledAt).not.toBeNull();
    const [log] = await queryRows<{ action: string }>(
      sql`SELECT action FROM activity_log WHERE actor_id = ${user.id} AND action = 'totp_enabled'`,
    );
    expect(log).toBeDefined();
  });

  it('turns off only with the password and a current code', async () => {
    const { user, secret } = await enrolled('off@sur.fr', new Date(Date.now() - 60_000));
    signInAs(user);
    expect(
      await disableTwoFactorAction(idle, formData({ password: 'pas-le-bon', code: codeAt(secret, new Date()) })),
    ).toEqual({
      status: 'error',
      message: fr.t('errors.wrongPassword'),
    });
    expect(
      await disableTwoFactorAction(
        idle,
        formData({ password: TEST_PASSWORD, code: wrongCode(secret, new Date(), 123456) }),
      ),
    ).toEqual({
      status: 'error',
      message: fr.t('errors.wrongCode'),
    });
    expect(
      (await disableTwoFactorAction(idle, formData({ password: TEST_PASSWORD, code: codeAt(secret, new Date()) })))
        .status,
    ).toBe('success');
    expect((await twoFactorStatus(user.id)).enabledAt).toBeNull();
  });
});

describe('logging in in two steps', () => {
  it('asks for a code after the right password, and opens no session before it', async () => {
    const { secret } = await enrolled('deux@sur.fr', at('2026-11-28T09:00:00Z'));
    // A wrong password says nothing about the second factor.
    expect(await checkCredentials('deux@sur.fr', 'mauvais', at('2026-11-28T10:00:00Z'))).toEqual({
      ok: false,
      error: 'CredentialsSignin',
    });
    const first = await checkCredentials('deux@sur.fr', TEST_PASSWORD, at('2026-11-28T10:00:00Z'));
    expect(first).toMatchObject({ ok: false, error: 'SecondFactorRequired' });
    const challenge = (first as { challenge: string }).challenge;
    // Without the signed challenge, nothing: a forged or altered one is worthless.
    expect(await checkSecondFactor(undefined, { code: codeAt(secret, at('2026-11-28T10:00:00Z')) })).toMatchObject({
      error: 'ChallengeExpired',
    });
    expect(
      await checkSecondFactor(`${challenge.split('.')[0]}.forged`, { code: '123456' }, at('2026-11-28T10:00:00Z')),
    ).toMatchObject({ error: 'ChallengeExpired' });
    // No session exists between the two steps: pages and actions see an anonymous visitor.
    signInAs(undefined);
    expect(await nextSignal(ClientsPage({ searchParams: Promise.resolve({}) }))).toMatch(/\/connexion/);
    expect(await saveLocaleAction(idle, formData({ locale: 'en' }))).toEqual({
      status: 'error',
      message: fr.t('errors.signedOut'),
    });
    const second = await checkSecondFactor(
      challenge,
      { code: codeAt(secret, at('2026-11-28T10:00:20Z')) },
      at('2026-11-28T10:00:20Z'),
    );
    expect(second).toMatchObject({ ok: true });
    // Single use: the same challenge, and the same code, never again.
    expect(
      await checkSecondFactor(
        challenge,
        { code: codeAt(secret, at('2026-11-28T10:00:20Z')) },
        at('2026-11-28T10:00:25Z'),
      ),
    ).toMatchObject({ error: 'ChallengeExpired' });
    const again = (await checkCredentials('deux@sur.fr', TEST_PASSWORD, at('2026-11-28T10:00:26Z'))) as {
      challenge: string;
    };
    expect(
      await checkSecondFactor(
        again.challenge,
        { code: codeAt(secret, at('2026-11-28T10:00:20Z')) },
        at('2026-11-28T10:00:26Z'),
      ),
    ).toMatchObject({ error: 'InvalidCode' });
  });

  it('expires after 5 minutes, and when the password changed', async () => {
    const { user, secret } = await enrolled('expire@sur.fr', at('2026-11-28T08:00:00Z'));
    const { challenge } = (await checkCredentials('expire@sur.fr', TEST_PASSWORD, at('2026-11-28T10:00:00Z'))) as {
      challenge: string;
    };
    expect(
      await checkSecondFactor(
        challenge,
        { code: codeAt(secret, at('2026-11-28T10:05:01Z')) },
        at('2026-11-28T10:05:01Z'),
      ),
    ).toMatchObject({ error: 'ChallengeExpired' });
    const fresh = (await checkCredentials('expire@sur.fr', TEST_PASSWORD, at('2026-11-28T10:06:00Z'))) as {
      challenge: string;
    };
    await db.update(users).set({ passwordHash: 'scrypt$changed' }).where(eq(users.id, user.id));
    expect(
      await checkSecondFactor(
        fresh.challenge,
        { code: codeAt(secret, at('2026-11-28T10:06:10Z')) },
        at('2026-11-28T10:06:10Z'),
      ),
    ).toMatchObject({ error: 'ChallengeExpired' });
  });

  it('takes a recovery code once', async () => {
    const { codes } = await enrolled('secours@sur.fr', at('2026-11-28T08:00:00Z'));
    const one = (await checkCredentials('secours@sur.fr', TEST_PASSWORD, at('2026-11-28T11:00:00Z'))) as {
      challenge: string;
    };
    expect(
      await checkSecondFactor(one.challenge, { recovery: ` ${codes[3]!.toUpperCase()} ` }, at('2026-11-28T11:00:01Z')),
    ).toMatchObject({ ok: true });
    const two = (await checkCredentials('secours@sur.fr', TEST_PASSWORD, at('2026-11-28T11:01:00Z'))) as {
      challenge: string;
    };
    expect(await checkSecondFactor(two.challenge, { recovery: codes[3] }, at('2026-11-28T11:01:01Z'))).toMatchObject({
      error: 'InvalidCode',
    });
    expect(
      (await twoFactorStatus((await db.select().from(users).where(eq(users.email, 'secours@sur.fr')))[0]!.id))
        .recoveryCodesLeft,
    ).toBe(9);
  });

  it('throttles wrong codes like wrong passwords', async () => {
    const { secret } = await enrolled('force@sur.fr', at('2026-11-28T08:00:00Z'));
    const { challenge } = (await checkCredentials(
      'force@sur.fr',
      TEST_PASSWORD,
      at('2026-11-28T12:00:00Z'),
      '198.51.100.4',
    )) as { challenge: string };
    for (let i = 0; i < 4; i += 1) {
      expect(
        await checkSecondFactor(
          challenge,
          { code: wrongCode(secret, at('2026-11-28T12:00:10Z'), 100000 + i) },
          at('2026-11-28T12:00:10Z'),
          '198.51.100.4',
        ),
      ).toMatchObject({ error: 'InvalidCode' });
    }
    // The fifth wrong code closes the challenge: the right code comes too late.
    expect(
      await checkSecondFactor(challenge, { code: '100004' }, at('2026-11-28T12:00:10Z'), '198.51.100.4'),
    ).toMatchObject({ error: 'ChallengeExpired' });
    expect(
      await checkSecondFactor(
        challenge,
        { code: codeAt(secret, at('2026-11-28T12:00:20Z')) },
        at('2026-11-28T12:00:20Z'),
        '198.51.100.4',
      ),
    ).toMatchObject({ error: 'ChallengeExpired' });
    // And the five count as failed logins of this e-mail from this address.
    expect(await checkCredentials('force@sur.fr', TEST_PASSWORD, at('2026-11-28T12:00:30Z'), '198.51.100.4')).toEqual({
      ok: false,
      error: 'TooManyAttempts',
    });
  });
});

describe('the second factor under brute force', () => {
  /** A fresh challenge from a fresh address each time: as an attacker who has the password and rotates. */
  let addressCounter = 0;
  async function challengeFor(email: string, when: Date) {
    addressCounter += 1;
    const address = `203.0.113.${addressCounter}`;
    const result = await checkCredentials(email, TEST_PASSWORD, when, address, async () => {});
    return { challenge: (result as { challenge: string }).challenge, address };
  }

  it('a challenge dies after 5 wrong codes, whatever the addresses', async () => {
    const { secret } = await enrolled('cinq@sur.fr', at('2026-11-29T08:00:00Z'));
    const when = at('2026-11-29T10:00:00Z');
    const { challenge } = await challengeFor('cinq@sur.fr', when);
    const answers = [];
    for (let i = 0; i < 5; i += 1)
      answers.push(
        (await checkSecondFactor(challenge, { code: wrongCode(secret, when, 200000 + i) }, when, `192.0.2.${i}`)) as {
          error: string;
        },
      );
    expect(answers.map((a) => a.error)).toEqual([
      'InvalidCode',
      'InvalidCode',
      'InvalidCode',
      'InvalidCode',
      'ChallengeExpired',
    ]);
    expect(await checkSecondFactor(challenge, { code: codeAt(secret, when) }, when, '192.0.2.99')).toMatchObject({
      error: 'ChallengeExpired',
    });
  });

  it('thirty codes sent at the same moment on one challenge: five are checked, and the right one among the rest opens nothing', async () => {
    const { user, secret } = await enrolled('rafale@sur.fr', at('2026-11-29T08:00:00Z'));
    const when = at('2026-11-29T10:30:00Z');
    const { challenge } = await challengeFor('rafale@sur.fr', when);
    const codes = Array.from({ length: 30 }, (_, i) =>
      i === 29 ? codeAt(secret, when) : wrongCode(secret, when, 500000 + i),
    );
    const answers = (await Promise.all(
      codes.map((code, i) => checkSecondFactor(challenge, { code }, when, `198.18.0.${i}`)),
    )) as { ok: boolean; error?: string }[];
    expect(answers.filter((a) => a.error === 'InvalidCode').length).toBeLessThanOrEqual(4);
    expect(answers.filter((a) => a.ok).length).toBeLessThanOrEqual(1);
    const [tried] = await queryRows<{ n: number }>(
      sql`SELECT failed_codes AS n FROM login_challenges WHERE user_id = ${user.id}`,
    );
    expect(tried!.n).toBeLessThanOrEqual(5);
    const [failures] = await queryRows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM second_factor_failures WHERE user_id = ${user.id}`,
    );
    expect(failures!.n).toBeLessThanOrEqual(5);
  });

  it('an account takes 10 wrong codes an hour across challenges, then refuses the right one, e-mails its owner once, and journals it all', async () => {
    const { user, secret } = await enrolled('dix@sur.fr', at('2026-11-29T08:00:00Z'));
    const start = at('2026-11-29T11:00:00Z');
    const minute = (n: number) => new Date(start.getTime() + n * 60_000);
    for (let i = 0; i < 10; i += 1) {
      const { challenge, address } = await challengeFor('dix@sur.fr', minute(i));
      const answer = await checkSecondFactor(
        challenge,
        { code: wrongCode(secret, minute(i), 300000 + i) },
        minute(i),
        address,
      );
      expect(answer).toMatchObject({ error: i < 9 ? 'InvalidCode' : 'TooManyCodes' });
    }
    // The password is right and so is the code: refused all the same until the hour has passed.
    const late = await challengeFor('dix@sur.fr', minute(30));
    expect(
      await checkSecondFactor(late.challenge, { code: codeAt(secret, minute(30)) }, minute(30), late.address),
    ).toMatchObject({
      error: 'TooManyCodes',
    });
    const mails = await queryRows<{ to: string; subject: string }>(
      sql`SELECT to_address AS "to", subject FROM outbox_emails WHERE to_address = 'dix@sur.fr'`,
    );
    expect(mails).toEqual([{ to: 'dix@sur.fr', subject: fr.t('emails.secondFactorAlert.subject') }]);
    const journal = await queryRows<{ action: string; n: number }>(
      sql`SELECT action, count(*)::int AS n FROM activity_log WHERE actor_id = ${user.id}
          AND action LIKE 'second_factor%' GROUP BY action ORDER BY action`,
    );
    expect(journal).toEqual([
      { action: 'second_factor_failed', n: 9 },
      { action: 'second_factor_locked', n: 1 },
      { action: 'second_factor_refused', n: 1 },
    ]);
    // An hour after the first wrong code, the password and a code open again.
    const after = await challengeFor('dix@sur.fr', minute(61));
    expect(
      await checkSecondFactor(after.challenge, { code: codeAt(secret, minute(61)) }, minute(61), after.address),
    ).toMatchObject({
      ok: true,
    });
  });

  it('« Régénérer les codes » asks for the password, and its wrong codes count in the same hour as the login’s', async () => {
    const { user, secret } = await enrolled('regen@sur.fr', new Date(Date.now() - 120_000));
    signInAs(user);
    expect(await regenerateCodesAction(idle, formData({ code: codeAt(secret, new Date()) }))).toMatchObject({
      status: 'error',
      fieldErrors: { password: [expect.any(String)] },
    });
    expect(
      await regenerateCodesAction(idle, formData({ password: 'pas-le-bon', code: codeAt(secret, new Date()) })),
    ).toEqual({ status: 'error', message: fr.t('errors.wrongPassword') });
    for (let i = 0; i < 8; i += 1)
      expect(
        await regenerateCodesAction(
          idle,
          formData({ password: TEST_PASSWORD, code: wrongCode(secret, new Date(), 400000 + i) }),
        ),
      ).toEqual({
        status: 'error',
        message: fr.t('errors.wrongCode'),
      });
    // The tenth failure of the hour (a wrong password is one) locks « Désactiver » too.
    expect(await disableTwoFactorAction(idle, formData({ password: TEST_PASSWORD, code: '499999' }))).toEqual({
      status: 'error',
      message: fr.t('errors.tooManyCodes'),
    });
    expect(
      await disableTwoFactorAction(idle, formData({ password: TEST_PASSWORD, code: codeAt(secret, new Date()) })),
    ).toEqual({ status: 'error', message: fr.t('errors.tooManyCodes') });
    expect((await twoFactorStatus(user.id)).enabledAt).not.toBeNull();
    const [refused] = await queryRows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM activity_log WHERE actor_id = ${user.id} AND action = 'second_factor_refused'`,
    );
    expect(refused!.n).toBe(1);
  });
});

describe('the firm’s policy and an admin’s reset', () => {
  it('sends a member without it to the set-up, and refuses every other action until then', async () => {
    const member = await createUser(firmId, { email: 'sans@sur.fr' });
    signInAs(admin);
    expect((await twoFactorPolicyAction(idle, formData({ required: 'on' }))).status).toBe('success');
    signInAs(member);
    expect(await nextSignal(ClientsPage({ searchParams: Promise.resolve({}) }))).toMatch(
      /NEXT_REDIRECT;replace;\/compte\/securite;/,
    );
    expect(await saveLocaleAction(idle, formData({ locale: 'en' }))).toEqual({
      status: 'error',
      message: fr.t('errors.twoFactorRequired'),
    });
    expect(renderPage(await SecurityPage())).toContain(fr.t('security.required'));
    expect((await startEnrolmentAction(idle, formData({}))).status).toBe('idle');
    const { pendingSecret } = await twoFactorStatus(member.id);
    expect((await confirmEnrolmentAction(idle, formData({ code: codeAt(pendingSecret!, new Date()) }))).status).toBe(
      'success',
    );
    expect(await nextSignal(ClientsPage({ searchParams: Promise.resolve({}) }))).toBe('rendered');
    await db.update(firms).set({ requireTwoFactor: false }).where(eq(firms.id, firmId));
  });

  it('an admin resets a member who lost their phone, never themselves, never another firm’s', async () => {
    const { user } = await enrolled('perdu@sur.fr');
    const other = await createFirm();
    const otherAdmin = await createUser(other.id, { role: 'admin' });
    signInAs(otherAdmin);
    expect(await resetTwoFactorAction(idle, formData({ userId: user.id }))).toEqual({
      status: 'error',
      message: fr.t('errors.memberNotFound'),
    });
    signInAs(user);
    expect(await resetTwoFactorAction(idle, formData({ userId: user.id }))).toEqual({
      status: 'error',
      message: fr.t('errors.adminOnly'),
    });
    signInAs(admin);
    expect(await resetTwoFactorAction(idle, formData({ userId: admin.id }))).toEqual({
      status: 'error',
      message: fr.t('errors.cannotResetSelf'),
    });
    expect((await resetTwoFactorAction(idle, formData({ userId: user.id }))).status).toBe('success');
    expect((await twoFactorStatus(user.id)).enabledAt).toBeNull();
    expect(await checkCredentials('perdu@sur.fr', TEST_PASSWORD)).toMatchObject({ ok: true });
    // Even where the firm does not require it, the member sets it up again before anything else.
    signInAs(user);
    expect(await nextSignal(ClientsPage({ searchParams: Promise.resolve({}) }))).toMatch(/\/compte\/securite/);
  });
});
