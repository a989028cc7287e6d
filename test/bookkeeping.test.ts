import fc from 'fast-check';
import { decodeText, encodeText } from '@/lib/bookkeeping/charsets';
import { entryLines, supplierCode, type FrozenBooks, type FrozenEntry } from '@/lib/bookkeeping/entries';
import { FEC_FIELDS, fecAmount, fecEntry, fecFileName, fecHeader } from '@/lib/bookkeeping/fec';
import { validateFec, validateFecName } from '@/scripts/fec-validate';
import { isAccountNumber, isExpenseAccount, PCG_ACCOUNTS } from '@/lib/bookkeeping/pcg';
import { encodeFor, sage50Misfit, WRITERS } from '@/lib/bookkeeping/presets';
import { parseEuros } from '@/lib/bookkeeping/schemas';
import { formatRate, lineAmounts, VAT_RATES_BP } from '@/lib/bookkeeping/vat';

const books: FrozenBooks = {
  journalCode: 'BQ',
  journalLabel: 'Banque carte',
  vatAccount: '44566',
  vatAccountLabel: 'TVA déductible sur autres biens et services',
  counterpartAccount: '512100',
  counterpartLabel: 'Banque — carte',
  supplierAuxiliary: false,
};

function entry(overrides: Partial<FrozenEntry> = {}): FrozenEntry {
  return {
    position: 1,
    reversal: false,
    entryDate: '2026-11-03',
    spentOn: '2026-11-03',
    merchant: 'SNCF Connect',
    amountCents: 12_000,
    currency: 'EUR',
    pieceRef: '00000001',
    lines: [
      {
        account: '6251',
        accountLabel: 'Voyages et déplacements',
        vatRateBp: 1000,
        grossCents: 12_000,
        deductiblePct: 100,
        analytic: null,
      },
    ],
    ...overrides,
  };
}

/** The whole file a writer makes of some entries, as the download sends it. */
function file(writer: keyof typeof WRITERS, entries: FrozenEntry[], validDate = '2026-12-03'): Buffer {
  const w = WRITERS[writer];
  const text = w.header() + entries.map((e) => w.entry(e, books, { validDate })).join('');
  return encodeFor(writer, text);
}

