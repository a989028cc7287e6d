import { randomUUID } from 'node:crypto';
import type { Metadata } from 'next';
import { listClientGroups } from '@/lib/groups/groups';
import { setCadenceAction } from '@/lib/receipts/actions';
import { presetOf } from '@/lib/receipts/cadence';
import { receiptAddress } from '@/lib/receipts/inbound';
import { removeFromGroupAction } from '@/lib/groups/actions';
import { ActionForm, Field } from '@/components/action-form';
import { VAT_REGIMES } from '@/lib/close/calendar';
import { setVatRegimeAction } from '@/lib/close/actions';
import { clientDeadline, monthToClose } from '@/lib/close/deadlines';
import type { ReminderTask } from '@/db/schema';
import { describeActor } from '@/lib/activity/describe';
import { listClientActivity } from '@/lib/activity/queries';
import { actorOf, recordView } from '@/lib/activity/record';
import { Link } from '@/components/link';
import { PageHeader } from '@/components/page-header';
import { notFound } from 'next/navigation';
import { AssignmentsPanel } from '@/components/assignments-panel';
import { NotificationForm } from '@/components/notification-form';
import { StatusBadge } from '@/components/status-badge';
import { listAssignableUsers } from '@/lib/assignments/queries';
import { requireUser } from '@/lib/access/session';
import { describeClientEvent, listClientEvents } from '@/lib/clients/events';
import { findClientDetails } from '@/lib/clients/queries';
import { getI18n } from '@/lib/access/request-locale';
import { i18nFor } from '@/lib/server/i18n/translator';
import { saveNotificationPreference } from '@/lib/notifications/actions';
import { cancelClientInvitationAction, resendClientInvitationAction } from '@/lib/onboarding/actions';
import { nextDelivery } from '@/lib/notifications/schedule';
import { sendTimeOf } from '@/lib/notifications/send-time';
import { findSubscription } from '@/lib/notifications/queries';
import { listReminders } from '@/lib/reminders/queries';

type Props = {
  params: Promise<{ clientId: string }>;
  searchParams?: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getI18n()).t('details.title') };
}

