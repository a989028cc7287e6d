import type { Metadata } from 'next';
import { Link } from '@/components/link';
import { notFound } from 'next/navigation';
import { AssignmentsPanel } from '@/components/assignments-panel';
import { NotificationForm } from '@/components/notification-form';
import { StatusBadge } from '@/components/status-badge';
import { listAssignableUsers } from '@/lib/assignments/assignments';
import { requireUser } from '@/lib/auth/session';
import { listClientEvents } from '@/lib/onboarding/invitations';
import { findClientDetails } from '@/lib/clients/queries';
import { formatDateTime, formatMoney } from '@/lib/format';
import { fr } from '@/lib/i18n/fr';
import { saveNotificationPreference } from '@/lib/notifications/actions';
import { formatSlot, nextDelivery } from '@/lib/notifications/schedule';
import { findSubscription } from '@/lib/notifications/subscriptions';
import { listReminders } from '@/lib/reminders/queries';

type Props = {
  params: Promise<{ clientId: string }>;
  searchParams?: Promise<Record<string, string | string[] | undefined>>;
};

export const metadata: Metadata = { title: fr.details.title };

export default async function ClientDetailsPage({ params, searchParams }: Props) {
  const user = await requireUser();
  const { clientId } = await params;
  const client = await findClientDetails(user, clientId);
  if (!client) notFound();
  const isAdmin = user.role === 'admin';
  const justAccepted = (await searchParams)?.invitation === 'acceptee' && client.status === 'active';
  const [subscription, reminders, team, events] = await Promise.all([
    client.status === 'active' ? findSubscription(user, client.id) : undefined,
    listReminders(user.firmId, client.id),
    isAdmin ? listAssignableUsers(user.firmId) : Promise.resolve([]),
    listClientEvents(user.firmId, client.id),
  ]);
  const nextLabel =
    subscription?.enabled ? formatSlot(nextDelivery(new Date(), subscription.firstSlotAt, subscription.frequency)) : undefined;

  return (
    <>
      <p className="breadcrumb">
        <Link href="/clients">← {fr.workspace.back}</Link>
      </p>
      <div className="page-title">
        <h1>{client.name}</h1>
        {client.status === 'active' ? (
          <div className="actions-row">
            {user.role === 'admin' ? (
              <Link href={`/clients/${client.id}/notifier`} className="button">
                {fr.reminders.title}
              </Link>
            ) : null}
            <Link href={`/clients/${client.id}`} className="button primary">
              {fr.details.open}
            </Link>
          </div>
        ) : null}
      </div>
      {justAccepted ? (
        <p className="banner success" role="status">
          {fr.onboarding.accepted(client.name)}
        </p>
      ) : null}
      <section className="panel" aria-labelledby="details-title">
        <h2 id="details-title">{fr.details.title}</h2>
        <dl className="details">
          <dt>{fr.details.status}</dt>
          <dd>
            <StatusBadge status={client.status} verification={client.verificationState} />
          </dd>
          {client.status === 'active' ? (
            <>
              <dt>{fr.workspace.balance}</dt>
              <dd>{formatMoney(client.balanceCents, client.currency)}</dd>
            </>
          ) : null}
          <dt>{fr.details.contact}</dt>
          <dd>
            {client.contactName ? `${client.contactName} · ` : null}
            {client.contactEmail ? <a href={`mailto:${client.contactEmail}`}>{client.contactEmail}</a> : '—'}
          </dd>
          {client.siren ? (
            <>
              <dt>{fr.details.siren}</dt>
              <dd>{client.siren}</dd>
            </>
          ) : null}
          <dt>{fr.details.createdAt}</dt>
          <dd>{formatDateTime(client.createdAt)}</dd>
        </dl>
      </section>
      {client.status === 'active' ? (
        <section className="panel" aria-labelledby="notifications" id="notifications-section">
          <h2 id="notifications">{fr.notifications.title}</h2>
          <NotificationForm
            action={saveNotificationPreference}
            clientId={client.id}
            enabled={subscription?.enabled ?? false}
            frequency={subscription?.frequency ?? 'weekly'}
            nextLabel={nextLabel}
          />
        </section>
      ) : null}
      <section className="panel" aria-labelledby="team-title" id="comptables">
        <h2 id="team-title">{fr.details.accountants}</h2>
        {isAdmin ? (
          <AssignmentsPanel clientId={client.id} assigned={client.accountants} team={team} />
        ) : client.accountants.length ? (
          <ul className="plain-list">
            {client.accountants.map((a) => (
              <li key={a.id}>{a.name}</li>
            ))}
          </ul>
        ) : (
          <p className="muted">{fr.details.noAccountant}</p>
        )}
      </section>
      {client.status === 'active' ? (
        <section className="panel" aria-labelledby="reminders-title">
          <h2 id="reminders-title">{fr.reminders.historyTitle}</h2>
          {reminders.length === 0 ? (
            <p className="muted">{fr.reminders.historyEmpty}</p>
          ) : (
            <ul className="reminder-list">
              {reminders.map((reminder) => (
                <li key={reminder.id}>
                  <p className="muted">{fr.reminders.by(reminder.senderName, formatDateTime(reminder.createdAt))}</p>
                  <p>{reminder.tasks.map((task) => fr.reminders.tasks[task]).join(' · ')}</p>
                  {reminder.comment ? <p className="reminder-comment">« {reminder.comment} »</p> : null}
                  <p className="muted">
                    {reminder.recipients.map((r) => `${r.name} (${fr.reminders.states[r.state]})`).join(', ')}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
      {events.length ? (
        <section className="panel" aria-labelledby="history-title">
          <h2 id="history-title">{fr.onboarding.history}</h2>
          <ul className="reminder-list">
            {events.map((event) => (
              <li key={event.id}>
                <p>
                  {fr.onboarding.events[event.kind] ?? event.kind}
                  {event.kind === 'verification_step'
                    ? ` : ${fr.verification[event.detail as keyof typeof fr.verification] ?? event.detail}`
                    : event.detail
                      ? ` : ${event.detail}`
                      : ''}
                </p>
                <p className="muted">
                  {formatDateTime(event.createdAt)}
                  {event.actorName ? ` · ${event.actorName}` : ''}
                </p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
