import { sql } from 'drizzle-orm';
import { signInAs } from './session';
import { queryRows } from '@/db';
import { reminderRecipients, reminders } from '@/db/schema';
import { resendTransport } from '@/lib/server/mail/transport';
import { sendReminderAction } from '@/lib/reminders/actions';
import { markVisible } from '@/lib/access/visibility';
import { listReminders } from '@/lib/reminders/queries';
import { reminderNotReachedMessage } from '@/lib/reminders/messages';
import { sendReminder } from '@/lib/reminders/send';
import { withTestDatabase } from './db';
import { FakeResend } from './fake-resend';
import { addExpenses, createClient, createFirm, createUser, formData } from './factories';

jest.mock('next/cache', () => ({ revalidatePath: jest.fn() }));

const db = withTestDatabase();
const fake = new FakeResend();

type User = Awaited<ReturnType<typeof createUser>>;
let firmId: string;
let admin: User;
let admin2: User;
let lea: User;
let hugo: User;
let retired: User;
let stranger: User;
let client: { id: string };
let lonely: { id: string };
let foreign: { id: string };

beforeAll(async () => {
  await fake.start();
  const firm = await createFirm('Cabinet Démo');
  firmId = firm.id;
  admin = await createUser(firm.id, { role: 'admin', name: 'Claire Dubois', email: 'claire@cabinet.fr' });
  admin2 = await createUser(firm.id, { role: 'admin', name: 'Bruno Admin', email: 'bruno@cabinet.fr' });
  lea = await createUser(firm.id, { name: 'Léa Martin', email: 'lea@cabinet.fr' });
  hugo = await createUser(firm.id, { name: 'Hugo Bernard', email: 'hugo@cabinet.fr' });
  retired = await createUser(firm.id, { name: 'Paul Ancien', email: 'paul@cabinet.fr', active: false });
  client = await createClient(firm.id, {
    name: 'Boucherie Lefèvre & Fils',
    team: [lea.id, hugo.id, retired.id, admin.id],
    balanceCents: -12_530,
  });
  await addExpenses(client.id, 4, { receipt: 'missing', export: 'ready' });
  lonely = await createClient(firm.id, { name: 'Sans Comptable', team: [retired.id] });
  const other = await createFirm();
  stranger = await createUser(other.id, { role: 'admin' });
  foreign = await createClient(other.id, { team: [stranger.id] });
});
afterAll(() => fake.stop());
beforeEach(async () => {
  fake.reset();
  await db.execute(sql`TRUNCATE reminders, reminder_recipients, outbox_emails CASCADE`);
});

const form = formData;

const token = () => crypto.randomUUID();
const valid = (extra: Record<string, string | string[]> = {}) => ({
  clientId: client.id,
  formToken: token(),
  tasks: ['missing_receipts', 'balance'],
  comment: 'Merci de relancer le client.',
  ...extra,
});

async function nothingStored() {
  expect(await db.select().from(reminders)).toEqual([]);
  expect(await queryRows(sql`SELECT * FROM outbox_emails`)).toEqual([]);
}

