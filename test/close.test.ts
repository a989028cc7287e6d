import { eq } from 'drizzle-orm';
import { signInAs } from './session';
import { clients, firms } from '@/db/schema';
import { setCloseRulesAction, setVatRegimeAction } from '@/lib/close/actions';
import { clientDeadline, monthToClose } from '@/lib/close/deadlines';
import { withTestDatabase } from './db';
import { createClient, createFirm, createUser, formData } from './factories';

jest.mock('next/cache', () => ({ revalidatePath: jest.fn() }));

const db = withTestDatabase();
const idle = { status: 'idle' as const };

describe('a client’s VAT regime and the firm’s close rule', () => {
  it('are set by the firm’s admins only, with French messages, and give the month’s close date', async () => {
    const firm = await createFirm();
    const admin = await createUser(firm.id, { role: 'admin' });
    const lea = await createUser(firm.id);
    const other = await createUser((await createFirm()).id, { role: 'admin' });
    const client = await createClient(firm.id, { team: [lea.id] });
    const form = (fields: Record<string, string> = {}) =>
      formData({ clientId: client.id, siren: '732 829 320', regime: 'trimestriel', dueDay: '24', ...fields });

    for (const who of [lea, other]) {
      signInAs(who);
      expect((await setVatRegimeAction(idle, form())).status).toBe('error');
    }
    signInAs(admin);
    expect((await setVatRegimeAction(idle, form({ dueDay: '25' }))).fieldErrors?.dueDay?.[0]).toBe(
      'Jour d’échéance\u202f: de 15 à 24.',
    );
    expect((await setVatRegimeAction(idle, form({ regime: 'mensuelle' }))).fieldErrors?.regime?.[0]).toBe(
      'Choix invalide.',
    );
    expect((await setVatRegimeAction(idle, form({ siren: '732829321' }))).fieldErrors?.siren?.[0]).toMatch(
      /SIREN invalide/,
    );
    expect(await setVatRegimeAction(idle, form())).toMatchObject({ status: 'success' });
    const [row] = await db.select().from(clients).where(eq(clients.id, client.id));
    expect(row).toMatchObject({ vatRegime: 'trimestriel', vatDueDay: 24, siren: '732829320' });

    expect(await setCloseRulesAction(idle, formData({ closeWorkingDays: '5', franchiseCloseDay: '10' }))).toMatchObject(
      {
        status: 'success',
      },
    );
    expect(
      (await setCloseRulesAction(idle, formData({ closeWorkingDays: '-1', franchiseCloseDay: '31' }))).fieldErrors,
    ).toMatchObject({
      closeWorkingDays: ['De 0 à 15 jours ouvrés.'],
      franchiseCloseDay: ['Un jour du mois, de 1 à 28.'],
    });
    signInAs(lea);
    expect(await setCloseRulesAction(idle, formData({ closeWorkingDays: '0', franchiseCloseDay: '1' }))).toMatchObject({
      status: 'error',
    });
    const [rules] = await db.select().from(firms).where(eq(firms.id, firm.id));
    expect(rules).toMatchObject({ closeWorkingDays: 5, franchiseCloseDay: 10 });

    // November 2026, quarterly on the 24th: the Q4 return on 25 January 2027 (24 is a Sunday), the
    // close five working days before.
    expect(await clientDeadline(row!, '2026-11')).toEqual({
      kind: 'ca3_trimestre',
      due: '2027-01-25',
      close: '2027-01-18',
    });
    expect(monthToClose(new Date('2026-12-01T00:30:00+01:00'))).toBe('2026-11');
    expect(monthToClose(new Date('2026-11-30T23:30:00Z'))).toBe('2026-11'); // 1 December in Paris
    expect(monthToClose(new Date('2027-01-15T12:00:00Z'))).toBe('2026-12');
  });
});
