// Writes test/fixtures/match-pairs.json: a labelled set of documents and the expenses they belong
// to, for `npm run bench:match` and test/match.test.ts. Seeded, so the file is the same every run:
//   npx tsx scripts/make-match-fixtures.ts
//
// Made to be hard the way a firm's month is: subscriptions billed the same amount every month,
// the same amount at two merchants on nearby days, merchants written on the document otherwise than
// on the card statement (« AMZN Mktp FR » for Amazon), foreign currencies, credit notes, photos
// whose name says nothing, and documents that belong to no expense at all.
import { writeFileSync } from 'node:fs';
import { DateTime } from 'luxon';

function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = random(20261204);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
const between = (low: number, high: number) => low + Math.floor(rand() * (high - low + 1));

type Merchant = { name: string; onDocument: string[]; currency?: string; monthly?: number; low: number; high: number };
const MERCHANTS: Merchant[] = [
  { name: 'SNCF Connect', onDocument: ['SNCF Connect', 'SNCF VOYAGEURS', 'sncf-connect.com'], low: 2500, high: 18000 },
  {
    name: 'Bureau Vallée',
    onDocument: ['BUREAU VALLEE', 'Bureau Vallée Paris 11', 'bureau-vallee.fr'],
    low: 800,
    high: 9000,
  },
  { name: 'Amazon', onDocument: ['Amazon EU S.à r.l.', 'AMZN Mktp FR', 'Amazon.fr'], low: 999, high: 25000 },
  { name: 'Uber', onDocument: ['Uber BV', 'UBER *TRIP', 'Uber Receipts'], low: 900, high: 6500 },
  { name: 'Air France', onDocument: ['AIR FRANCE', 'airfrance.fr', 'Air France KLM'], low: 9000, high: 60000 },
  { name: 'TotalEnergies', onDocument: ['TOTALENERGIES', 'Total Energies Station 4521'], low: 3000, high: 9500 },
  { name: 'Boulangerie Soleil', onDocument: ['Boulangerie Soleil', 'BOULANG SOLEIL'], low: 350, high: 2500 },
  { name: 'Free Mobile', onDocument: ['Free Mobile', 'FREE MOBILE SAS'], monthly: 1999, low: 1999, high: 1999 },
  { name: 'Orange', onDocument: ['Orange SA', 'ORANGE'], monthly: 4299, low: 4299, high: 4299 },
  { name: 'Hôtel Ibis Lyon', onDocument: ['IBIS LYON PART DIEU', 'Hotel Ibis'], low: 7900, high: 16000 },
  { name: 'Le Bistrot du Port', onDocument: ['Le Bistrot du Port', 'LE BISTROT SARL'], low: 1800, high: 14000 },
  {
    name: 'Adobe',
    onDocument: ['Adobe Systems', 'ADOBE *CREATIVE CLD'],
    currency: 'USD',
    monthly: 5999,
    low: 5999,
    high: 5999,
  },
  { name: 'Slack', onDocument: ['Slack Technologies', 'SLACK T0123'], currency: 'USD', low: 875, high: 4500 },
  {
    name: 'Google Workspace',
    onDocument: ['Google Ireland Ltd', 'GOOGLE *GSUITE'],
    monthly: 1380,
    low: 1380,
    high: 1380,
  },
  { name: 'Monoprix', onDocument: ['MONOPRIX', 'Monoprix Bastille'], low: 450, high: 6000 },
  { name: 'La Poste', onDocument: ['LA POSTE', 'laposte.fr'], low: 129, high: 2400 },
  { name: 'Leroy Merlin', onDocument: ['LEROY MERLIN', 'Leroy Merlin Ivry'], low: 1500, high: 35000 },
  { name: 'OVHcloud', onDocument: ['OVH SAS', 'OVHcloud'], low: 399, high: 12000 },
  {
    name: 'Heathrow Express',
    onDocument: ['Heathrow Express', 'HEATHROW EXP'],
    currency: 'GBP',
    low: 2500,
    high: 3700,
  },
  { name: 'Fnac', onDocument: ['FNAC DARTY', 'Fnac.com'], low: 1500, high: 45000 },
];

