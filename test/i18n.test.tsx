import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { signInAs } from './session';
import { queryRows } from '@/db';
import { users } from '@/db/schema';
import ClientsPage from '@/app/(app)/clients/(list)/page';
import { saveLocaleAction } from '@/lib/account/actions';
import { bulkClientsAction } from '@/lib/clients/actions';
import { loginErrorKey } from '@/lib/auth/login-errors';
import { csvHeader } from '@/lib/exports/csv';
import { negotiateLocale } from '@/lib/server/i18n/locales';
import { issueMessage } from '@/lib/server/i18n/validation';
import { resendTransport } from '@/lib/server/mail/transport';
import { saveNotificationPreference } from '@/lib/notifications/actions';
import { runDigests } from '@/lib/notifications/digests';
import { saveSubscription } from '@/lib/notifications/subscriptions';
import { sendReminder } from '@/lib/reminders/send';
import { withTestDatabase } from './db';
import { FakeResend } from './fake-resend';
import { addExpenses, createClient, createFirm, createUser, formData, viewer } from './factories';
import { en, fr } from './i18n';
import { renderPage } from './render';

/** The bulk bar with « Attribuer » pressed. */
const bulkAssignAction = (state: Parameters<typeof bulkClientsAction>[0], fields: FormData) => {
  fields.set('op', 'assign');
  return bulkClientsAction(state, fields);
};

jest.mock('next/cache', () => ({ revalidatePath: jest.fn() }));

const db = withTestDatabase();
const fake = new FakeResend();
const transport = () =>
  resendTransport({ apiKey: 're_test_key', baseUrl: fake.baseUrl, from: 'Portail <n@portail.test>' });

type User = Awaited<ReturnType<typeof createUser>>;
let admin: User;
let claire: User; // French
let john: User; // English
let client: { id: string };

beforeAll(async () => {
  await fake.start();
  const firm = await createFirm('Cabinet Démo');
  admin = await createUser(firm.id, { role: 'admin', name: 'Anne Admin', email: 'anne@cabinet.fr' });
  claire = await createUser(firm.id, { name: 'Claire Dubois', email: 'claire@cabinet.fr' });
  john = await createUser(firm.id, { name: 'John Smith', email: 'john@cabinet.fr', locale: 'en' });
  client = await createClient(firm.id, {
    name: 'Boulangerie Soleil',
    team: [claire.id, john.id],
    balanceCents: 123_456,
  });
  // Three receipts missing, three others ready (an expense without its receipt is never ready).
  await addExpenses(client.id, 3, { receipt: 'missing' });
  await addExpenses(client.id, 3, { receipt: 'attached', export: 'ready' });
});
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

describe('the language of a request', () => {
  it.each([
    [undefined, 'fr'],
    ['', 'fr'],
    ['en-GB,en;q=0.9', 'en'],
    ['de-DE,en;q=0.5,fr;q=0.8', 'fr'],
    ['de-DE,en;q=0.8,fr;q=0.5', 'en'],
    ['fr-CA', 'fr'],
    ['en;q=0', 'fr'],
    ['*', 'fr'],
    ['__proto__, constructor;q=1', 'fr'],
  ])('Accept-Language %p gives %p', (header, locale) => {
    expect(negotiateLocale(header)).toBe(locale);
  });

  it('explains only the login errors it knows, whatever the URL says', () => {
    expect(fr.t(loginErrorKey('CredentialsSignin'))).toBe('E-mail ou mot de passe incorrect.');
    for (const code of ['__proto__', 'constructor', 'toString', 'Failed query: select', undefined]) {
      expect(loginErrorKey(code)).toBe('login.errors.default');
    }
  });
});

