import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { queryRows } from '@/db';
import { POST as uploadPost } from '@/app/recus/[token]/envoyer/route';
import { lineAmounts } from '@/lib/bookkeeping/vat';
import { hundredths, parseInvoiceXml, readFacturX } from '@/lib/receipts/facturx';
import { applyFacturX, findExpenseInvoice } from '@/lib/receipts/invoices';
import { requestReceipts } from '@/lib/receipts/requests';
import { resendTransport } from '@/lib/server/mail/transport';
import { withTestDatabase } from './db';
import { FakeResend } from './fake-resend';
import { addExpenses, createClient, createFirm, createUser, viewer } from './factories';
import { facturXml, facturXPdf, type FixtureInvoice } from './facturx-fixture';

const db = withTestDatabase();
const fake = new FakeResend();
beforeAll(() => fake.start());
afterAll(() => fake.stop());

/** 120,00 € on two rates: 100,00 € at 10 % (VAT 9,09) and 20,00 € at 20 % (VAT 3,33). */
const MIXED: FixtureInvoice = {
  lines: [
    { rate: '10.00', basis: '90.91', vat: '9.09' },
    { rate: '20.00', basis: '16.67', vat: '3.33' },
  ],
  net: '107.58',
  vat: '12.42',
  total: '120.00',
};

