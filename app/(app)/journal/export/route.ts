import { NextResponse } from 'next/server';
import { describeActor, describeDetails } from '@/lib/activity/describe';
import { activityBatches, type ActivityRow } from '@/lib/activity/queries';
import { parseJournalParams } from '@/lib/activity/schemas';
import { csvLine, csvText, BOM } from '@/lib/exports/csv';
import { createRoute } from '@/lib/access/server-route';

// "Exporter (CSV)": the filtered Journal, every row, in the expense export's French conventions
// (UTF-8 with a BOM, `;`, CRLF), streamed batch by batch. Admins only; anyone else gets a 404.
export const GET = createRoute({ role: 'admin' }, async (request, user, { i18n }) => {
  const { t } = i18n;
  const params = parseJournalParams(Object.fromEntries(new URL(request.url).searchParams));
  // Checked before the first byte: a filter not understood is a 400 that says which, and the first
  // batch is read before the 200 is sent, so that a failing query is an error page, not a cut file.
  if (params.ignored)
    return new NextResponse(
      t('journal.ignoredFilters', { filters: params.ignored.map((f) => t(`journal.filterNames.${f}`)).join(', ') }),
      { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' } },
    );
  const encoder = new TextEncoder();
  const batches = activityBatches(user.firmId, { ...params, before: undefined });
  let pending: IteratorResult<ActivityRow[]> | undefined = await batches.next();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(
        encoder.encode(
          BOM +
            csvLine([
              t('journal.csv.at'),
              t('journal.csv.actor'),
              t('journal.csv.action'),
              t('journal.csv.client'),
              t('journal.csv.details'),
            ]),
        ),
      );
    },
    async pull(controller) {
      const next = pending ?? (await batches.next());
      pending = undefined;
      if (next.done) {
        controller.close();
        return;
      }
      const lines = next.value.map((row) =>
        csvLine([
          csvText(i18n.format.dateTime(row.at)),
          csvText(describeActor(i18n, row)),
          csvText(i18n.t(`journal.actions.${row.action}`)),
          csvText(row.clientName ?? ''),
          csvText(describeDetails(i18n, row.details)),
        ]),
      );
      controller.enqueue(encoder.encode(lines.join('')));
    },
  });
  const day = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris' }).format(new Date());
  return new Response(stream, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="journal-${day}.csv"`,
      'cache-control': 'private, no-store',
    },
  });
});
