import { eq, sql } from 'drizzle-orm';
import { db, queryRows } from '@/db';
import { firms, users } from '@/db/schema';
import { assertAdmin } from '@/lib/access/roles';
import type { Viewer } from '@/lib/access/visibility';
import { actorOf, recordActivity } from '@/lib/activity/record';
import { SafeError } from '@/lib/server/errors';
import { DEFAULT_SEND_TIME, isKnownZone, type SendTime } from './schedule';

// Each person's send time (issue « A portfolio a firm can organise »): the digest's hour (8 h to
// 18 h) and zone, the user's own or else their firm's, 10:00 Paris unless the firm chose another.

/** The zones offered in the forms: France's, its overseas departments and territories, its neighbours. */
export const OFFERED_ZONES = [
  'Europe/Paris',
  'Europe/Brussels',
  'Europe/Luxembourg',
  'Europe/Zurich',
  'Europe/Monaco',
  'Europe/London',
  'Europe/Madrid',
  'Europe/Berlin',
  'America/Guadeloupe',
  'America/Martinique',
  'America/Cayenne',
  'America/Miquelon',
  'Indian/Reunion',
  'Indian/Mayotte',
  'Pacific/Noumea',
  'Pacific/Tahiti',
  'Pacific/Wallis',
  'Africa/Casablanca',
  'Africa/Abidjan',
  'America/Toronto',
  'America/New_York',
] as const;

export type SendTimeChoice = { own: { hour: number | null; zone: string | null }; firm: SendTime; effective: SendTime };

export async function sendTimeOf(user: Pick<Viewer, 'id'>): Promise<SendTimeChoice> {
  const [row] = await queryRows<{ hour: number | null; zone: string | null; firm_hour: number; firm_zone: string }>(
    sql`SELECT u.digest_hour AS hour, u.digest_zone AS zone, f.digest_hour AS firm_hour, f.digest_zone AS firm_zone
        FROM users u JOIN firms f ON f.id = u.firm_id WHERE u.id = ${user.id}`,
  );
  if (!row) return { own: { hour: null, zone: null }, firm: DEFAULT_SEND_TIME, effective: DEFAULT_SEND_TIME };
  const firm = { hour: row.firm_hour, zone: row.firm_zone };
  return {
    own: { hour: row.hour, zone: row.zone },
    firm,
    effective: { hour: row.hour ?? firm.hour, zone: row.zone ?? firm.zone },
  };
}

/** A zone both luxon (the pages) and the database (the digest run) know; anything else is refused. */
async function checkZone(zone: string | null) {
  if (zone === null) return;
  if (!isKnownZone(zone)) throw new SafeError('errors.unknownZone');
  try {
    await queryRows(sql`SELECT now() AT TIME ZONE ${zone} AS local`);
  } catch {
    throw new SafeError('errors.unknownZone');
  }
}

/** The user's own hour and zone (null: the firm's). Takes effect from the next slot not yet sent. */
export async function setUserSendTime(viewer: Viewer, choice: { hour: number | null; zone: string | null }) {
  await checkZone(choice.zone);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ digestHour: choice.hour, digestZone: choice.zone }).where(eq(users.id, viewer.id));
    await recordActivity(tx, {
      firmId: viewer.firmId,
      actor: actorOf(viewer),
      action: 'send_time_changed',
      details: { hour: choice.hour, zone: choice.zone },
    });
  });
}

/** The firm's default, for members who did not choose their own. */
export async function setFirmSendTime(admin: Viewer, choice: SendTime) {
  assertAdmin(admin);
  await checkZone(choice.zone);
  await db.transaction(async (tx) => {
    await tx.update(firms).set({ digestHour: choice.hour, digestZone: choice.zone }).where(eq(firms.id, admin.firmId));
    await recordActivity(tx, {
      firmId: admin.firmId,
      actor: actorOf(admin),
      action: 'send_time_changed',
      details: { hour: choice.hour, zone: choice.zone, firmDefault: true },
    });
  });
}