describe('Notifier les comptables', () => {
  it('e-mails each active assigned accountant once, the sender excepted, in one batch', async () => {
    const transport = resendTransport({
      apiKey: 're_test_key',
      baseUrl: fake.baseUrl,
      from: 'Portail <n@portail.test>',
    });
    const sender = { id: admin.id, firmId, role: 'admin' as const, name: admin.name };
    const result = await sendReminder(
      sender,
      {
        clientId: client.id,
        formToken: token(),
        tasks: ['missing_receipts', 'balance'],
        comment: 'Ligne 1\n<script>alert(1)</script>',
      },
      { transport },
    );
    expect(result.recipients).toEqual(['Hugo Bernard', 'Léa Martin']);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.path).toBe('/emails/batch');
    expect(fake.delivered.map((e) => e.to).sort()).toEqual(['hugo@cabinet.fr', 'lea@cabinet.fr']);
    const email = fake.delivered[0]!;
    expect(email.subject).toBe('Rappel\u202f: tâches en cours pour Boucherie Lefèvre & Fils');
    const text = email.text as string;
    expect(text).toContain('Claire Dubois vous rappelle');
    expect(text).toContain('- Reçus manquants\u202f: 4');
    expect(text).toContain('- Solde du compte\u202f: -125,30\u00a0€');
    // An answer goes to the admin who sent it; the greeting is by first name; the button opens
    // the tab the reminder is about.
    expect(fake.delivered.map((e) => e.reply_to)).toEqual(['claire@cabinet.fr', 'claire@cabinet.fr']);
    const toLea = fake.delivered.find((e) => e.to === 'lea@cabinet.fr')!;
    expect(toLea.text as string).toMatch(/^Bonjour Léa,/);
    expect(toLea.text as string).toContain(`/clients/${client.id}?vue=missing`);
    expect(text).not.toContain('Dépenses prêtes');
    expect(text).toContain('Ligne 1\n<script>alert(1)</script>');
    const html = email.html as string;
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(email.headers).toBeUndefined();
    const [row] = await listReminders(markVisible({ id: client.id, firmId }));
    expect(row!.recipients.map((r) => [r.name, r.state])).toEqual([
      ['Hugo Bernard', 'sent'],
      ['Léa Martin', 'sent'],
    ]);
  });

  it('can go to the client’s preparer or reviewer only (« La clôture du mois »)', async () => {
    await db.execute(
      sql`UPDATE clients SET close_preparer_id = ${lea.id}, close_reviewer_id = NULL WHERE id = ${client.id}`,
    );
    signInAs(admin);
    try {
      const sent = await sendReminderAction({ status: 'idle' }, form(valid({ target: 'preparer' })));
      expect(sent).toMatchObject({ status: 'success', data: { recipients: 'Léa Martin' } });
      expect((await db.select().from(reminderRecipients)).map((r) => r.email)).toEqual(['lea@cabinet.fr']);
      // No reviewer set: nobody to send to, nothing stored.
      await db.execute(sql`TRUNCATE reminders, reminder_recipients, outbox_emails CASCADE`);
      expect(await sendReminderAction({ status: 'idle' }, form(valid({ target: 'reviewer' })))).toMatchObject({
        status: 'error',
        message: expect.stringMatching(/^Aucun comptable/),
      });
      expect(await sendReminderAction({ status: 'idle' }, form(valid({ target: '__proto__' })))).toMatchObject({
        fieldErrors: { target: ['Choix invalide.'] },
      });
      await nothingStored();
    } finally {
      await db.execute(sql`UPDATE clients SET close_preparer_id = NULL WHERE id = ${client.id}`);
    }
  });

  it('sends once on a double submit of the same form, even at the same moment', async () => {
    signInAs(admin);
    const fields = valid();
    const [a, b] = await Promise.all([
      sendReminderAction({ status: 'idle' }, form(fields)),
      sendReminderAction({ status: 'idle' }, form(fields)),
    ]);
    const again = await sendReminderAction({ status: 'idle' }, form(fields));
    for (const state of [a, b, again]) expect(state.status).toBe('success');
    expect(again.message).toBe('Et voilà\u202f! Tous les comptables attribués à ce client recevront un e-mail.');
    expect(again.data?.recipients).toBe('Hugo Bernard, Léa Martin');
    expect(await db.select().from(reminders)).toHaveLength(1);
    expect(await queryRows(sql`SELECT to_address FROM outbox_emails ORDER BY to_address`)).toEqual([
      { to_address: 'hugo@cabinet.fr' },
      { to_address: 'lea@cabinet.fr' },
    ]);
  });

  it('keeps each reminder on the client, newest first', async () => {
    signInAs(admin);
    await sendReminderAction({ status: 'idle' }, form(valid({ comment: 'premier' })));
    signInAs(admin2);
    await sendReminderAction({ status: 'idle' }, form(valid({ comment: 'second', tasks: 'ready_to_export' })));
    const list = await listReminders(markVisible({ id: client.id, firmId }));
    expect(list.map((r) => [r.comment, r.senderName, r.tasks])).toEqual([
      ['second', 'Bruno Admin', ['ready_to_export']],
      ['premier', 'Claire Dubois', ['missing_receipts', 'balance']],
    ]);
    // Bruno is not assigned: Claire, assigned, gets his reminder.
    expect(list[0]!.recipients.map((r) => r.name)).toEqual(['Claire Dubois', 'Hugo Bernard', 'Léa Martin']);
  });

  it.each([
    ['no task ticked', () => valid({ tasks: [] }), 'tasks', 'Cochez au moins une tâche.'],
    ['an unknown task', () => valid({ tasks: 'delete_everything' }), 'tasks', 'Tâche inconnue.'],
    [
      'a comment over 2,000 characters',
      () => valid({ comment: 'a'.repeat(2001) }),
      'comment',
      'Le commentaire ne peut pas dépasser 2\u202f000 caractères.',
    ],
  ])('refuses %s, next to the field, and sends nothing', async (_label, fields, field, message) => {
    signInAs(admin);
    const state = await sendReminderAction({ status: 'idle' }, form(fields()));
    expect(state.status).toBe('error');
    expect(state.fieldErrors?.[field]?.[0]).toBe(message);
    await nothingStored();
  });

  it('says so when no active accountant is assigned', async () => {
    signInAs(admin);
    const state = await sendReminderAction({ status: 'idle' }, form(valid({ clientId: lonely.id })));
    expect(state).toMatchObject({ status: 'error', message: 'Aucun comptable n’est attribué à ce client.' });
    await nothingStored();
  });

  it.each([
    ['an accountant', () => lea, () => valid()],
    ['an anonymous caller', () => undefined, () => valid()],
    ['a deactivated user', () => retired, () => valid()],
    ['another firm’s admin', () => stranger, () => valid()],
    ['an admin, for another firm’s client', () => admin, () => valid({ clientId: foreign.id })],
    ['an admin, for a malformed client id', () => admin, () => valid({ clientId: 'x' })],
  ])('refuses %s calling the action directly: nothing sent, nothing stored', async (_label, who, fields) => {
    signInAs(who());
    const state = await sendReminderAction({ status: 'idle' }, form(fields()));
    expect(state.status).toBe('error');
    await nothingStored();
  });

  it('records a failed delivery and retries it with the same key when the form is sent again', async () => {
    const transport = resendTransport({
      apiKey: 're_test_key',
      baseUrl: fake.baseUrl,
      from: 'Portail <n@portail.test>',
    });
    const sender = { id: admin.id, firmId, role: 'admin' as const, name: admin.name };
    const input = { clientId: client.id, formToken: token(), tasks: ['balance' as const], comment: '' };
    fake.failNext({ status: 400, name: 'invalid_from_address' });
    await expect(sendReminder(sender, input, { transport })).rejects.toThrow('errors.reminderSendFailed');
    expect((await db.select().from(reminderRecipients)).map((r) => r.state)).toEqual(['failed', 'failed']);
    await sendReminder(sender, input, { transport });
    expect(fake.delivered).toHaveLength(2);
    expect(new Set(fake.requests.map((r) => r.headers['idempotency-key'])).size).toBe(1);
    expect(await db.select().from(reminders)).toHaveLength(1);
  });
});