export default async function ClientDetailsPage({ params, searchParams }: Props) {
  const user = await requireUser();
  const { clientId } = await params;
  const client = await findClientDetails(user, clientId);
  if (!client) notFound();
  await recordView({ firmId: user.firmId, actor: actorOf(user), action: 'client_details_viewed', client });
  const i18n = i18nFor(user.locale);
  const { t, format } = i18n;
  const isAdmin = user.role === 'admin';
  const justAccepted = (await searchParams)?.invitation === 'acceptee' && client.status === 'active';
  const closing = monthToClose(new Date());
  const [closeDeadline, subscription, reminders, team, events, activity, groups] = await Promise.all([
    clientDeadline(client, closing),
    client.status === 'active' ? findSubscription(user, client) : undefined,
    listReminders(client),
    isAdmin ? listAssignableUsers(user.firmId) : Promise.resolve([]),
    listClientEvents(client),
    // The firm's Journal is the admins': so is this client's part of it.
    isAdmin ? listClientActivity(client) : Promise.resolve([]),
    listClientGroups(user, client),
  ]);
  const deadline = t('close.deadline', {
    month: format.monthYear(new Date(`${closing}-15T12:00:00Z`)),
    close: format.day(closeDeadline.close),
    kind: t(`close.kinds.${closeDeadline.kind}`, { day: format.day(closeDeadline.due) }),
  });
  // Per recipient: what the provider reported once it accepted the e-mail, else our own state.
  const recipientState = (r: {
    state: 'pending' | 'sent' | 'failed';
    deliveryStatus: string | null;
    lastError: string | null;
  }) =>
    r.deliveryStatus === 'delivered' ||
    r.deliveryStatus === 'bounced' ||
    r.deliveryStatus === 'complained' ||
    r.deliveryStatus === 'delayed'
      ? t(`reminders.delivery.${r.deliveryStatus}`)
      : r.lastError === 'suppressed'
        ? t('reminders.suppressed')
        : t(`reminders.states.${r.state}`);
  // What a reminder was about, then and now: « Reçus manquants : 7 → 3 ».
  type Figures = { missingReceipts: number; readyToExport: number; balanceCents: number; currency: string };
  const figure = (task: ReminderTask, f: Figures) =>
    task === 'missing_receipts'
      ? format.count(f.missingReceipts)
      : task === 'ready_to_export'
        ? format.count(f.readyToExport)
        : format.money(f.balanceCents, f.currency);
  const reminderFigure = (task: ReminderTask, then: Figures, now: Figures) =>
    t('reminders.figureChange', {
      label: t(`reminders.tasks.${task}`),
      then: figure(task, then),
      now: figure(task, now),
    });
  const nextLabel = subscription?.enabled
    ? format.slot(
        nextDelivery(new Date(), subscription.firstSlotAt, subscription.frequency, (await sendTimeOf(user)).effective),
      )
    : undefined;

  return (
    <>
      <PageHeader
        title={client.name}
        backLabel={t('common.backToClients')}
        actions={
          client.status === 'active' ? (
            <div className="actions-row">
              {user.role === 'admin' ? (
                <Link href={`/clients/${client.id}/notifier`} className="button">
                  {t('reminders.title')}
                </Link>
              ) : null}
              <Link href={`/clients/${client.id}`} className="button primary">
                {t('details.open')}
              </Link>
            </div>
          ) : null
        }
      />
      {justAccepted ? (
        <p className="banner success" role="status">
          {t('connectionRequests.accepted', { name: client.name })}
        </p>
      ) : null}
      <section className="panel" aria-labelledby="details-title">
        <h2 id="details-title">{t('details.title')}</h2>
        <dl className="details">
          <dt>{t('details.status')}</dt>
          <dd>
            <StatusBadge status={client.status} verification={client.verificationState} />
          </dd>
          {client.status === 'active' ? (
            <>
              <dt>{t('workspace.balance')}</dt>
              <dd>{format.money(client.balanceCents, client.currency)}</dd>
            </>
          ) : null}
          <dt>{t('details.contact')}</dt>
          <dd>
            {client.contactName ? t('details.contactName', { name: client.contactName }) : null}
            {client.contactEmail ? <a href={`mailto:${client.contactEmail}`}>{client.contactEmail}</a> : '—'}
          </dd>
          {client.status === 'active' && receiptAddress(client.receiptCode) ? (
            <>
              <dt>{t('details.receiptAddress')}</dt>
              <dd>
                <code>{receiptAddress(client.receiptCode)}</code>
                <p className="muted hint">{t('details.receiptAddressHint')}</p>
              </dd>
            </>
          ) : null}
          {client.siren ? (
            <>
              <dt>{t('details.siren')}</dt>
              <dd>{client.siren}</dd>
            </>
          ) : null}
          <dt>{t('details.createdAt')}</dt>
          <dd>{format.dateTime(client.createdAt)}</dd>
        </dl>
      </section>
      <section className="panel" aria-labelledby="vat-title">
        <h2 id="vat-title">{t('close.regimeTitle')}</h2>
        {deadline ? <p>{deadline}</p> : null}
        {isAdmin ? (
          <ActionForm
            action={setVatRegimeAction}
            hidden={{ clientId: client.id }}
            submitLabel={t('close.save')}
            buttonClassName="button secondary"
          >
            <Field form="vat" name="siren" label={t('details.siren')} defaultValue={client.siren ?? ''} />
            <Field
              form="vat"
              name="regime"
              type="select"
              label={t('close.regime')}
              defaultValue={client.vatRegime}
              options={VAT_REGIMES.map((r) => ({ value: r, label: t(`close.regimes.${r}`) }))}
            />
            <Field
              form="vat"
              name="dueDay"
              label={t('close.dueDay')}
              hint={t('close.dueDayHint')}
              defaultValue={String(client.vatDueDay)}
            />
          </ActionForm>
        ) : (
          <p className="muted">{t(`close.regimes.${client.vatRegime}`)}</p>
        )}
      </section>
      {isAdmin && client.status === 'onboarding' && client.verificationState === 'company_info' ? (
        <section className="panel" aria-labelledby="invitation-title">
          <h2 id="invitation-title">{t('clientInvitations.pendingTitle')}</h2>
          <p>{t('clientInvitations.pendingIntro', { email: client.contactEmail ?? '' })}</p>
          <div className="actions-row">
            <ActionForm
              action={resendClientInvitationAction}
              hidden={{ clientId: client.id, formToken: randomUUID() }}
              submitLabel={t('clientInvitations.resend')}
              buttonClassName="button"
            />
            <ActionForm
              action={cancelClientInvitationAction}
              hidden={{ clientId: client.id }}
              submitLabel={t('clientInvitations.cancel')}
              buttonClassName="button"
            />
          </div>
        </section>
      ) : null}
      {client.status === 'active' ? (
        <section className="panel" aria-labelledby="notifications" id="notifications-section">
          <h2 id="notifications">{t('notifications.title')}</h2>
          <NotificationForm
            action={saveNotificationPreference}
            clientId={client.id}
            enabled={subscription?.enabled ?? false}
            frequency={subscription?.frequency ?? 'weekly'}
            nextLabel={nextLabel}
          />
        </section>
      ) : null}
      {isAdmin && client.status === 'active' ? (
        <section className="panel" aria-labelledby="cadence-title">
          <h2 id="cadence-title">{t('cadence.title')}</h2>
          <p className="muted">{t('cadence.intro')}</p>
          <p>{t('cadence.current', { days: client.followupDays.map((d) => `J+${d}`).join(', ') })}</p>
          <ActionForm action={setCadenceAction} hidden={{ clientId: client.id }} submitLabel={t('cadence.save')}>
            <Field
              name="preset"
              form="cadence"
              label={t('cadence.preset')}
              type="select"
              defaultValue={presetOf(client.followupDays)}
              options={(['standard', 'doux', 'ferme', 'custom'] as const).map((p) => ({
                value: p,
                label: t(`cadence.presets.${p}`),
              }))}
            />
            <Field
              name="days"
              form="cadence"
              label={t('cadence.days')}
              defaultValue={presetOf(client.followupDays) === 'custom' ? client.followupDays.join(', ') : ''}
            />
          </ActionForm>
        </section>
      ) : null}
      <section className="panel" aria-labelledby="groups-title">
        <h2 id="groups-title">{t('groups.title')}</h2>
        {groups.length === 0 ? (
          <p className="muted">
            {t('groups.none')} <Link href="/clients/groupes">{t('groups.link')}</Link>
          </p>
        ) : (
          <ul className="plain-list">
            {groups.map((group) => (
              <li key={group.id} className="row-between">
                <span>{group.name}</span>
                {group.editable ? (
                  <ActionForm
                    action={removeFromGroupAction}
                    hidden={{ groupId: group.id, clientId: client.id }}
                    submitLabel={t('groups.remove')}
                    buttonClassName="button small"
                  />
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="panel" aria-labelledby="team-title" id="comptables">
        <h2 id="team-title">{t('details.accountants')}</h2>
        {isAdmin ? (
          <AssignmentsPanel t={t} clientId={client.id} assigned={client.accountants} team={team} />
        ) : client.accountants.length ? (
          <ul className="plain-list">
            {client.accountants.map((a) => (
              <li key={a.id}>{a.name}</li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t('details.noAccountant')}</p>
        )}
      </section>
      {client.status === 'active' ? (
        <section className="panel" aria-labelledby="reminders-title">
          <h2 id="reminders-title">{t('reminders.historyTitle')}</h2>
          {reminders.length === 0 ? (
            <p className="muted">{t('reminders.historyEmpty')}</p>
          ) : (
            <ul className="reminder-list">
              {reminders.map((reminder) => (
                <li key={reminder.id}>
                  <p className="muted">
                    {t('reminders.by', { name: reminder.senderName, when: format.dateTime(reminder.createdAt) })}
                  </p>
                  <ul className="plain-list">
                    {reminder.tasks.map((task) => (
                      <li key={task}>{reminderFigure(task, reminder, client)}</li>
                    ))}
                  </ul>
                  {reminder.comment ? (
                    <p className="reminder-comment">{t('reminders.quotedComment', { comment: reminder.comment })}</p>
                  ) : null}
                  <p className="muted">
                    {reminder.recipients
                      .map((r) => t('reminders.recipientState', { name: r.name, state: recipientState(r) }))
                      .join(', ')}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
      {events.length ? (
        <section className="panel" aria-labelledby="history-title">
          <h2 id="history-title">{t('details.history')}</h2>
          <ul className="reminder-list">
            {events.map((event) => (
              <li key={event.id}>
                <p>{describeClientEvent(t, event)}</p>
                <p className="muted">
                  {event.actorName
                    ? t('details.eventMeta', { when: format.dateTime(event.createdAt), actor: event.actorName })
                    : format.dateTime(event.createdAt)}
                </p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {isAdmin ? (
        <section className="panel" aria-labelledby="activity-title">
          <h2 id="activity-title">{t('journal.clientHistory')}</h2>
          {activity.length === 0 ? (
            <p className="muted">{t('journal.clientHistoryEmpty')}</p>
          ) : (
            <ul className="reminder-list">
              {activity.map((row) => (
                <li key={row.id}>
                  <p>
                    {t(`journal.actions.${row.action}`)} · {describeActor(i18n, row)}
                  </p>
                  <p className="muted">{format.dateTime(row.at)}</p>
                </li>
              ))}
            </ul>
          )}
          <p>
            <Link href={`/journal?client=${client.id}`}>{t('journal.seeAll')}</Link>
          </p>
        </section>
      ) : null}
    </>
  );
}
