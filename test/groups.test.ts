import { signInAs } from './session';
import { sql } from 'drizzle-orm';
import { queryRows } from '@/db';
import { bulkClientsAction } from '@/lib/clients/actions';
import { listClients } from '@/lib/clients/queries';
import { parseClientListParams, type ClientListParams } from '@/lib/clients/schemas';
import { listBoard } from '@/lib/close/board';
import { createGroupAction, deleteGroupAction, removeFromGroupAction, renameGroupAction } from '@/lib/groups/actions';
import { listGroups } from '@/lib/groups/groups';
import { withTestDatabase } from './db';
import { addExpenses, createClient, createFirm, createUser, formData, viewer } from './factories';

jest.mock('next/cache', () => ({ revalidatePath: jest.fn() }));

const db = withTestDatabase();
const idle = { status: 'idle' as const };
const params = (change: Partial<ClientListParams>) => ({ ...parseClientListParams({}), ...change });

async function groupId(name: string): Promise<string> {
  const [row] = await queryRows<{ id: string }>(sql`SELECT id FROM client_groups WHERE name = ${name}`);
  return row!.id;
}

describe('client groups', () => {
  it('firm-wide ones are the admins’, personal ones their owner’s; each filters only what one may see', async () => {
    const firm = await createFirm();
    const admin = await createUser(firm.id, { role: 'admin' });
    const lea = await createUser(firm.id, { name: 'Léa Martin' });
    const hugo = await createUser(firm.id, { name: 'Hugo Bernard' });
    const big = await createClient(firm.id, { name: 'Grand Un', team: [lea.id] });
    const big2 = await createClient(firm.id, { name: 'Grand Deux', team: [hugo.id] });
    const small = await createClient(firm.id, { name: 'Petit', team: [lea.id] });
    const outsider = await createUser((await createFirm()).id, { role: 'admin' });

    // Léa may not make a firm-wide group; her own, yes; names are checked.
    signInAs(lea);
    expect(await createGroupAction(idle, formData({ name: 'Grands comptes', firmWide: '1' }))).toMatchObject({
      message: 'Cette action est réservée aux administrateurs.',
    });
    expect(await createGroupAction(idle, formData({ name: '  ' }))).toMatchObject({
      fieldErrors: { name: ['Le nom du groupe\u202f: 1 à 60 caractères.'] },
    });
    expect((await createGroupAction(idle, formData({ name: 'x'.repeat(61) }))).status).toBe('error');
    expect((await createGroupAction(idle, formData({ name: 'A\u0000B' }))).status).toBe('error');
    expect(await createGroupAction(idle, formData({ name: 'Mes urgences' }))).toMatchObject({ status: 'success' });
    expect(await createGroupAction(idle, formData({ name: 'mes  URGENCES' }))).toMatchObject({
      message: 'Un groupe porte déjà ce nom\u202f: choisissez-en un autre.',
    });
    signInAs(hugo);
    expect(await createGroupAction(idle, formData({ name: 'Mes urgences' }))).toMatchObject({ status: 'success' });
    signInAs(admin);
    expect(await createGroupAction(idle, formData({ name: 'Grands comptes', firmWide: '1' }))).toMatchObject({
      status: 'success',
    });
    const firmGroup = await groupId('Grands comptes');
    const [leaGroup, hugoGroup] = await queryRows<{ id: string }>(
      sql`SELECT id FROM client_groups WHERE name = 'Mes urgences' ORDER BY owner_id = ${lea.id} DESC`,
    ).then((rows) => rows.map((r) => r.id));

    // The admin fills the firm's group from the Clients page's bulk bar.
    const bulk = (fields: Record<string, string | string[]>) =>
      bulkClientsAction(idle, formData({ op: 'group', scope: 'selection', ...fields }));
    expect(await bulk({ clientIds: [big.id, big2.id], groupId: firmGroup })).toMatchObject({
      status: 'success',
      message: '2 clients ajoutés à «\u202fGrands comptes\u202f».',
    });
    // Again (a retry): nothing twice.
    expect((await bulk({ clientIds: [big.id], groupId: firmGroup })).message).toMatch(/déjà dans/);
    expect(await bulk({ clientIds: [big.id], groupId: hugoGroup! })).toMatchObject({ message: 'Groupe introuvable.' });

    // Léa: not the firm's group to fill; hers with her clients only.
    signInAs(lea);
    expect(await bulk({ clientIds: [small.id], groupId: firmGroup })).toMatchObject({
      message: 'Cette action est réservée aux administrateurs.',
    });
    expect(await bulk({ clientIds: [big2.id], groupId: leaGroup! })).toMatchObject({ message: 'Client introuvable.' });
    expect(await bulk({ clientIds: [small.id, big.id], groupId: leaGroup! })).toMatchObject({ status: 'success' });
    expect(await bulk({ clientIds: [small.id], groupId: hugoGroup! })).toMatchObject({
      message: 'Groupe introuvable.',
    });
    expect(await renameGroupAction(idle, formData({ groupId: firmGroup, name: 'Autre' }))).toMatchObject({
      message: 'Cette action est réservée aux administrateurs.',
    });
    expect(await deleteGroupAction(idle, formData({ groupId: hugoGroup! }))).toMatchObject({
      message: 'Groupe introuvable.',
    });

    // What each sees: the firm's group and her own, counting her clients only.
    expect((await listGroups(viewer(lea), { counts: true })).map((g) => [g.name, g.personal, g.clients])).toEqual([
      ['Grands comptes', false, 1],
      ['Mes urgences', true, 2],
    ]);
    const names = async (who: typeof lea, change: Partial<ClientListParams>) =>
      (await listClients(viewer(who), params(change))).rows.map((r) => r.name);
    expect(await names(lea, { group: firmGroup })).toEqual(['Grand Un']);
    expect(await names(admin, { tab: 'tous', group: firmGroup })).toEqual(['Grand Deux', 'Grand Un']);
    // The count says the same as the rows (« Mes clients » was counted from her assignments alone).
    for (const [who, change, total] of [
      [lea, { group: firmGroup }, 1],
      [lea, { group: leaGroup }, 2],
      [lea, { group: firmGroup, missingOnly: true }, 0],
      [admin, { tab: 'tous', group: firmGroup }, 2],
    ] as const)
      expect((await listClients(viewer(who), params(change))).total).toBe(total);
    const board = await listBoard(viewer(lea), {
      month: '2026-11',
      group: leaGroup,
      late: false,
      week: false,
      sort: 'due',
      page: 1,
      size: 25,
    });
    expect(board.rows.map((r) => r.name).sort()).toEqual(['Grand Un', 'Petit']);

    // « Tout sélectionner » on a group: the whole group assigned at once, read again on the server.
    signInAs(admin);
    expect(
      await bulkClientsAction(
        idle,
        formData({ op: 'assign', scope: 'filter', tab: 'tous', groupe: firmGroup, expected: '2', userId: lea.id }),
      ),
    ).toMatchObject({ status: 'success' });
    expect(await names(lea, { group: firmGroup })).toEqual(['Grand Deux', 'Grand Un']);
    // Another firm's admin: the group is nobody's there.
    signInAs(outsider);
    expect(
      await bulkClientsAction(
        idle,
        formData({ op: 'assign', scope: 'filter', tab: 'tous', groupe: firmGroup, expected: '2', userId: outsider.id }),
      ),
    ).toMatchObject({ message: 'Groupe introuvable.' });

    // Out of a group, and the group gone; the Journal keeps the firm's group's life.
    signInAs(admin);
    expect(await removeFromGroupAction(idle, formData({ groupId: firmGroup, clientId: big.id }))).toMatchObject({
      status: 'success',
    });
    expect(await names(admin, { tab: 'tous', group: firmGroup })).toEqual(['Grand Deux']);
    expect(await deleteGroupAction(idle, formData({ groupId: firmGroup }))).toMatchObject({ status: 'success' });
    const journal = await queryRows<{ action: string; details: Record<string, unknown> }>(
      sql`SELECT action, details FROM activity_log WHERE firm_id = ${firm.id} AND action LIKE 'group%' ORDER BY at, action`,
    );
    expect(journal).toEqual([
      { action: 'group_created', details: { group: 'Grands comptes' } },
      { action: 'group_clients_added', details: { group: 'Grands comptes', clients: 2 } },
      { action: 'group_deleted', details: { group: 'Grands comptes' } },
    ]);
  });

  it('an admin’s group tabs are counted from the members, whose copy of each client’s state follows every change', async () => {
    const firm = await createFirm();
    const admin = await createUser(firm.id, { role: 'admin' });
    const a = await createClient(firm.id, { name: 'Alpha' });
    const b = await createClient(firm.id, { name: 'Bêta' });
    const c = await createClient(firm.id, { name: 'Gamma', status: 'onboarding' });
    const outside = await createClient(firm.id, { name: 'Hors groupe' });
    await addExpenses(a.id, 2, { receipt: 'missing' });
    await addExpenses(outside.id, 1, { receipt: 'missing' });
    signInAs(admin);
    await createGroupAction(idle, formData({ name: 'Grands comptes', firmWide: '1' }));
    const group = await groupId('Grands comptes');
    // Added after its missing receipts: the membership takes the client's state as it is.
    await bulkClientsAction(
      idle,
      formData({ op: 'group', scope: 'selection', clientIds: [a.id, b.id, c.id], groupId: group }),
    );
    const seen = async (change: Partial<ClientListParams>) => {
      const page = await listClients(viewer(admin), params({ group, ...change }));
      return { total: page.total, names: page.rows.map((r) => r.name) };
    };
    expect(await seen({ tab: 'tous' })).toEqual({ total: 2, names: ['Alpha', 'Bêta'] });
    expect(await seen({ tab: 'tous', missingOnly: true })).toEqual({ total: 1, names: ['Alpha'] });
    expect(await seen({ tab: 'integration' })).toEqual({ total: 1, names: ['Gamma'] });

    // A receipt goes missing at Bêta, Alpha's come in, Gamma becomes active: the counts follow.
    await addExpenses(b.id, 1, { receipt: 'missing' });
    await db.execute(sql`UPDATE expenses SET receipt_state = 'attached' WHERE client_id = ${a.id}`);
    await db.execute(sql`UPDATE clients SET status = 'active' WHERE id = ${c.id}`);
    expect(await seen({ tab: 'tous', missingOnly: true })).toEqual({ total: 1, names: ['Bêta'] });
    expect(await seen({ tab: 'tous' })).toEqual({ total: 3, names: ['Alpha', 'Bêta', 'Gamma'] });
    expect(await seen({ tab: 'integration' })).toEqual({ total: 0, names: [] });
    // The copy equals its client, row by row.
    const differing = await queryRows(
      sql`SELECT m.client_id FROM client_group_members m JOIN clients c ON c.id = m.client_id
          WHERE m.client_status <> c.status OR m.client_missing <> (c.missing_receipts > 0)`,
    );
    expect(differing).toEqual([]);
  });
});
