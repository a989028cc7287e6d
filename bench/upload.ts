// npm run bench:upload — a 1 MB and a 10 MB receipt posted to the upload route's handler as a
// streamed multipart body (never held whole by the benchmark either), each in its own process
// started with --expose-gc, stored by the default PostgreSQL driver. Compares the memory the upload
// itself takes: the peak growth of live heap + external + array buffers over the process's
// baseline, sampled every 5 ms with a full GC before each sample (without it, the figure is mostly
// garbage not collected yet, which grows with the bytes that went through). The time and the
// peak RSS come from a second run of each size, without the forced GCs.
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { closeDatabase, openDatabase, queryRows, setDatabase } from '@/db';
import { hashRequestToken } from '@/lib/receipts/tokens';
import { receiveReceiptUpload } from '@/lib/receipts/upload';
import { BENCH_DB_URL, openBenchDatabase, runChild } from './lib';

const MB = 1024 * 1024;
const PNG_HEAD = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGN49uwZAAVoArMCxcTLAAAAAElFTkSuQmCC',
  'base64',
);

/** A request for one missing expense, with a link whose token we know. */
async function prepare(): Promise<{ token: string; expenseId: string }> {
  const [firm] = await queryRows<{ id: string }>(sql`INSERT INTO firms (name) VALUES ('Cabinet Upload') RETURNING id`);
  const [user] = await queryRows<{ id: string }>(
    sql`INSERT INTO users (firm_id, email, name, role, password_hash)
        VALUES (${firm!.id}, ${`upload-${randomUUID()}@bench.test`}, 'Comptable', 'accountant', 'x') RETURNING id`,
  );
  const [client] = await queryRows<{ id: string }>(
    sql`INSERT INTO clients (firm_id, name, status) VALUES (${firm!.id}, 'Client upload', 'active') RETURNING id`,
  );
  const [expense] = await queryRows<{ id: string }>(
    sql`INSERT INTO expenses (client_id, amount_cents, merchant, spent_on, receipt_state, export_state)
        VALUES (${client!.id}, 1000, 'Fournisseur', '2026-11-20', 'missing', 'not_ready') RETURNING id`,
  );
  const [request] = await queryRows<{ id: string }>(
    sql`INSERT INTO receipt_requests (firm_id, client_id, requested_by, recipient_email, paris_day, expires_at, form_token)
        VALUES (${firm!.id}, ${client!.id}, ${user!.id}, 'porteur@client.test', '2026-11-27', now() + interval '30 days', gen_random_uuid())
        RETURNING id`,
  );
  const token = randomBytes(32).toString('base64url');
  await queryRows(
    sql`INSERT INTO receipt_request_links (token_hash, request_id) VALUES (${hashRequestToken(token)}, ${request!.id})`,
  );
  await queryRows(
    sql`INSERT INTO receipt_request_items (request_id, expense_id) VALUES (${request!.id}, ${expense!.id})`,
  );
  return { token, expenseId: expense!.id };
}

/** multipart/form-data, produced 64 KiB at a time: the expense's id, then a PNG of `size` bytes. */
function multipart(expenseId: string, size: number): { body: ReadableStream<Uint8Array>; type: string } {
  const boundary = `----bench${randomUUID()}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="expenseId"\r\n\r\n${expenseId}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="receipt"; filename="recu.png"\r\nContent-Type: image/png\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const chunk = randomBytes(64 * 1024);
  let sent = 0;
  let stage = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (stage === 0) {
        controller.enqueue(Buffer.concat([head, PNG_HEAD]));
        sent = PNG_HEAD.length;
        stage = 1;
      } else if (sent < size) {
        const part = chunk.subarray(0, Math.min(chunk.length, size - sent));
        sent += part.length;
        controller.enqueue(new Uint8Array(part));
      } else {
        controller.enqueue(tail);
        controller.close();
      }
    },
  });
  return { body, type: `multipart/form-data; boundary=${boundary}` };
}

async function child(megabytes: number) {
  setDatabase(openDatabase({ url: BENCH_DB_URL }));
  const { token, expenseId } = await prepare();
  global.gc?.();
  await new Promise((resolve) => setTimeout(resolve, 50));
  global.gc?.();
  const base = process.memoryUsage();
  let peak = 0;
  const sample = () => {
    if (process.env.LIVE === '1') global.gc?.();
    const m = process.memoryUsage();
    peak = Math.max(
      peak,
      m.heapUsed + m.external + m.arrayBuffers - (base.heapUsed + base.external + base.arrayBuffers),
    );
  };
  const timer = setInterval(sample, 5);
  const size = megabytes * MB - (megabytes === 10 ? 1 : 0);
  const { body, type } = multipart(expenseId, size);
  const started = process.hrtime.bigint();
  const outcome = await receiveReceiptUpload(
    token,
    new Request('http://localhost/recus/x/envoyer', {
      method: 'POST',
      body,
      headers: { 'content-type': type },
      duplex: 'half',
    } as RequestInit),
  );
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  sample();
  clearInterval(timer);
  if (outcome.status !== 'done') throw new Error(`upload refused: ${JSON.stringify(outcome)}`);
  const [stored] = await queryRows<{ size: string }>(
    sql`SELECT f.size::text FROM expenses e JOIN stored_files f ON f.id = e.receipt_file_id WHERE e.id = ${expenseId}`,
  );
  await closeDatabase();
  console.log(
    JSON.stringify({
      megabytes,
      storedBytes: Number(stored!.size),
      ms: Math.round(ms),
      peakMb: Number((peak / MB).toFixed(2)),
      maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
}

async function main() {
  const at = process.argv.indexOf('--child');
  if (at >= 0) return child(Number(process.argv[at + 1]));
  await openBenchDatabase();
  await closeDatabase();
  // 10 MB is the limit itself: the receipt is 10 MB minus a byte.
  process.env.LIVE = '1';
  const live = [1, 10].map((mb) => runChild('bench/upload.ts', mb, '--child', ['--expose-gc']));
  process.env.LIVE = '0';
  const plain = [1, 10].map((mb) => runChild('bench/upload.ts', mb, '--child', ['--expose-gc']));
  console.log('| receipt | bytes stored | time (ms) | live memory taken by the upload (MB) | peak RSS (MB) |');
  console.log('|---|---|---|---|---|');
  for (const [i, r] of live.entries())
    console.log(`| ${r.megabytes} MB | ${r.storedBytes} | ${plain[i]!.ms} | ${r.peakMb} | ${plain[i]!.maxRssMb} |`);
  const [small, large] = live as [Record<string, number>, Record<string, number>];
  console.log(`memory 10 MB / 1 MB: ${(large.peakMb! / small.peakMb!).toFixed(2)} (target ≤ 1.5)`);
  console.log(`peak RSS 10 MB / 1 MB: ${(plain[1]!.maxRssMb! / plain[0]!.maxRssMb!).toFixed(2)} (target ≤ 1.5)`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
