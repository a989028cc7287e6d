// « Tout sélectionner (n) » on the Clients page: the server acts on the filtered list it reads
// itself, with the user's rights, never on a client outside that list, and only if the list still
// counts what the user was shown.
import { signInAs } from './session';
import { sql } from 'drizzle-orm';
import { queryRows } from '@/db';
import { assignments, notificationSubscriptions } from '@/db/schema';
import { bulkClientsAction } from '@/lib/clients/actions';
import { BULK_MAX } from '@/lib/clients/schemas';
import { withTestDatabase } from './db';
import { addExpenses, createClient, createFirm, createUser, formData } from './factories';
import { fr } from './i18n';

jest.mock('next/cache', () => ({ revalidatePath: jest.fn() }));

const db = withTestDatabase();
const idle = { status: 'idle' as const };

type User = Awaited<ReturnType<typeof createUser>>;
let admin: User;
let lea: User;
let hugo: User;
let strangerAdmin: User;
/** Names with « dupont » in them, assigned to Léa or to Hugo, in both firms. */
const ids: Record<string, string> = {};

beforeAll(async () => {
  const firm = await createFirm();
  admin = await createUser(firm.id, { role: 'admin' });
  lea = await createUser(firm.id);
  hugo = await createUser(firm.id);
  const other = await createFirm();
  strangerAdmin = await createUser(other.id, { role: 'admin' });
  const make = async (key: string, firmId: string, name: string, options: Parameters<typeof createClient>[1] = {}) => {
    ids[key] = (await createClient(firmId, { name, ...options })).id;
  };
  await make('leaDupont', firm.id, 'Boulangerie Dupont', { team: [lea.id] });
  await make('leaDupontMissing', firm.id, 'Garage Dupont', { team: [lea.id] });
  await make('hugoDupont', firm.id, 'Dupont & Fils', { team: [hugo.id] });
  await make('leaOther', firm.id, 'Pharmacie Martin', { team: [lea.id] });
  await make('onboardingDupont', firm.id, 'Dupont Bâtiment', { status: 'onboarding', team: [lea.id] });
  await make('invitationDupont', firm.id, 'Dupont Traiteur', { status: 'invitation' });
  await make('declinedDupont', firm.id, 'Dupont Transports', { status: 'declined' });
  await make('foreignDupont', other.id, 'Dupont Étranger', { team: [strangerAdmin.id] });
  await addExpenses(ids.leaDupontMissing!, 2, { receipt: 'missing' });
});

beforeEach(async () => {
  await db.delete(notificationSubscriptions);
  await db.delete(assignments).where(sql`user_id = ${admin.id}`);
});

const assignedToAdmin = async () =>
  (
    await db
      .select({ clientId: assignments.clientId })
      .from(assignments)
      .where(sql`user_id = ${admin.id}`)
  )
    .map((r) => r.clientId)
    .sort();
const subscribedBy = async (userId: string) =>
  (
    await db
      .select({ clientId: notificationSubscriptions.clientId })
      .from(notificationSubscriptions)
      .where(sql`user_id = ${userId}`)
  )
    .map((r) => r.clientId)
    .sort();
const sorted = (...keys: string[]) => keys.map((k) => ids[k]!).sort();
/** « Attribuer » with « Tout sélectionner (n) » ticked, as the admin's form sends it. */
const assignWholeList = (userId: string, list: Record<string, string | string[]>) =>
  bulkClientsAction(idle, formData({ op: 'assign', userId, scope: 'filter', ...list }));