type Expense = { id: string; amountCents: number; currency: string; spentOn: string; merchant: string };
type Document = {
  id: string;
  clientId: string;
  receivedOn: string;
  subject: string;
  filename: string;
  body: string;
  facturx?: { totalCents: number; currency: string; issuedOn: string; seller: string };
  expected: string | null;
  note: string;
};

const money = (cents: number, currency: string, style: number) => {
  const abs = Math.abs(cents);
  const sign = cents < 0 ? '-' : '';
  const euros = Math.floor(abs / 100);
  const rest = String(abs % 100).padStart(2, '0');
  const grouped =
    euros >= 1000 ? `${Math.floor(euros / 1000)} ${String(euros % 1000).padStart(3, '0')}` : String(euros);
  const symbol = { EUR: '€', USD: '$', GBP: '£' }[currency] ?? currency;
  if (style === 0) return `${sign}${grouped},${rest} ${symbol}`;
  if (style === 1) return `${currency} ${sign}${euros}.${rest}`;
  return currency === 'EUR' ? `${sign}${grouped},${rest} EUR` : `${symbol}${sign}${euros}.${rest}`;
};
const dateText = (iso: string, style: number) => {
  const d = DateTime.fromISO(iso, { zone: 'utc' });
  if (style === 0) return d.toFormat('dd/MM/yyyy');
  if (style === 1) return iso;
  return d.setLocale('fr').toFormat('d MMMM yyyy');
};

const clients: { id: string; expenses: Expense[] }[] = [];
const documents: Document[] = [];
let expenseCounter = 0;
let documentCounter = 0;

