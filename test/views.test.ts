import { signInAs } from './session';
import { sql } from 'drizzle-orm';
import { queryRows } from '@/db';
import { deleteViewAction, saveViewAction } from '@/lib/views/actions';
import { findView, listViews } from '@/lib/views/views';
import { withTestDatabase } from './db';
import { createFirm, createUser, formData, viewer } from './factories';

jest.mock('next/cache', () => ({ revalidatePath: jest.fn() }));

withTestDatabase();
const idle = { status: 'idle' as const };

describe('saved views of the Clients page', () => {
  it('are their owner’s or shared with the firm, keep a clean state, and are deleted by their owner or an admin', async () => {
    const firm = await createFirm();
    const admin = await createUser(firm.id, { role: 'admin' });
    const lea = await createUser(firm.id);
    const hugo = await createUser(firm.id);
    const outsider = await createUser((await createFirm()).id, { role: 'admin' });

    signInAs(admin);
    expect(await saveViewAction(idle, formData({ name: ' ', query: '' }))).toMatchObject({
      fieldErrors: { name: ['Le nom de la vue\u202f: 1 à 60 caractères.'] },
    });
    const query =
      'tab=tous&retard=1&sort=vat&dir=desc&page=7&__proto__=x&taille=999&q=%00boul&colonnes=tva%2Cechec%2Csolde';
    expect(
      await saveViewAction(idle, formData({ name: 'Grands comptes en retard', shared: '1', query })),
    ).toMatchObject({ status: 'success' });
    // Saved again (a double click): the same view, updated.
    expect(
      await saveViewAction(idle, formData({ name: 'grands comptes en retard', shared: '1', query })),
    ).toMatchObject({ status: 'success' });
    const [shared] = await listViews(viewer(admin));
    expect(shared).toMatchObject({ name: 'Grands comptes en retard', shared: true, mine: true });
    // What the page would write for it: no page, nothing unknown, nothing malformed.
    // Its columns too: the known ones, in the table's order.
    expect(shared!.query).toBe('tab=tous&q=boul&retard=1&sort=vat&dir=desc&colonnes=solde%2Ctva');

    signInAs(lea);
    expect(await saveViewAction(idle, formData({ name: 'Mes relances', query: 'missing=1' }))).toMatchObject({
      status: 'success',
    });
    expect((await listViews(viewer(lea))).map((v) => [v.name, v.mine])).toEqual([
      ['Grands comptes en retard', false],
      ['Mes relances', true],
    ]);
    // Hugo sees the shared view, not Léa's; another firm sees none.
    expect((await listViews(viewer(hugo))).map((v) => v.name)).toEqual(['Grands comptes en retard']);
    const [mine] = await queryRows<{ id: string }>(sql`SELECT id FROM saved_views WHERE name = 'Mes relances'`);
    expect(await findView(viewer(hugo), mine!.id)).toBeUndefined();
    expect(await findView(viewer(outsider), shared!.id)).toBeUndefined();
    expect(await findView(viewer(hugo), 'pas-un-id')).toBeUndefined();

    // Deleting: not Léa's shared by the admin; Léa's own, yes; the admin may remove a shared one.
    expect(await deleteViewAction(idle, formData({ viewId: shared!.id }))).toMatchObject({
      message: 'Seul son auteur ou un administrateur peut supprimer cette vue.',
    });
    signInAs(hugo);
    expect(await deleteViewAction(idle, formData({ viewId: mine!.id }))).toMatchObject({
      message: 'Vue introuvable.',
    });
    signInAs(outsider);
    expect(await deleteViewAction(idle, formData({ viewId: shared!.id }))).toMatchObject({
      message: 'Vue introuvable.',
    });
    signInAs(admin);
    expect(await deleteViewAction(idle, formData({ viewId: shared!.id }))).toMatchObject({ status: 'success' });
    expect((await listViews(viewer(lea))).map((v) => v.name)).toEqual(['Mes relances']);
    const journal = await queryRows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM activity_log WHERE firm_id = ${firm.id} AND action = 'view_shared'`,
    );
    expect(journal[0]!.n).toBe(2);
  });
});