describe('reading a Factur-X invoice', () => {
  it('reads the embedded CII XML exactly: number, date, seller, SIREN, totals and VAT per rate', async () => {
    const read = await readFacturX(await facturXPdf(facturXml(MIXED)));
    expect(read).toEqual({
      kind: 'invoice',
      invoice: {
        number: 'F2026-0042',
        typeCode: '380',
        creditNote: false,
        issuedOn: '2026-11-03',
        sellerName: 'SNCF Voyageurs',
        sellerSiren: '519037584',
        sellerVatNumber: 'FR13519037584',
        currency: 'EUR',
        netCents: 10758,
        vatCents: 1242,
        totalCents: 12000,
        vat: [
          { rateBp: 1000, basisCents: 9091, vatCents: 909 },
          { rateBp: 2000, basisCents: 1667, vatCents: 333 },
        ],
      },
    });
  });

  it('takes the VAT total in the invoice’s currency, and a credit note as one', async () => {
    const read = parseInvoiceXml(
      facturXml({ ...MIXED, typeCode: '381', accountingVat: { currency: 'USD', amount: '13.99' } }),
    );
    expect(read.kind === 'invoice' && [read.invoice.creditNote, read.invoice.vatCents]).toEqual([true, 1242]);
  });

  it('says « none » for a PDF without it and « invalid » for anything it cannot trust', async () => {
    expect(await readFacturX(await facturXPdf(undefined))).toEqual({ kind: 'none' });
    expect(await readFacturX(await facturXPdf(facturXml(MIXED), 'notes.xml'))).toEqual({ kind: 'none' });
    // Bytes that are no PDF at all hold no invoice; a broken embedded file is not one either.
    expect(await readFacturX(new TextEncoder().encode('%PDF-1.7\n%garbage'))).toEqual({ kind: 'none' });
    expect(await readFacturX(await facturXPdf('pas du XML <'))).toMatchObject({ kind: 'invalid', reason: 'xml' });
    const bomb = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>${facturXml(MIXED).replace(/^<\?xml[^>]*>/, '')}`;
    expect(parseInvoiceXml(bomb)).toEqual({ kind: 'invalid', reason: 'xml' });
    // Totals that do not add up (BR-CO-14, BR-CO-15), amounts with a third decimal, a year 0000.
    expect(parseInvoiceXml(facturXml({ ...MIXED, total: '120.01' }))).toEqual({ kind: 'invalid', reason: 'totals' });
    expect(parseInvoiceXml(facturXml({ ...MIXED, vat: '12.43', total: '120.01' }))).toEqual({
      kind: 'invalid',
      reason: 'totals',
    });
    expect(parseInvoiceXml(facturXml({ ...MIXED, net: '107.581' }))).toEqual({ kind: 'invalid', reason: 'amounts' });
    expect(parseInvoiceXml(facturXml({ ...MIXED, issued: '00000101' }))).toEqual({ kind: 'invalid', reason: 'fields' });
    expect(parseInvoiceXml(facturXml({ ...MIXED, issued: '20260230' }))).toEqual({ kind: 'invalid', reason: 'fields' });
    expect(parseInvoiceXml(facturXml({ ...MIXED, number: '__proto__' })).kind).toBe('invoice');
  });

  it('turns decimal strings into cents without floating point', () => {
    expect([
      hundredths('0.1'),
      hundredths('12.30'),
      hundredths('-5.5'),
      hundredths('1.2300'),
      hundredths('1.231'),
    ]).toEqual([10, 1230, -550, 123, undefined]);
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (cents) => {
        const text = `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;
        return hundredths(text) === cents;
      }),
    );
  });

  it('reads back any invoice it is given, names with XML’s special characters included', () => {
    const rates = ['20.00', '10.00', '5.50', '2.10', '0.00'];
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...rates), { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 0, max: 10_000_000 }), { minLength: 4, maxLength: 4 }),
        fc
          .string({ minLength: 1, maxLength: 80 })
          .filter((s) => s.trim() === s && s.trim().length > 0 && !/[\u0000-\u001f\ud800-\udfff]/.test(s)),
        (chosen, bases, seller) => {
          const money = (c: number) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
          const lines = chosen.map((rate, i) => {
            const basis = bases[i]!;
            const vat = Math.round((basis * Number(rate.replace('.', ''))) / 10_000);
            return { rate, basis, vat };
          });
          const net = lines.reduce((n, l) => n + l.basis, 0);
          const vat = lines.reduce((n, l) => n + l.vat, 0);
          const read = parseInvoiceXml(
            facturXml({
              seller,
              lines: lines.map((l) => ({ rate: l.rate, basis: money(l.basis), vat: money(l.vat) })),
              net: money(net),
              vat: money(vat),
              total: money(net + vat),
            }),
          );
          expect(read.kind).toBe('invoice');
          if (read.kind !== 'invoice') return;
          expect(read.invoice.sellerName).toBe(seller);
          expect(read.invoice.totalCents).toBe(net + vat);
          expect(read.invoice.vat).toEqual(
            lines.map((l) => ({ rateBp: Number(l.rate.replace('.', '')), basisCents: l.basis, vatCents: l.vat })),
          );
          // What the coding derives from each rate's gross is the invoice's VAT, to the cent.
          for (const l of lines) {
            expect(lineAmounts(l.basis + l.vat, Number(l.rate.replace('.', '')), 100).vatCents).toBe(l.vat);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('a Factur-X receipt on an expense', () => {
  let clientId: string;
  let expenseId: string;
  beforeEach(async () => {
    await db.execute(
      sql`TRUNCATE firms, users, clients, assignments, expenses, receipt_requests, stored_files, outbox_emails CASCADE`,
    );
    const firm = await createFirm('Cabinet Démo');
    const lea = await createUser(firm.id, { name: 'Léa Martin', email: 'lea@cabinet.fr' });
    clientId = (await createClient(firm.id, { name: 'Boulangerie Soleil', team: [lea.id] })).id;
    expenseId = (await addExpenses(clientId, 1, { receipt: 'missing', amountCents: 12000 }))[0]!.id;
    await db.execute(sql`UPDATE expenses SET merchant = 'SNCF', card_holder_name = 'Camille Durand',
                           card_holder_email = 'camille@soleil.fr' WHERE id = ${expenseId}`);
  });
  const suggest = (account = '6251') =>
    db.execute(sql`
      WITH l AS (INSERT INTO expense_lines (expense_id, line_no, account, vat_rate_bp, gross_cents, deductible_pct)
                 VALUES (${expenseId}, 1, ${account}, 2000, 12000, 100))
      UPDATE expenses SET coding_suggested = true WHERE id = ${expenseId}`);
  const lines = () =>
    queryRows<{ line_no: number; account: string; vat_rate_bp: number; gross_cents: string }>(
      sql`SELECT line_no, account, vat_rate_bp, gross_cents::text FROM expense_lines WHERE expense_id = ${expenseId} ORDER BY line_no`,
    );

  it('sent through a request’s link, lands on its expense with its VAT per rate as the suggested coding', async () => {
    await suggest();
    {
      const lea = (
        await queryRows<{ id: string; firm_id: string; name: string }>(sql`SELECT id, firm_id, name FROM users`)
      )[0]!;
      await requestReceipts(
        viewer({ id: lea.id, firmId: lea.firm_id, role: 'accountant', name: lea.name }),
        { clientId, ids: [expenseId], comment: '', formToken: randomUUID() },
        {
          transport: resendTransport({
            apiKey: 're_test_key',
            baseUrl: fake.baseUrl,
            from: 'Portail <n@portail.test>',
          }),
          now: new Date('2026-11-30T14:00:00Z'),
        },
      );
      const token = /\/recus\/([A-Za-z0-9_-]{43})/.exec(String(fake.delivered[0]!.text))![1]!;
      const form = new FormData();
      form.append('expenseId', expenseId);
      form.append(
        'receipt',
        new Blob([new Uint8Array(await facturXPdf(facturXml(MIXED)))], { type: 'application/pdf' }),
        'facture.pdf',
      );
      const response = await uploadPost(
        new Request(`http://localhost/recus/${token}/envoyer`, { method: 'POST', body: form }),
        { params: Promise.resolve({ token }) },
      );
      expect(response.headers.get('location')).toContain(`recu=${expenseId}`);
    }
    expect(await lines()).toEqual([
      { line_no: 1, account: '6251', vat_rate_bp: 1000, gross_cents: '10000' },
      { line_no: 2, account: '6251', vat_rate_bp: 2000, gross_cents: '2000' },
    ]);
    const invoice = await findExpenseInvoice(expenseId);
    expect(invoice).toMatchObject({
      number: 'F2026-0042',
      sellerSiren: '519037584',
      totalCents: 12000,
      coding: 'applied',
    });
    const [state] = await queryRows<{ coding_state: string; coding_suggested: boolean; receipt_state: string }>(
      sql`SELECT coding_state, coding_suggested, receipt_state FROM expenses WHERE id = ${expenseId}`,
    );
    expect(state).toEqual({ coding_state: 'to_code', coding_suggested: true, receipt_state: 'attached' });
    // Read again (a retry): the same lines, one invoice row.
    await applyFacturX(expenseId, await facturXPdf(facturXml(MIXED)));
    expect(await lines()).toHaveLength(2);
    expect((await queryRows<{ n: number }>(sql`SELECT count(*)::int AS n FROM expense_invoices`))[0]!.n).toBe(1);
  });

  it('keeps the invoice but leaves the coding alone when it cannot say it', async () => {
    // No account known yet.
    expect((await applyFacturX(expenseId, await facturXPdf(facturXml(MIXED))))?.coding).toBe('no_account');
    expect(await lines()).toEqual([]);
    await suggest();
    // Another amount, another currency.
    const other = {
      lines: [{ rate: '20.00', basis: '100.00', vat: '20.00' }],
      net: '100.00',
      vat: '20.00',
      total: '120.00',
    };
    expect((await applyFacturX(expenseId, await facturXPdf(facturXml({ ...other, currency: 'USD' }))))?.coding).toBe(
      'currency_differs',
    );
    const small = {
      lines: [{ rate: '20.00', basis: '10.00', vat: '2.00' }],
      net: '10.00',
      vat: '2.00',
      total: '12.00',
    };
    expect((await applyFacturX(expenseId, await facturXPdf(facturXml(small))))?.coding).toBe('amount_differs');
    // A rate French VAT does not have.
    const odd = {
      lines: [{ rate: '19.00', basis: '100.84', vat: '19.16' }],
      net: '100.84',
      vat: '19.16',
      total: '120.00',
    };
    expect((await applyFacturX(expenseId, await facturXPdf(facturXml(odd))))?.coding).toBe('rate_unknown');
    expect(await lines()).toEqual([{ line_no: 1, account: '6251', vat_rate_bp: 2000, gross_cents: '12000' }]);
    // Coded by a person: the invoice is shown, the coding stays theirs.
    await db.execute(sql`UPDATE expenses SET coding_state = 'coded', coding_suggested = false WHERE id = ${expenseId}`);
    expect((await applyFacturX(expenseId, await facturXPdf(facturXml(MIXED))))?.coding).toBe('already_coded');
    expect(await lines()).toHaveLength(1);
    // A PDF that is not a Factur-X changes nothing.
    expect(await applyFacturX(expenseId, await facturXPdf(undefined))).toBeUndefined();
    expect((await findExpenseInvoice(expenseId))?.coding).toBe('already_coded');
  });
});