describe('French typography and formats', () => {
  const at = new Date('2026-12-01T08:36:00Z'); // Tuesday 1 December, 9:36 in Paris

  it('writes dates the French way: "1er", "9 h 36", in Paris time', () => {
    expect(fr.format.dateTime(at)).toBe('1er décembre 2026 à 9\u00a0h\u00a036');
    expect(fr.format.dayMonth(at)).toBe('mardi 1er décembre');
    expect(fr.format.dateTime(new Date('2026-12-02T08:36:00Z'))).toBe('2 décembre 2026 à 9\u00a0h\u00a036');
    expect(fr.format.day('2026-11-27')).toBe('27/11/2026');
    expect(en.format.dateTime(at)).toBe('1 December 2026 at 09:36');
    expect(en.format.dayMonth(at)).toBe('Tuesday 1 December');
  });

  it('writes a calendar day as that day, whatever the clock changes and the year ends', () => {
    for (const [day, french, english] of [
      ['2026-03-29', '29/03/2026', '29 Mar 2026'], // summer time starts in Paris
      ['2026-10-25', '25/10/2026', '25 Oct 2026'], // and ends
      ['2026-12-31', '31/12/2026', '31 Dec 2026'],
      ['2027-01-01', '01/01/2027', '1 Jan 2027'],
      ['2028-02-29', '29/02/2028', '29 Feb 2028'],
    ]) {
      expect(fr.format.day(day!)).toBe(french);
      expect(en.format.day(day!)).toBe(english);
    }
    // A timestamp's ISO text is read for its day (the Clients page's « Depuis le »).
    expect(fr.format.day('2026-11-27T23:30:00.000Z')).toBe('27/11/2026');
    // Week days and months in Paris time: 23:30 UTC on 31 December is already 1 January there.
    expect(fr.format.dayMonth(new Date('2026-12-31T23:30:00Z'))).toBe('vendredi 1er janvier');
  });

  it('writes money and plurals in each language', () => {
    expect(fr.format.money(123_456)).toBe('1\u202f234,56\u00a0€');
    expect(en.format.money(123_456)).toBe('€1,234.56');
    expect(fr.t('clients.range', { first: 1, last: 1, total: 1 })).toBe('1–1 sur 1 client');
    expect(fr.t('clients.range', { first: 1, last: 20, total: 9212 })).toBe('1–20 sur 9\u202f212 clients');
    expect(en.t('clients.range', { first: 1, last: 1, total: 1 })).toBe('1–1 of 1 client');
    expect(fr.t('workspace.export.created', { count: 1, total: '5,00 €' })).toBe(
      'Export créé\u202f: 1 dépense, 5,00 €.',
    );
    expect(fr.t('workspace.export.created', { count: 7, total: '5,00 €' })).toBe(
      'Export créé\u202f: 7 dépenses, 5,00 €.',
    );
  });
});

describe('validation messages', () => {
  const schema = z.object({
    id: z.string().uuid(),
    email: z.email(),
    name: z.string().min(2).max(5),
    kind: z.enum(['a', 'b']),
    missing: z.string(),
  });
  const issues = schema.safeParse({ id: 'nope', email: 'x', name: 'abcdefgh', kind: 'c' }).error!.issues;

  it('never shows zod’s own English to a French user', () => {
    const messages = issues.map((issue) => issueMessage(fr, issue));
    expect(messages).toEqual([
      'Identifiant invalide.',
      'Adresse e-mail invalide.',
      '5 caractères au plus.',
      'Choix invalide.',
      'Ce champ est obligatoire.',
    ]);
  });

  it('answers an English user in English', () => {
    expect(issues.map((issue) => issueMessage(en, issue))).toEqual([
      'Invalid identifier.',
      'Invalid email address.',
      'At most 5 characters.',
      'Invalid choice.',
      'This field is required.',
    ]);
  });

  it('puts a malformed id in a bulk action as a French message next to the field', async () => {
    signInAs(admin);
    const state = await bulkAssignAction(
      { status: 'idle' },
      formData({ clientIds: ['pas-un-uuid'], userId: claire.id }),
    );
    expect(state).toMatchObject({ status: 'error', message: 'Certains champs sont à corriger.' });
    expect(state.fieldErrors?.clientIds).toEqual(['Client introuvable.']);
  });
});

