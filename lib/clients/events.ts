import { and, desc, eq } from 'drizzle-orm';
import { db, type Tx } from '@/db';
import { clientEvents, users } from '@/db/schema';
import { messagesFor, type Messages } from '@/lib/server/i18n/messages';
import type { I18n } from '@/lib/server/i18n/translator';
import type { VisibleClient } from '@/lib/access/visibility';
import { recordActivityForClients, type ActivityAction } from '@/lib/activity/record';

// A client's history (invitation answered, verification steps, assignments), shown on its details page.

type ClientEventKind = keyof Messages['details']['events'];

// Each client event is also a row of the firm's Journal (lib/activity), in the same transaction.
const JOURNAL_ACTION: Record<ClientEventKind, ActivityAction> = {
  invitation_accepted: 'connection_request_accepted',
  invitation_declined: 'connection_request_declined',
  client_invited: 'client_invitation_sent',
  client_invitation_resent: 'client_invitation_sent',
  client_invitation_cancelled: 'client_invitation_cancelled',
  verification_step: 'platform_verification',
  verified: 'platform_verification',
  assigned: 'assignment_added',
  unassigned: 'assignment_removed',
  access_granted: 'access_granted',
  // Written by lib/access/access-expiry.ts in SQL, with its Journal row.
  access_ended: 'access_ended',
};

/** Written in the transaction of the change it records, with its Journal row. */
export async function recordClientEvent(
  tx: Tx,
  event: { firmId: string; clientId: string; actorId?: string | null; kind: ClientEventKind; detail?: string },
) {
  await recordClientEvents(tx, { ...event, clientIds: [event.clientId] });
}

/** The same event for many clients (a bulk assignment): two statements whatever their number. */
export async function recordClientEvents(
  tx: Tx,
  event: {
    firmId: string;
    clientIds: string[];
    actorId?: string | null;
    kind: ClientEventKind;
    detail?: string;
    /** More facts for the Journal's row (the client's history shows `detail`). */
    details?: Record<string, string | number | boolean | null>;
  },
) {
  if (event.clientIds.length === 0) return;
  const actorId = event.actorId ?? null;
  const detail = event.detail ?? '';
  await tx
    .insert(clientEvents)
    .values(event.clientIds.map((clientId) => ({ firmId: event.firmId, clientId, actorId, kind: event.kind, detail })));
  await recordActivityForClients(tx, {
    firmId: event.firmId,
    actor: actorId ? { kind: 'user', id: actorId } : { kind: 'platform' },
    action: JOURNAL_ACTION[event.kind],
    clientIds: event.clientIds,
    details: { ...(detail ? { detail } : {}), ...event.details },
  });
}

export async function listClientEvents(client: VisibleClient, limit = 20) {
  return db
    .select({
      id: clientEvents.id,
      kind: clientEvents.kind,
      detail: clientEvents.detail,
      createdAt: clientEvents.createdAt,
      actorName: users.name,
    })
    .from(clientEvents)
    .leftJoin(users, eq(users.id, clientEvents.actorId))
    .where(and(eq(clientEvents.firmId, client.firmId), eq(clientEvents.clientId, client.id)))
    .orderBy(desc(clientEvents.createdAt), desc(clientEvents.id))
    .limit(limit);
}

type VerificationStep = keyof Messages['verification'];

function isOwnKey<T extends object>(object: T, key: string): key is Extract<keyof T, string> {
  return Object.prototype.hasOwnProperty.call(object, key);
}

/** "Étape de vérification : Dirigeants et bénéficiaires", "Comptable attribué : Léa Martin". */
export function describeClientEvent(t: I18n['t'], event: { kind: string; detail: string }): string {
  const events = messagesFor('fr').details.events;
  if (!isOwnKey(events, event.kind)) return event.kind;
  const label = t(`details.events.${event.kind as ClientEventKind}`);
  if (event.kind === 'verified') return label;
  if (event.kind === 'verification_step' && isOwnKey(messagesFor('fr').verification, event.detail)) {
    return t('details.eventDetail', { event: label, detail: t(`verification.${event.detail as VerificationStep}`) });
  }
  return event.detail ? t('details.eventDetail', { event: label, detail: event.detail }) : label;
}
