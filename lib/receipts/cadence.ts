import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { db } from '@/db';
import { clients } from '@/db/schema';
import type { Viewer, VisibleClient } from '@/lib/access/visibility';
import { SafeError } from '@/lib/server/errors';
import { invalid } from '@/lib/server/i18n/validation';

// How hard a client's receipt requests are followed up: the firm's choice per client. A follow-up
// goes on each day after the request (Paris, 10:00 run), never after the answer, the cancellation or
// the link's end (30 days): at most 4 of them, from the 1st to the 28th day.

const CADENCES = {
  standard: [3, 7],
  doux: [7, 14],
  ferme: [3, 7, 10],
} as const;
type CadencePreset = keyof typeof CADENCES | 'custom';

/** The preset a client's days are, or `custom`. */
export function presetOf(days: readonly number[]): CadencePreset {
  const key = (Object.keys(CADENCES) as (keyof typeof CADENCES)[]).find(
    (k) => CADENCES[k].length === days.length && CADENCES[k].every((d, i) => d === days[i]),
  );
  return key ?? 'custom';
}

/** « 2, 5, 9 » → [2, 5, 9]: 1 to 4 distinct days from 1 to 28, in order; undefined otherwise. */
function parseDays(text: string): number[] | undefined {
  const parts = text.split(/[,;\s]+/).filter(Boolean);
  if (parts.length === 0 || parts.length > 4 || !parts.every((p) => /^\d{1,2}$/.test(p))) return undefined;
  const days = [...new Set(parts.map(Number))].sort((x, y) => x - y);
  return days.every((d) => d >= 1 && d <= 28) ? days : undefined;
}

export const cadenceSchema = z
  .object({
    clientId: z.string().uuid(invalid('clientNotFound')),
    preset: z.enum(['standard', 'doux', 'ferme', 'custom'], invalid('invalidChoice')),
    days: z.string().max(100).default(''),
  })
  .transform((input, ctx) => {
    if (input.preset !== 'custom') return { clientId: input.clientId, days: [...CADENCES[input.preset]] };
    const days = parseDays(input.days);
    if (!days) {
      ctx.addIssue({ code: 'custom', path: ['days'], ...invalid('followupDays') });
      return z.NEVER;
    }
    return { clientId: input.clientId, days };
  });

/** An admin sets a client's cadence; requests already sent keep the one they were sent with. */
export async function setCadence(viewer: Viewer, client: VisibleClient, days: number[]): Promise<void> {
  if (viewer.role !== 'admin') throw new SafeError('errors.adminOnly');
  await db
    .update(clients)
    .set({ followupDays: days })
    .where(and(eq(clients.id, client.id), eq(clients.firmId, viewer.firmId)));
}
