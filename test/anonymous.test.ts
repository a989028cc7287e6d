import { sql } from 'drizzle-orm';
import { signInAs } from './session';
import { queryRows } from '@/db';
import { fr } from './i18n';
import { saveLocaleAction } from '@/lib/account/actions';
import { assignAction, unassignAction } from '@/lib/assignments/actions';
import { bulkClientsAction } from '@/lib/clients/actions';
import { exportExpensesAction } from '@/lib/exports/actions';
import { saveNotificationPreference } from '@/lib/notifications/actions';
import { acceptConnectionRequestAction, declineConnectionRequestAction } from '@/lib/connection-requests/actions';
import { inviteClientAction } from '@/lib/onboarding/actions';
import { sendReminderAction } from '@/lib/reminders/actions';
import { changeRoleAction, inviteMemberAction, setActiveAction } from '@/lib/team/actions';
import { withTestDatabase } from './db';
import { addExpenses, createClient, createFirm, createUser, formData } from './factories';

jest.mock('next/cache', () => ({ revalidatePath: jest.fn() }));

withTestDatabase();

// Every server action that needs a session, called with none: the same answer, and nothing
// written anywhere.
describe('server actions without a live session', () => {
  let fields: Record<string, string | string[]>;

  beforeAll(async () => {
    const firm = await createFirm();
    const lea = await createUser(firm.id);
    const client = await createClient(firm.id, { team: [lea.id] });
    await addExpenses(client.id, 2, { export: 'ready', receipt: 'missing' });
    fields = {
      clientId: client.id,
      clientIds: [client.id],
      userId: lea.id,
      role: 'admin',
      active: 'false',
      email: 'on',
      frequency: 'daily',
      tasks: ['missing_receipts'],
      comment: 'x',
      formToken: crypto.randomUUID(),
      name: 'Nouveau',
      contactEmail: 'contact@nouveau.fr',
    };
  });

  const snapshot = () =>
    queryRows(sql`SELECT
      (SELECT count(*)::int FROM clients) AS clients, (SELECT count(*)::int FROM assignments) AS assignments,
      (SELECT count(*)::int FROM notification_subscriptions) AS subscriptions, (SELECT count(*)::int FROM reminders) AS reminders,
      (SELECT count(*)::int FROM expense_exports) AS exports, (SELECT count(*)::int FROM user_invitations) AS invitations,
      (SELECT count(*)::int FROM outbox_emails) AS emails, (SELECT string_agg(role::text || active::text || locale::text, ',' ORDER BY id) FROM users) AS users,
      (SELECT string_agg(status::text, ',' ORDER BY id) FROM clients) AS statuses`);

  it.each([
    ['saveNotificationPreference', saveNotificationPreference],
    ['sendReminderAction', sendReminderAction],
    ['exportExpensesAction', exportExpensesAction],
    ['acceptConnectionRequestAction', acceptConnectionRequestAction],
    ['declineConnectionRequestAction', declineConnectionRequestAction],
    ['inviteClientAction', inviteClientAction],
    ['assignAction', assignAction],
    ['unassignAction', unassignAction],
    ['bulkClientsAction', bulkClientsAction],
    ['inviteMemberAction', inviteMemberAction],
    ['changeRoleAction', changeRoleAction],
    ['setActiveAction', setActiveAction],
    ['saveLocaleAction', saveLocaleAction],
  ])('%s refuses an anonymous caller and changes nothing', async (_name, action) => {
    signInAs(undefined);
    const before = await snapshot();
    const state = await action({ status: 'idle' }, formData({ ...fields, email: 'x@nouveau.fr', locale: 'en' }));
    expect(state).toEqual({ status: 'error', message: fr.t('errors.signedOut') });
    expect(await snapshot()).toEqual(before);
  });
});