describe('VAT from a gross amount, to the cent', () => {
  // The rule (lib/bookkeeping/vat.ts): VAT = gross × t / (1 + t) rounded half away from zero, net =
  // gross − VAT, deductible VAT = VAT × share rounded the same way.
  it.each([
    [12_000, 2000, 2000, 10_000],
    [12_000, 1000, 1091, 10_909],
    [10_550, 550, 550, 10_000],
    [10_210, 210, 210, 10_000],
    [12_345, 0, 0, 12_345],
    [1, 2000, 0, 1],
    [6, 2000, 1, 5], // 1,00 exactly half: away from zero
    [-12_000, 2000, -2000, -10_000],
    [-6, 2000, -1, -5],
  ])('%i cents at %i bp: VAT %i, net %i', (gross, rate, vat, net) => {
    expect(lineAmounts(gross, rate, 100)).toMatchObject({ vatCents: vat, netCents: net, deductibleVatCents: vat });
  });

  it('on every rate, VAT is the nearest cent (halves away from zero), net + VAT = gross, and a refund is the opposite', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -10_000_000_000, max: 10_000_000_000 }),
        fc.constantFrom(...VAT_RATES_BP),
        fc.constantFrom(100, 80, 0, 50),
        (gross, rate, share) => {
          const a = lineAmounts(gross, rate, share);
          expect(a.netCents + a.vatCents).toBe(gross);
          // Exact arithmetic in BigInt: |VAT − gross·t/(1+t)| ≤ ½ cent, and a half goes away from zero.
          const exact2 = (2n * BigInt(gross) * BigInt(rate)) / BigInt(10_000 + rate); // truncated 2×
          expect(Math.abs(2 * a.vatCents - Number(exact2))).toBeLessThanOrEqual(1);
          const b = lineAmounts(-gross, rate, share);
          expect(b.vatCents).toBe(-a.vatCents || 0);
          expect(b.deductibleVatCents).toBe(-a.deductibleVatCents || 0);
          expect(a.expenseCents + a.deductibleVatCents).toBe(gross);
          expect(Math.abs(a.deductibleVatCents)).toBeLessThanOrEqual(Math.abs(a.vatCents));
        },
      ),
    );
  });

  it('writes rates the French way', () => {
    expect(VAT_RATES_BP.map(formatRate)).toEqual(['20\u202F%', '10\u202F%', '5,5\u202F%', '2,1\u202F%', '0\u202F%']);
  });

  it('reads amounts as people type them', () => {
    expect(['12,50', '12.5', '1 234,56', '1\u202F234,56 €', '-3', '0,07'].map(parseEuros)).toEqual([
      1250, 1250, 123456, 123456, -300, 7,
    ]);
    expect(['', 'abc', '1,234', '12,345', '1e5', '١٢'].map(parseEuros)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('the chart of accounts', () => {
  it('starts from PCG accounts that all pass the format check', () => {
    for (const account of PCG_ACCOUNTS) expect(isAccountNumber(account.number)).toBe(true);
    expect(['6251', '606', '2183', '60614'].every(isExpenseAccount)).toBe(true);
    expect(['512100', '44566', '8000', '9123', '62', '62511234567', '6251A', ' 6251'].some(isExpenseAccount)).toBe(
      false,
    );
  });
});

describe('an entry', () => {
  it('debits the expense and the VAT recovered, credits the card’s bank account, balanced', () => {
    const lines = entryLines(entry(), books);
    expect(lines.map((l) => [l.account, l.debitCents, l.creditCents])).toEqual([
      ['6251', 10_909, 0],
      ['44566', 1091, 0],
      ['512100', 0, 12_000],
    ]);
  });

  it('keeps the VAT not recovered in the expense, one VAT line per rate, and swaps sides for a reversal or a refund', () => {
    const mixed = entry({
      amountCents: 15_000,
      lines: [
        {
          account: '6256',
          accountLabel: 'Missions',
          vatRateBp: 1000,
          grossCents: 11_000,
          deductiblePct: 100,
          analytic: 'A1',
        },
        {
          account: '60614',
          accountLabel: 'Carburants',
          vatRateBp: 2000,
          grossCents: 4_000,
          deductiblePct: 80,
          analytic: null,
        },
      ],
    });
    const lines = entryLines(mixed, books);
    expect(lines.map((l) => [l.account, l.debitCents, l.creditCents, l.analytic])).toEqual([
      ['6256', 10_000, 0, 'A1'],
      ['60614', 3_466, 0, null], // VAT 666,67 → 667, of which 533,6 → 534 recovered (80 %)
      ['44566', 1_000, 0, null],
      ['44566', 534, 0, null],
      ['512100', 0, 15_000, null],
    ]);
    const reversed = entryLines({ ...mixed, reversal: true }, books);
    expect(reversed.map((l) => [l.debitCents, l.creditCents])).toEqual(lines.map((l) => [l.creditCents, l.debitCents]));
    expect(reversed[0]!.label).toBe('Annulation SNCF Connect');
    const refund = entryLines(
      entry({ amountCents: -12_000, lines: [{ ...entry().lines[0]!, grossCents: -12_000 }] }),
      books,
    );
    expect(refund.map((l) => [l.account, l.debitCents, l.creditCents])).toEqual([
      ['6251', 0, 10_909],
      ['44566', 0, 1091],
      ['512100', 12_000, 0],
    ]);
  });

  it('puts the supplier’s auxiliary account on the 401 line only', () => {
    const lines = entryLines(entry(), {
      ...books,
      counterpartAccount: '401',
      counterpartLabel: 'Fournisseurs',
      supplierAuxiliary: true,
    });
    expect(lines.map((l) => l.auxiliary)).toEqual([null, null, { code: 'FSNCFCONNE', label: 'SNCF Connect' }]);
    expect(supplierCode('Hôtel de l’Europe')).toBe('FHOTELDELE');
    expect(supplierCode('☕')).toBe('FDIVERS');
  });
});

describe('the FEC', () => {
  it('writes the 18 fields with their names, a pipe between them, CR LF, Latin-9, and passes the validator', () => {
    const bytes = file('fec', [
      entry(),
      entry({
        position: 2,
        entryDate: '2026-11-04',
        spentOn: '2026-11-04',
        pieceRef: '00000002',
        merchant: 'Café de Flore — 2 cafés €',
      }),
    ]);
    const text = decodeText(bytes, 'iso-8859-15');
    const records = text.split('\r\n');
    expect(records[0]).toBe(FEC_FIELDS.join('|'));
    expect(records[1]).toBe(
      'BQ|Banque carte|1|20261103|6251|Voyages et déplacements|||00000001|20261103|SNCF Connect|109,09|0,00|||20261203||',
    );
    expect(records[3]).toBe(
      'BQ|Banque carte|1|20261103|512100|Banque — carte|||00000001|20261103|SNCF Connect|0,00|120,00|||20261203||'.replace(
        '—',
        '-',
      ),
    );
    expect(text).toContain('Café de Flore - 2 cafés €');
    expect(bytes.includes(0xa4)).toBe(true); // € in Latin-9
    expect(validateFec(bytes)).toEqual([]);
    expect(fecFileName('732829320', '2026-12-31')).toBe('732829320FEC20261231.txt');
    expect(validateFecName('732829320FEC20261231.txt')).toEqual([]);
    expect(validateFecName('732829320FEC20260231.txt')).toHaveLength(1);
    expect(validateFecName('FEC20261231.txt')).toHaveLength(1);
  });

  it('stays valid whatever the labels hold: tabs, pipes, semicolons, quotes, line breaks, emoji, 500 characters', () => {
    const nasty = fc
      .stringMatching(/^[\s\S]{0,40}$/)
      .chain((s) =>
        fc.constantFrom(
          s,
          `${s}\t|;"'\r\n\u2028${s}`,
          `🍕 ${s} 😀`,
          'x'.repeat(500),
          `|||`,
          `\u0000${s}`,
          `Ω ŒUVRE Ž ${s}`,
        ),
      );
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            merchant: nasty.filter((m) => m.trim() !== '' || true),
            label: nasty,
            gross: fc.integer({ min: -5_000_000, max: 5_000_000 }).filter((g) => g !== 0),
            rate: fc.constantFrom(...VAT_RATES_BP),
            share: fc.constantFrom(100, 80, 0),
            reversal: fc.boolean(),
            aux: fc.boolean(),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        nasty,
        (specs, journalLabel) => {
          const entries = specs.map((s, i) =>
            entry({
              position: i + 1,
              entryDate: `2026-11-${String(1 + i).padStart(2, '0')}`,
              spentOn: '2026-11-01',
              merchant: s.merchant,
              reversal: s.reversal,
              amountCents: s.gross,
              pieceRef: String(i + 1).padStart(8, '0'),
              lines: [
                {
                  account: '6256',
                  accountLabel: s.label,
                  vatRateBp: s.rate,
                  grossCents: s.gross,
                  deductiblePct: s.share,
                  analytic: null,
                },
              ],
            }),
          );
          const w = WRITERS.fec;
          const b: FrozenBooks = {
            ...books,
            journalLabel,
            supplierAuxiliary: specs[0]!.aux,
            counterpartAccount: specs[0]!.aux ? '401' : '512100',
          };
          const text = w.header() + entries.map((e) => w.entry(e, b, { validDate: '2026-12-03' })).join('');
          // Labels made only of separators become empty: the writer puts the piece, the account or
          // the journal's code in their place.
          expect(validateFec(encodeFor('fec', text))).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('the validator catches what a careless writer does', () => {
    const good = decodeText(file('fec', [entry(), entry({ position: 2, pieceRef: '00000002' })]), 'iso-8859-15');
    const check = (text: string) => validateFec(encodeText(text, 'iso-8859-15')).map((p) => p.message);
    const lines = good.split('\r\n');
    const swap = (i: number, field: number, value: string) => {
      const copy = [...lines];
      const fields = copy[i]!.split('|');
      fields[field] = value;
      copy[i] = fields.join('|');
      return copy.join('\r\n');
    };
    expect(check(good)).toEqual([]);
    expect(check(swap(1, 10, 'Libellé\tavec tabulation'))).toEqual([
      'EcritureLib : caractère de contrôle ou tabulation',
    ]);
    expect(check(swap(1, 10, 'a|b'))[0]).toMatch(/19 champs au lieu de 18/);
    expect(check(swap(1, 11, '109.09'))).toEqual(
      expect.arrayContaining([expect.stringMatching(/Debit « 109.09 » : montant invalide/)]),
    );
    expect(check(swap(1, 11, '1 109,09'))).toEqual(expect.arrayContaining([expect.stringMatching(/montant invalide/)]));
    expect(check(swap(1, 11, '109,10'))).toEqual([expect.stringMatching(/écriture 1 déséquilibrée/)]);
    expect(check(swap(1, 3, '20261131'))).toEqual(
      expect.arrayContaining([expect.stringMatching(/EcritureDate « 20261131 »/)]),
    );
    expect(check(swap(4, 2, '3'))).toEqual(
      expect.arrayContaining([expect.stringMatching(/numérotation : 3 au lieu de 2/)]),
    );
    expect(check(swap(1, 4, '9999'))).toEqual(expect.arrayContaining([expect.stringMatching(/classe du PCG/)]));
    expect(check(swap(1, 6, 'FSNCF'))).toEqual([expect.stringMatching(/CompAuxNum et CompAuxLib/)]);
    expect(check(swap(1, 8, ''))).toEqual([expect.stringMatching(/PieceRef obligatoire/)]);
    expect(check(swap(1, 15, '20261001'))).toEqual([expect.stringMatching(/ValidDate antérieure/)]);
    expect(check(good.replace('EcritureNum', 'Ecriturenum'))).toEqual([expect.stringMatching(/en-tête/)]);
    expect(check(good.slice(0, -2))).toEqual([expect.stringMatching(/retour à la ligne/)]);
    expect(check(swap(1, 12, '1,00'))).toEqual(
      expect.arrayContaining([expect.stringMatching(/à la fois au débit et au crédit/)]),
    );
    // One entry's lines on two dates.
    expect(check(swap(1, 3, '20261105'))).toEqual(expect.arrayContaining([expect.stringMatching(/plusieurs dates/)]));
  });

  it('has a header that no separator or space breaks', () => {
    expect(fecHeader()).toBe(`${FEC_FIELDS.join('|')}\r\n`);
    expect(fecAmount(-5)).toBe('-0,05');
    expect(fecEntry(entry(), books, '2026-12-03').split('\r\n').filter(Boolean)).toHaveLength(3);
  });
});

describe('the presets', () => {
  const two = [
    entry({
      lines: [{ ...entry().lines[0]!, analytic: 'PARIS' }],
    }),
    entry({
      position: 2,
      reversal: true,
      entryDate: '2026-11-30',
      pieceRef: '00000002',
      merchant: 'Café de Flore “terrasse”',
    }),
  ];

  it('Cegid Quadra: M records of 193 characters, Windows-1252, at the specification’s positions', () => {
    const text = decodeText(
      Buffer.concat([
        encodeFor(
          'quadra',
          WRITERS.quadra.entry(two[0]!, books, { validDate: '2026-12-03', attachment: '00000001.pdf' }),
        ),
      ]),
      'windows-1252',
    );
    const records = text.split('\r\n').filter(Boolean);
    expect(records).toHaveLength(3);
    for (const r of records) expect(r).toHaveLength(193);
    // Golden record: every position of the specification.
    expect(records[0]).toBe(
      'M' +
        '62510000' + // 2: account, padded with 0 to 8
        'BQ' + // 10: journal
        '000' + // 12: folio
        '031126' + // 15: JJMMAA
        ' ' + // 21: code libellé
        'SNCF Connect        ' + // 22: label (20)
        'D' + // 42
        '+000000010909' + // 43: signed amount in cents (13)
        ' '.repeat(8 + 6 + 2 + 3) + // 56, 64, 70, 72
        '00001' + // 75: piece (5)
        'PARIS     ' + // 80: business code: the analytic code
        ' '.repeat(10) + // 90: quantity
        '00000001' + // 100: piece (8)
        'EUR' + // 108
        'BQ ' + // 111: journal on 3
        '   ' + // 114-116: VAT fields
        'SNCF Connect                  ' + // 117: label (30)
        '  ' + // 147: VAT code
        '00000001  ' + // 149: piece (10)
        ' '.repeat(10 + 13) + // 159 reserved, 169 amount in currency
        '00000001.pdf', // 182: attached file (8.3)
    );
    expect(records[2]!.slice(0, 1 + 8)).toBe('M51210000');
    expect(records[2]!.slice(41, 55)).toBe('C+000000012000');
    // An emoji in a name is one character: the record keeps its 193 bytes.
    const emoji = encodeFor(
      'quadra',
      WRITERS.quadra.entry(entry({ merchant: 'Café 😀 du coin' }), books, { validDate: '2026-12-03' }),
    );
    for (const r of emoji.toString('latin1').split('\r\n').filter(Boolean)) expect(r).toHaveLength(193);
    const reversal = decodeText(
      encodeFor('quadra', WRITERS.quadra.entry(two[1]!, books, { validDate: '2026-12-03' })),
      'windows-1252',
    );
    expect(reversal.split('\r\n')[0]!.slice(21, 42)).toBe('Annulation Café de FC');
    // Typographic quotes are in Windows-1252: kept.
    expect(reversal).toContain('Annulation Café de Flore “terrasse”'.slice(0, 30));
  });

  it('EBP: comma-separated lines, CP850, the amount with a point on 13 characters', () => {
    const bytes = file('ebp', two);
    const text = decodeText(bytes, 'cp850');
    const records = text.split('\r\n').filter(Boolean);
    expect(records[0]).toBe(
      '    1,03112026,BQ,6251           ,,"SNCF Connect                            ","00000001       ",0000000109.09,D,03112026,',
    );
    expect(records[2]).toBe(
      '    1,03112026,BQ,512100         ,,"SNCF Connect                            ","00000001       ",0000000120.00,C,03112026,',
    );
    // The reversal swaps the sides; the label's own quotes cannot close the field.
    expect(records[3]).toMatch(
      /^ {4}2,30112026,BQ,6251 {11},,"Annulation Café de Flore 'terrasse' {5}","00000002 {7}",0000000109\.09,C,/,
    );
    expect(bytes[text.indexOf('é')]).toBe(0x82); // é in CP850
    // Every line has its 11 fields whatever the label (no comma outside the quotes).
    fc.assert(
      fc.property(fc.string(), (merchant) => {
        const line = decodeText(
          encodeFor('ebp', WRITERS.ebp.entry(entry({ merchant }), books, { validDate: '2026-12-03' })),
          'cp850',
        );
        for (const record of line.split('\r\n').filter(Boolean))
          expect(record.replace(/"[^"]*"/g, '""').split(',')).toHaveLength(11);
      }),
    );
  });
  it('Sage 50 (XImport): lines of 142 characters in CP850, one movement number per entry, at the specification’s positions', () => {
    const bytes = file('sage50', two);
    const text = decodeText(bytes, 'cp850');
    const records = text.split('\r\n').filter(Boolean);
    expect(records).toHaveLength(6);
    for (const r of records) expect(r).toHaveLength(142);
    // Golden line: every position of the format.
    expect(records[0]).toBe(
      '    1' + // 1: movement number (5), right-aligned
        'BQ' + // 6: journal (2)
        '20261103' + // 8: date AAAAMMJJ
        '20261103' + // 16: due date
        '00000001    ' + // 24: piece (12)
        '6251       ' + // 36: account (11)
        'SNCF Connect             ' + // 47: label (25)
        '0000000109.09' + // 72: amount (13), point, zero-padded
        'D' + // 85
        ' '.repeat(12) + // 86: pointage
        'PARIS ' + // 98: analytic code (6)
        'Voyages et déplacements           ' + // 104: the account's label (34)
        'O' + // 138: euro
        '2003', // 139: the format's version
    );
    expect(records[1]!.slice(35, 46)).toBe('44566      ');
    expect(records[1]!.slice(46, 71)).toBe('SNCF Connect TVA 10 %    ');
    expect(records[1]!.slice(71, 85)).toBe('0000000010.91D');
    expect(records[2]!.slice(35, 85)).toBe('512100     SNCF Connect             0000000120.00C');
    // The reversal: its own movement number, the sides swapped, the label's quotes made plain.
    expect(records[3]!.slice(0, 35)).toBe('    2BQ202611302026113000000002    ');
    expect(records[3]!.slice(46, 85)).toBe('Annulation Café de Flore 0000000109.09C');
    expect(bytes[text.indexOf('é')]).toBe(0x82); // é in CP850
    // Lines of one entry share its number; after 99,999 entries the number starts again at 1.
    expect(new Set(records.slice(0, 3).map((r) => r.slice(0, 5)))).toEqual(new Set(['    1']));
    expect(decodeText(file('sage50', [entry({ position: 99_999 })]), 'cp850').slice(0, 5)).toBe('99999');
    expect(decodeText(file('sage50', [entry({ position: 100_000 })]), 'cp850').slice(0, 5)).toBe('    1');
    // A supplier's auxiliary account on the counterpart line, with the supplier as its label.
    const supplier = decodeText(
      encodeFor(
        'sage50',
        WRITERS.sage50.entry(
          entry(),
          { ...books, counterpartAccount: '401', supplierAuxiliary: true },
          { validDate: '2026-12-03' },
        ),
      ),
      'cp850',
    ).split('\r\n')[2]!;
    expect(supplier.slice(35, 46)).toBe('FSNCFCONNE ');
    expect(supplier.slice(103, 137)).toBe('SNCF Connect'.padEnd(34, ' '));
    // Every line is 142 bytes and one line, whatever the merchant's name.
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 600 }), (merchant) => {
        const out = encodeFor('sage50', WRITERS.sage50.entry(entry({ merchant }), books, { validDate: '2026-12-03' }));
        const lines = out.toString('latin1').split('\r\n');
        expect(lines.pop()).toBe('');
        for (const line of lines) expect(line).toHaveLength(142);
      }),
    );
  });

  it('Sage 50: a journal of three characters or an analytic code of more than six is refused, never cut', () => {
    expect(sage50Misfit(books, 6)).toBeNull();
    expect(sage50Misfit({ ...books, journalCode: 'ACH' }, 0)).toBe('journal');
    expect(sage50Misfit(books, 7)).toBe('analytic');
  });
});