for (let c = 1; c <= 10; c += 1) {
  const clientId = `client-${c}`;
  const expenses: Expense[] = [];
  const add = (merchant: Merchant, amountCents: number, spentOn: string) => {
    const expense = {
      id: `e${String((expenseCounter += 1)).padStart(4, '0')}`,
      amountCents,
      currency: merchant.currency ?? 'EUR',
      spentOn,
      merchant: merchant.name,
    };
    expenses.push(expense);
    return expense;
  };
  const start = DateTime.fromISO('2026-08-01', { zone: 'utc' });
  // Subscriptions: the same amount every month, three months.
  for (const m of MERCHANTS.filter((x) => x.monthly)) {
    if (rand() < 0.6)
      for (let k = 0; k < 3; k += 1) add(m, m.monthly!, start.plus({ months: k, days: between(0, 4) }).toISODate()!);
  }
  // The rest of the spend, over 90 days.
  for (let k = 0; k < 45; k += 1) {
    const m = pick(MERCHANTS.filter((x) => !x.monthly));
    add(m, between(m.low, m.high), start.plus({ days: between(0, 89) }).toISODate()!);
  }
  // The same amount at two merchants, a day or two apart.
  for (let k = 0; k < 4; k += 1) {
    const day = start.plus({ days: between(0, 85) });
    const amount = between(800, 5000);
    const [a, b] = [
      pick(MERCHANTS.filter((x) => !x.monthly && !x.currency)),
      pick(MERCHANTS.filter((x) => !x.monthly && !x.currency)),
    ];
    add(a, amount, day.toISODate()!);
    if (b.name !== a.name) add(b, amount, day.plus({ days: between(0, 2) }).toISODate()!);
  }
  // Refunds (credit notes), negative.
  for (let k = 0; k < 2; k += 1) {
    const m = pick(MERCHANTS.filter((x) => ['Amazon', 'Fnac', 'SNCF Connect', 'Air France'].includes(x.name)));
    add(m, -between(m.low, m.high), start.plus({ days: between(0, 89) }).toISODate()!);
  }
  clients.push({ id: clientId, expenses });

  const doc = (d: Omit<Document, 'id' | 'clientId'>) =>
    documents.push({ id: `d${String((documentCounter += 1)).padStart(4, '0')}`, clientId, ...d });
  // About 22 documents for expenses of this client, and 2 that belong to none.
  const chosen = [...expenses].sort(() => rand() - 0.5).slice(0, 22);
  for (const expense of chosen) {
    const merchant = MERCHANTS.find((m) => m.name === expense.merchant)!;
    const written = pick(merchant.onDocument);
    const received = DateTime.fromISO(expense.spentOn, { zone: 'utc' })
      .plus({ days: between(0, 20) })
      .toISODate()!;
    const roll = rand();
    if (roll < 0.3) {
      const issued = DateTime.fromISO(expense.spentOn, { zone: 'utc' })
        .plus({ days: between(-1, 1) })
        .toISODate()!;
      doc({
        receivedOn: received,
        subject: pick(['Fwd: Facture', `Fwd: Votre facture ${written}`, 'facture', 'TR: facture du mois']),
        filename: pick(['facture.pdf', `FA-${between(1000, 9999)}.pdf`, 'invoice.pdf']),
        body: '',
        facturx: { totalCents: expense.amountCents, currency: expense.currency, issuedOn: issued, seller: written },
        expected: expense.id,
        note: expense.amountCents < 0 ? 'facturx credit note' : 'facturx',
      });
    } else if (roll < 0.75) {
      const withDate = rand() < 0.7;
      const style = between(0, 2);
      doc({
        receivedOn: received,
        subject: pick([
          `Fwd: Votre reçu ${written}`,
          `TR: ${written}`,
          `Reçu ${written}`,
          `Fwd: Your receipt from ${written}`,
        ]),
        filename: pick(['recu.pdf', 'receipt.pdf', `${foldName(written)}.pdf`, 'scan.jpg']),
        body: [
          pick(['Bonjour, voici le reçu.', 'Ci-joint.', '', 'Voir pièce jointe, merci !']),
          `Montant : ${money(expense.amountCents, expense.currency, style)}`,
          withDate ? `Date : ${dateText(expense.spentOn, between(0, 2))}` : '',
          rand() < 0.3 ? `TVA : ${money(Math.round(expense.amountCents / 6), expense.currency, style)}` : '',
        ].join('\n'),
        expected: expense.id,
        note: withDate ? 'text with date' : 'text without date',
      });
    } else if (roll < 0.9) {
      // The amount only: a forward with nothing but the total in the subject.
      doc({
        receivedOn: received,
        subject: `Fwd: ${money(expense.amountCents, expense.currency, 0)}`,
        filename: pick(['IMG_2041.jpg', 'photo.jpg', 'scan0001.pdf']),
        body: '',
        expected: expense.id,
        note: 'amount only',
      });
    } else {
      // A photo and nothing else.
      doc({
        receivedOn: received,
        subject: pick(['Fwd:', 'reçu', '']),
        filename: pick(['IMG_2041.jpg', 'photo.heic', 'document.pdf']),
        body: '',
        expected: expense.id,
        note: 'photo only',
      });
    }
  }
  for (let k = 0; k < 2; k += 1) {
    const m = pick(MERCHANTS);
    doc({
      receivedOn: start.plus({ days: between(10, 95) }).toISODate()!,
      subject: `Fwd: Votre reçu ${pick(m.onDocument)}`,
      filename: 'recu.pdf',
      body: `Montant : ${money(between(100, 90000) + 1, m.currency ?? 'EUR', 0)}\nDate : ${dateText(start.plus({ days: between(0, 89) }).toISODate()!, 0)}`,
      expected: null,
      note: 'no expense',
    });
  }
}

function foldName(text: string) {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-');
}

writeFileSync(
  new URL('../test/fixtures/match-pairs.json', import.meta.url),
  `${JSON.stringify({ clients, documents }, null, 1)}\n`,
);
console.log(`${documents.length} documents, ${clients.reduce((n, c) => n + c.expenses.length, 0)} expenses`);
