import { z } from 'zod';
import { invalid } from '@/lib/server/i18n/validation';
import type { PageCursor } from '@/db';
import { parsePageCursor } from '@/lib/server/page-cursor';
import { INBOX_PAGE, type InboxState } from './inbox';

/** « Traité » on one item or the ticked ones, or « Remettre à traiter ». */
export const inboxHandledSchema = z.object({
  itemIds: z.preprocess(
    (value) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value]),
    z
      .array(z.string().uuid(invalid('inboxItemUnknown')))
      .min(1, invalid('chooseInboxItems'))
      .max(INBOX_PAGE, invalid('chooseInboxItems')),
  ),
  handled: z.enum(['oui', 'non']).default('oui'),
});

/**
 * The page's URL: `etat=traites` for the handled items, `apres=<instant>_<id>` for an older page.
 * Anything else (a hand-edited URL) is the first page of the open items, not an error.
 */
export function parseInboxParams(params: Record<string, string | string[] | undefined>): {
  state: InboxState;
  after?: PageCursor;
  /** The documents' own page (`documents=<instant>_<id>`), when not the first. */
  documentsAfter?: PageCursor;
  /** What the last « Traité » / « Remettre à traiter » changed, to say so at the top. */
  done?: { handled: boolean; count: number };
} {
  const one = (value: string | string[] | undefined) => (typeof value === 'string' ? value : undefined);
  const state: InboxState = one(params.etat) === 'traites' ? 'handled' : 'open';
  const after = parsePageCursor(one(params.apres));
  const documentsAfter = parsePageCursor(one(params.documents));
  const count = (value: string | undefined) =>
    value !== undefined && /^\d{1,2}$/.test(value) && Number(value) <= INBOX_PAGE ? Number(value) : undefined;
  const marked = count(one(params.fait));
  const reopened = count(one(params.remis));
  const done =
    marked !== undefined
      ? { handled: true, count: marked }
      : reopened !== undefined
        ? { handled: false, count: reopened }
        : undefined;
  return {
    state,
    ...(after ? { after } : {}),
    ...(documentsAfter && state === 'open' ? { documentsAfter } : {}),
    ...(done ? { done } : {}),
  };
}

/** « Rattacher » a document to an expense (the one suggested, or another picked), or « Écarter » it. */
export const inboundDocumentSchema = z
  .object({
    documentId: z.string().uuid(invalid('inboxItemUnknown')),
    decision: z.enum(['rattacher', 'ecarter'], invalid('inboxItemUnknown')),
    expenseId: z.string().optional(),
  })
  .superRefine((input, context) => {
    if (input.decision === 'rattacher' && !z.string().uuid().safeParse(input.expenseId).success)
      context.addIssue({ code: 'custom', path: ['expenseId'], ...invalid('chooseExpense') });
  });

/** What the last « Rattacher » / « Écarter » did (`document=rattache|ecarte` in the URL). */
export function documentDone(
  params: Record<string, string | string[] | undefined>,
): 'attached' | 'dismissed' | undefined {
  return params.document === 'rattache' ? 'attached' : params.document === 'ecarte' ? 'dismissed' : undefined;
}
