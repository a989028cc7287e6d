import {
  evidenceFromInvoice,
  evidenceFromText,
  matchDocument,
  merchantScore,
  foldText,
  type Candidate,
} from '@/lib/receipts/match';
import { decideAll, loadMatchFixture } from './match-set';

const expense = (id: string, amountCents: number, spentOn: string, merchant: string, currency = 'EUR'): Candidate => ({
  id,
  amountCents,
  currency,
  spentOn,
  merchant,
});

describe('reading a document', () => {
  it('finds amounts written the French way, with a currency, and the first full date', () => {
    const evidence = evidenceFromText('Montant : 1 234,50 €\nTVA : EUR 205.75\nDate : 03/11/2026', '2026-11-10');
    expect(evidence.amounts).toEqual([
      { cents: 123450, currency: 'EUR' },
      { cents: 20575, currency: 'EUR' },
    ]);
    expect(evidence.date).toBe('2026-11-03');
    expect(evidenceFromText('le 3 novembre 2026, -12,00 €', '2026-11-10')).toMatchObject({
      amounts: [{ cents: -1200, currency: 'EUR' }],
      date: '2026-11-03',
    });
    expect(evidenceFromText('USD 59.99 — 2026-11-31', '2026-12-01')).toMatchObject({
      amounts: [{ cents: 5999, currency: 'USD' }],
      date: undefined,
    });
  });

  it('guesses nothing from a bare number, and nothing breaks on hostile text', () => {
    expect(evidenceFromText('Commande 4590 du 0000-01-01', '2026-11-10')).toMatchObject({
      amounts: [],
      date: undefined,
    });
    for (const text of ['\u0000', '__proto__', '\ud800 12,00 €', '9'.repeat(400) + ',00 €']) {
      expect(() => evidenceFromText(text, '2026-11-10')).not.toThrow();
    }
  });

  it('knows a merchant written otherwise', () => {
    expect(merchantScore('Bureau Vallée', foldText('BUREAUVALLEE PARIS 11'))).toBe(1);
    expect(merchantScore('Boulangerie Soleil', foldText('BOULANG SOLEIL'))).toBe(1);
    expect(merchantScore('Orange', foldText('Free Mobile'))).toBe(0);
  });
});

describe('deciding', () => {
  it('attaches only when one expense fits on amount, date and merchant', () => {
    const candidates = [expense('a', 4590, '2026-11-03', 'SNCF Connect'), expense('b', 4590, '2026-11-04', 'Monoprix')];
    const evidence = evidenceFromText('Votre reçu SNCF Connect\n45,90 €\n03/11/2026', '2026-11-05');
    expect(matchDocument(evidence, candidates)).toEqual({ kind: 'auto', expenseId: 'a' });
    // The same amount with no merchant named: a suggestion, never an attachment.
    expect(matchDocument(evidenceFromText('Fwd: 45,90 €', '2026-11-05'), candidates).kind).toBe('suggestion');
  });

  it('does not pick a month of a subscription when the document states no date', () => {
    const months = [
      expense('sep', 1999, '2026-09-02', 'Free Mobile'),
      expense('oct', 1999, '2026-10-01', 'Free Mobile'),
    ];
    expect(matchDocument(evidenceFromText('Free Mobile 19,99 €', '2026-10-05'), months).kind).toBe('suggestion');
    expect(matchDocument(evidenceFromText('Free Mobile 19,99 € 01/10/2026', '2026-10-05'), months)).toEqual({
      kind: 'auto',
      expenseId: 'oct',
    });
  });

  it('reads a Factur-X credit note as the negative expense it is', () => {
    const refund = expense('r', -2599, '2026-11-02', 'Amazon');
    const evidence = evidenceFromInvoice(
      { totalCents: 2599, currency: 'EUR', issuedOn: '2026-11-02', sellerName: 'Amazon EU S.à r.l.', creditNote: true },
      '2026-11-04',
      'avoir.pdf',
    );
    expect(matchDocument(evidence, [refund, expense('p', 2599, '2026-11-02', 'Amazon')])).toEqual({
      kind: 'auto',
      expenseId: 'r',
    });
  });

  it('holds the other currency apart', () => {
    const evidence = evidenceFromText('Adobe USD 59.99 02/11/2026', '2026-11-03');
    expect(matchDocument(evidence, [expense('eur', 5999, '2026-11-02', 'Adobe')]).kind).toBe('suggestion');
    expect(matchDocument(evidence, [expense('usd', 5999, '2026-11-02', 'Adobe', 'USD')])).toEqual({
      kind: 'auto',
      expenseId: 'usd',
    });
  });
});

describe('the labelled set (issue 28: ≥ 200 pairs)', () => {
  const fixture = loadMatchFixture();
  const decided = decideAll(fixture);

  it('holds at least 200 document–expense pairs, and documents of no expense', () => {
    expect(fixture.documents.filter((d) => d.expected !== null).length).toBeGreaterThanOrEqual(200);
    expect(fixture.documents.some((d) => d.expected === null)).toBe(true);
  });

  it('attaches by itself at least 99 % rightly, and never a document of no expense', () => {
    const auto = decided.filter((d) => d.result.kind === 'auto');
    const right = auto.filter((d) => d.result.kind === 'auto' && d.result.expenseId === d.document.expected);
    expect(auto.length).toBeGreaterThan(0);
    expect(right.length / auto.length).toBeGreaterThanOrEqual(0.99);
    expect(decided.filter((d) => d.document.expected === null && d.result.kind === 'auto')).toEqual([]);
  });

  it('matches or rightly suggests at least 80 % of the documents that belong to an expense', () => {
    const belonging = decided.filter((d) => d.document.expected !== null);
    const covered = belonging.filter((d) => d.result.kind !== 'none' && d.result.expenseId === d.document.expected);
    expect(covered.length / belonging.length).toBeGreaterThanOrEqual(0.8);
  });
});