describe('a French and an English user of the same firm', () => {
  it('each gets the action results in their language', async () => {
    signInAs(john);
    const bad = await saveNotificationPreference(
      { status: 'idle' },
      formData({ clientId: client.id, email: 'on', frequency: 'hourly' }),
    );
    expect(bad.fieldErrors?.frequency).toEqual(['Select a frequency: daily, weekly or monthly.']);
    const good = await saveNotificationPreference(
      { status: 'idle' },
      formData({ clientId: client.id, email: 'on', frequency: 'weekly' }),
    );
    expect(good.message).toMatch(/^Preference saved\. Next email: Monday \d+ \p{L}+ at 10:00\.$/u);
    signInAs(claire);
    const french = await saveNotificationPreference(
      { status: 'idle' },
      formData({ clientId: client.id, email: 'on', frequency: 'weekly' }),
    );
    expect(french.message).toMatch(/^Préférence enregistrée\. Prochain envoi\u202f: lundi \d+ \p{L}+ à 10\u00a0h\.$/u);
  });

  it('each sees the Clients page in their language', async () => {
    signInAs(john);
    const english = renderPage(await ClientsPage({ searchParams: Promise.resolve({}) }), 'en');
    expect(english).toContain('Search clients');
    expect(english).toContain('€1,234.56');
    expect(english).not.toContain('Rechercher des clients');
    signInAs(claire);
    const french = renderPage(await ClientsPage({ searchParams: Promise.resolve({}) }));
    expect(french).toContain('Rechercher des clients');
    expect(french).toContain('1\u202f234,56\u00a0€');
  });

  it('each receives the reminder in their language, from one send', async () => {
    await sendReminder(
      admin,
      { clientId: client.id, formToken: crypto.randomUUID(), tasks: ['missing_receipts', 'balance'], comment: '' },
      { transport: transport() },
    );
    const byRecipient = new Map(fake.delivered.map((e) => [e.to, e]));
    expect(byRecipient.get('claire@cabinet.fr')!.subject).toBe('Rappel\u202f: tâches en cours pour Boulangerie Soleil');
    expect(byRecipient.get('claire@cabinet.fr')!.text).toContain('- Solde du compte\u202f: 1\u202f234,56\u00a0€');
    expect(byRecipient.get('john@cabinet.fr')!.subject).toBe('Reminder: open tasks for Boulangerie Soleil');
    expect(byRecipient.get('john@cabinet.fr')!.text).toContain('- Account balance: €1,234.56');
    expect(byRecipient.get('john@cabinet.fr')!.html).toContain('lang="en"');
    expect(byRecipient.get('john@cabinet.fr')!.html).toContain('<strong>Boulangerie Soleil</strong>');
  });

  it('each receives the digest in their language', async () => {
    const subscribed = new Date('2026-11-25T12:00:00Z');
    for (const user of [claire, john])
      await saveSubscription(viewer(user), { clientId: client.id, enabled: true, frequency: 'daily' }, subscribed);
    // Tuesday 1 December 2026, 10:05 Paris.
    await runDigests({ now: new Date('2026-12-01T09:05:00Z'), transport: transport(), sleep: async () => {} });
    const byRecipient = new Map(fake.delivered.map((e) => [e.to, e]));
    expect(byRecipient.get('claire@cabinet.fr')!.subject).toBe(
      'Vos clients au mardi 1er décembre\u202f: 3 reçus manquants, 3 dépenses à exporter',
    );
    expect(byRecipient.get('john@cabinet.fr')!.subject).toBe(
      'Your clients on Tuesday 1 December: 3 missing receipts, 3 expenses to export',
    );
    expect(byRecipient.get('john@cabinet.fr')!.text).toContain('Missing receipts: 3');
  });
});

describe('« Langue » on the Compte page', () => {
  it('stores the user’s own choice and answers in the new language', async () => {
    signInAs(claire);
    const state = await saveLocaleAction({ status: 'idle' }, formData({ locale: 'en' }));
    expect(state).toEqual({ status: 'success', message: 'Language saved.' });
    const rows = await queryRows<{ email: string; locale: string }>(
      sql`SELECT email, locale FROM users ORDER BY email`,
    );
    expect(rows).toEqual([
      { email: 'anne@cabinet.fr', locale: 'fr' },
      { email: 'claire@cabinet.fr', locale: 'en' },
      { email: 'john@cabinet.fr', locale: 'en' },
    ]);
    await db.update(users).set({ locale: 'fr' }).where(eq(users.id, claire.id));
  });

  it.each([
    ['de', 'Choisissez une langue.'],
    ['__proto__', 'Choisissez une langue.'],
    ['', 'Choisissez une langue.'],
    ['fr\u0000', 'Ce champ contient des caractères non autorisés.'],
  ])('refuses %p next to the field, changing nothing', async (locale, message) => {
    signInAs(claire);
    const state = await saveLocaleAction({ status: 'idle' }, formData({ locale }));
    expect(state).toMatchObject({ status: 'error', fieldErrors: { locale: [message] } });
    const [row] = await db.select({ locale: users.locale }).from(users).where(eq(users.id, claire.id));
    expect(row!.locale).toBe('fr');
  });
});

describe('the CSV export', () => {
  it('keeps French headers by default, English on request', () => {
    expect(csvHeader()).toBe('\uFEFFDate;Fournisseur;Montant;Devise;Catégorie;Reçu;Identifiant\r\n');
    expect(csvHeader('en')).toBe('\uFEFFDate;Merchant;Amount;Currency;Category;Receipt;ID\r\n');
  });
});
