// The labelled set of documents and expenses (test/fixtures/match-pairs.json, made by
// scripts/make-match-fixtures.ts) and what the portal decides for each, as the receiving does:
// the evidence from the document, the client's expenses around its date. Shared by
// test/match.test.ts and `npm run bench:match`.
import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import {
  evidenceFromInvoice,
  evidenceFromText,
  matchDocument,
  MATCH_WINDOW_DAYS,
  type Candidate,
  type MatchResult,
} from '@/lib/receipts/match';

export type Fixture = {
  clients: { id: string; expenses: Candidate[] }[];
  documents: {
    id: string;
    clientId: string;
    receivedOn: string;
    subject: string;
    filename: string;
    body: string;
    facturx?: { totalCents: number; currency: string; issuedOn: string; seller: string };
    expected: string | null;
    note: string;
  }[];
};

export function loadMatchFixture(): Fixture {
  return JSON.parse(readFileSync('test/fixtures/match-pairs.json', 'utf8')) as Fixture;
}

/** What the portal decides for each document, as the receiving does: the client's expenses of the window. */
export function decideAll(fixture: Fixture): { document: Fixture['documents'][number]; result: MatchResult }[] {
  const byClient = new Map(fixture.clients.map((c) => [c.id, c.expenses]));
  return fixture.documents.map((document) => {
    const text = [document.subject, document.filename, document.body].join('\n');
    const evidence = document.facturx
      ? evidenceFromInvoice(
          {
            totalCents: Math.abs(document.facturx.totalCents),
            creditNote: document.facturx.totalCents < 0,
            currency: document.facturx.currency,
            issuedOn: document.facturx.issuedOn,
            sellerName: document.facturx.seller,
          },
          document.receivedOn,
          text,
        )
      : evidenceFromText(text, document.receivedOn);
    const around = DateTime.fromISO(evidence.date ?? evidence.receivedOn, { zone: 'utc' });
    const from = around.minus({ days: MATCH_WINDOW_DAYS }).toISODate()!;
    const to = around.plus({ days: MATCH_WINDOW_DAYS }).toISODate()!;
    const candidates = (byClient.get(document.clientId) ?? []).filter((e) => e.spentOn >= from && e.spentOn <= to);
    return { document, result: matchDocument(evidence, candidates) };
  });
}