describe('a reminder the provider refused for one accountant', () => {
  it('says who was not reached and what to do, and sending the form again reaches only them', async () => {
    const transport = resendTransport({
      apiKey: 're_test_key',
      baseUrl: fake.baseUrl,
      from: 'Portail <n@portail.test>',
    });
    const sender = { id: admin.id, firmId, role: 'admin' as const, name: admin.name };
    const input = { clientId: client.id, formToken: token(), tasks: ['balance' as const], comment: '' };
    fake.invalidAddresses.add('hugo@cabinet.fr');
    const first = await sendReminder(sender, input, { transport });
    expect(first.notReached).toEqual(['Hugo Bernard']);
    const { fr } = await import('./i18n');
    const message = reminderNotReachedMessage(fr.t, first);
    expect(message).toContain('Le rappel est parti pour Léa Martin, mais pas pour Hugo Bernard');
    expect(message).toContain('renvoyez ce formulaire');
    expect(message).not.toContain(fr.t('reminders.sent'));
    expect(fake.delivered.map((e) => e.to)).toEqual(['lea@cabinet.fr']);
    // Hugo's address is corrected at the provider; the same form again reaches him alone.
    fake.invalidAddresses.clear();
    const again = await sendReminder(sender, input, { transport });
    expect(again.notReached).toEqual([]);
    expect(fake.delivered.map((e) => e.to).sort()).toEqual(['hugo@cabinet.fr', 'lea@cabinet.fr']);
  });

  it('when nobody was reached, says so', () => {
    return import('./i18n').then(({ fr }) =>
      expect(
        reminderNotReachedMessage(fr.t, {
          reminderId: 'r',
          recipients: ['Hugo Bernard'],
          notReached: ['Hugo Bernard'],
        }),
      ).toMatch(/^Le rappel est enregistré, mais aucun e-mail n’est parti/),
    );
  });
});

describe('the reminders on the client’s details', () => {
  it('show the figures each was sent with, and the figures now', async () => {
    const { default: ClientDetailsPage } = await import('@/app/(app)/clients/[clientId]/details/page');
    const { renderPage } = await import('./render');
    signInAs(admin);
    await sendReminderAction({ status: 'idle' }, form({ ...valid(), tasks: ['missing_receipts'] }));
    // Two receipts arrive after the reminder.
    await db.execute(sql`UPDATE expenses SET receipt_state = 'attached' WHERE id IN (
      SELECT id FROM expenses WHERE client_id = ${client.id} AND receipt_state = 'missing' LIMIT 2)`);
    const html = renderPage(await ClientDetailsPage({ params: Promise.resolve({ clientId: client.id }) }));
    expect(html).toContain('Reçus manquants\u202f: 4 → 2');
  });
});
