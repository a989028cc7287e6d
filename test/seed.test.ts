import { sql } from 'drizzle-orm';
import { queryRows } from '@/db';
import { DEMO_ADMIN, DEMO_PASSWORD, DEMO_RECEIPT_TOKEN, isEmpty, seedDemo, seedScale } from '@/db/seed';
import { openRequest } from '@/lib/receipts/links';
import { checkCredentials } from '@/lib/auth/authorize';
import { runCron } from '@/lib/cron';
import { withTestDatabase } from './db';

const db = withTestDatabase();

describe('the demo seed', () => {
  beforeAll(async () => {
    expect(await isEmpty(db)).toBe(true);
    await seedDemo(db);
  });

  it('creates the demo logins', async () => {
    for (const email of [DEMO_ADMIN, 'lea.martin@cabinet-demo.fr', 'hugo.bernard@cabinet-demo.fr']) {
      expect((await checkCredentials(email, DEMO_PASSWORD)).ok).toBe(true);
    }
  });

  it('has clients in every status, and counters that match the expenses', async () => {
    const statuses = await queryRows<{ status: string }>(sql`SELECT DISTINCT status::text FROM clients`);
    expect(statuses.map((s) => s.status).sort()).toEqual(['active', 'declined', 'invitation', 'onboarding']);
    const drift = await queryRows<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM clients c
      WHERE c.missing_receipts <> (SELECT count(*) FROM expenses e WHERE e.client_id = c.id AND e.receipt_state = 'missing')
         OR c.ready_to_export <> (SELECT count(*) FROM expenses e WHERE e.client_id = c.id AND e.export_state = 'ready')`);
    expect(drift[0]!.n).toBe(0);
  });

  it('tells the whole story of a receipt request: card holders, an open request, one receipt in, one follow-up out', async () => {
    const request = await openRequest(DEMO_RECEIPT_TOKEN);
    expect(request?.clientName).toBe('Boucherie Lefèvre & Fils');
    expect(request?.expenses.map((e) => e.merchant).sort()).toEqual(['Total Énergies', 'Transgourmet']);
    const [row] = await queryRows<{ holders: number; received: number; followups: number }>(sql`
      SELECT (SELECT count(*)::int FROM expenses WHERE card_holder_email IS NOT NULL) AS holders,
             (SELECT count(*)::int FROM expenses WHERE receipt_file_id IS NOT NULL) AS received,
             (SELECT count(*)::int FROM receipt_followups WHERE sent_at IS NOT NULL) AS followups`);
    expect(row!.holders).toBeGreaterThan(100);
    expect([row!.received, row!.followups]).toEqual([1, 1]);
    // And a photo forwarded to the client's address, the Total Énergies expense suggested for it.
    const documents = await queryRows<{ state: string; merchant: string; subject: string }>(sql`
      SELECT d.state, e.merchant, d.subject FROM inbound_documents d JOIN expenses e ON e.id = d.expense_id
      JOIN stored_files f ON f.id = d.file_id AND f.complete`);
    expect(documents).toEqual([{ state: 'suggested', merchant: 'Total Énergies', subject: 'Fwd: 89,40 €' }]);
  });

  it('subscribes the demo to digests, so that the README’s cron:digests example sends two', async () => {
    const summary = await runCron(new Date('2026-11-30T10:05:00+01:00'), { budgetMs: 60_000 });
    expect(summary).toMatchObject({ due: 2, sent: 2, failed: 0 });
    const emails = await queryRows<{ to: string }>(sql`SELECT to_address AS to FROM outbox_emails ORDER BY to_address`);
    expect(emails.map((e) => e.to)).toEqual([DEMO_ADMIN, 'lea.martin@cabinet-demo.fr']);
  });

  it('builds a scale firm with set-based SQL', async () => {
    await seedScale(db, { firmName: 'Échelle', adminEmail: 'admin@echelle.test', clients: 200, expensesPerClient: 5 });
    const [row] = await queryRows<{ clients: number; expenses: number }>(sql`
      SELECT (SELECT count(*)::int FROM clients c JOIN firms f ON f.id = c.firm_id WHERE f.name = 'Échelle') AS clients,
             (SELECT count(*)::int FROM expenses e JOIN clients c ON c.id = e.client_id JOIN firms f ON f.id = c.firm_id WHERE f.name = 'Échelle') AS expenses`);
    expect(row).toEqual({ clients: 200, expenses: 188 * 5 });
  });
});