describe('« Tout sélectionner (n) »', () => {
  it('assigns every client of the filtered list and no other one', async () => {
    signInAs(admin);
    const state = await assignWholeList(admin.id, { tab: 'tous', q: 'dupont', expected: '3' });
    expect(state).toEqual({
      status: 'success',
      message: fr.t('clients.bulkAssigned', { selected: 3, added: 3 }),
    });
    // The three connected « dupont » of the firm: not the onboarding, invited, declined or other
    // firm's ones, nor the connected client the search does not match.
    expect(await assignedToAdmin()).toEqual(sorted('leaDupont', 'leaDupontMissing', 'hugoDupont'));
  });

  it('keeps to the « Reçus manquants » filter and to the tab', async () => {
    signInAs(admin);
    expect(await assignWholeList(admin.id, { tab: 'tous', q: 'dupont', missing: '1', expected: '1' })).toMatchObject({
      status: 'success',
    });
    expect(await assignedToAdmin()).toEqual(sorted('leaDupontMissing'));
    await db.delete(assignments).where(sql`user_id = ${admin.id}`);
    expect(await assignWholeList(admin.id, { tab: 'integration', q: 'dupont', expected: '1' })).toMatchObject({
      status: 'success',
    });
    expect(await assignedToAdmin()).toEqual(sorted('onboardingDupont'));
  });

  it('ignores ids the browser sends along: only the list read on the server counts', async () => {
    signInAs(admin);
    await assignWholeList(admin.id, {
      tab: 'tous',
      q: 'martin',
      expected: '1',
      clientIds: [ids.foreignDupont!, ids.declinedDupont!, ids.hugoDupont!],
    });
    expect(await assignedToAdmin()).toEqual(sorted('leaOther'));
  });

  it('subscribes an accountant to her own filtered clients only, whatever tab the form names', async () => {
    signInAs(lea);
    const done = await bulkClientsAction(
      idle,
      formData({
        op: 'subscribe',
        frequency: 'weekly',
        scope: 'filter',
        tab: 'mes-clients',
        q: 'dupont',
        expected: '2',
      }),
    );
    expect(done).toMatchObject({ status: 'success' });
    expect(await subscribedBy(lea.id)).toEqual(sorted('leaDupont', 'leaDupontMissing'));
    await db.delete(notificationSubscriptions);
    // « Tous » is the admins': for her it holds nothing, so nothing is done.
    const refused = await bulkClientsAction(
      idle,
      formData({ op: 'subscribe', frequency: 'weekly', scope: 'filter', tab: 'tous', q: 'dupont', expected: '3' }),
    );
    expect(refused).toEqual({ status: 'error', message: fr.t('errors.selectionChanged', { count: 0 }) });
    expect(await subscribedBy(lea.id)).toEqual([]);
    // Nor may she assign, even the whole list.
    expect(await assignWholeList(lea.id, { tab: 'mes-clients', q: 'dupont', expected: '2' })).toEqual({
      status: 'error',
      message: fr.t('errors.adminOnly'),
    });
    expect(
      await db
        .select()
        .from(assignments)
        .where(sql`user_id = ${lea.id} AND client_id = ${ids.hugoDupont!}`),
    ).toEqual([]);
  });

  it('another firm’s admin reaches only their own firm’s list', async () => {
    signInAs(strangerAdmin);
    await assignWholeList(strangerAdmin.id, { tab: 'tous', q: 'dupont', expected: '1' });
    const theirs = await db
      .select()
      .from(assignments)
      .where(sql`user_id = ${strangerAdmin.id}`);
    expect(theirs.map((a) => a.clientId)).toEqual([ids.foreignDupont]);
  });

  it('changes nothing when the list no longer counts what the user was shown', async () => {
    signInAs(admin);
    const state = await assignWholeList(admin.id, { tab: 'tous', q: 'dupont', expected: '2' });
    expect(state).toEqual({ status: 'error', message: fr.t('errors.selectionChanged', { count: 3 }) });
    expect(state.message).toContain('Rien n’a été modifié');
    expect(await assignedToAdmin()).toEqual([]);
    // Submitted again as the message says, with the list as it now is: it goes through once.
    for (let i = 0; i < 2; i += 1) {
      await assignWholeList(admin.id, { tab: 'tous', q: 'dupont', expected: '3' });
    }
    expect(await assignedToAdmin()).toEqual(sorted('leaDupont', 'leaDupontMissing', 'hugoDupont'));
  });

  it('refuses a list longer than it may act on, and bad input, with a French message', async () => {
    signInAs(admin);
    const big = await createFirm();
    const bigAdmin = await createUser(big.id, { role: 'admin' });
    await queryRows(
      sql`INSERT INTO clients (firm_id, name, status) SELECT ${big.id}::uuid, 'Masse ' || i, 'active' FROM generate_series(1, ${BULK_MAX + 1}::int) AS i`,
    );
    signInAs(bigAdmin);
    expect(await assignWholeList(bigAdmin.id, { tab: 'tous', q: 'masse', expected: '1000' })).toEqual({
      status: 'error',
      message: fr.t('errors.tooManyClients', { max: BULK_MAX }),
    });
    expect(
      await db
        .select()
        .from(assignments)
        .where(sql`user_id = ${bigAdmin.id}`),
    ).toEqual([]);
    signInAs(admin);
    for (const fields of [
      { q: 'dup\u0000ont', expected: '3' },
      { q: 'dupont', expected: '__proto__' },
      { q: 'dupont', tab: '__proto__', expected: '3' },
    ]) {
      const state = await assignWholeList(admin.id, { tab: 'tous', ...fields });
      expect(state.status).toBe('error');
      expect(state.message).toMatch(/^[A-ZÀ-Ý]/);
    }
    expect(await assignedToAdmin()).toEqual([]);
  });

  it('still refuses an empty selection when the whole list is not ticked', async () => {
    signInAs(admin);
    expect(await bulkClientsAction(idle, formData({ op: 'assign', userId: admin.id }))).toMatchObject({
      status: 'error',
      fieldErrors: { clientIds: [fr.t('validation.selectClients')] },
    });
  });
});
