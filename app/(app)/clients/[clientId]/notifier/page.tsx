import { randomUUID } from 'node:crypto';
import type { Metadata } from 'next';
import { Link } from '@/components/link';
import { PageHeader } from '@/components/page-header';
import { notFound } from 'next/navigation';
import { ReminderForm } from '@/components/reminder-form';
import { requireAdmin } from '@/lib/access/session';
import { findWorkspaceClient } from '@/lib/clients/queries';
import { getI18n } from '@/lib/access/request-locale';
import { i18nFor } from '@/lib/server/i18n/translator';
import { sendReminderAction } from '@/lib/reminders/actions';
import { listReminderRecipients } from '@/lib/reminders/queries';
import { MAX_COMMENT } from '@/lib/reminders/schemas';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getI18n()).t('reminders.title') };
}

type Props = { params: Promise<{ clientId: string }> };

export default async function NotifyAccountantsPage({ params }: Props) {
  const user = await requireAdmin();
  const { clientId } = await params;
  const client = await findWorkspaceClient(user, clientId);
  if (!client) notFound();
  const { t, format } = i18nFor(user.locale);
  const [recipients, preparer, reviewer] = await Promise.all([
    listReminderRecipients(client, user.id),
    listReminderRecipients(client, user.id, 'preparer'),
    listReminderRecipients(client, user.id, 'reviewer'),
  ]);
  // « La clôture du mois »: the client's preparer or reviewer alone, when set (and not the sender).
  const targets = [
    { value: 'all', label: t('reminders.targets.all', { names: recipients.map((r) => r.name).join(', ') }) },
    ...(preparer[0] ? [{ value: 'preparer', label: t('reminders.targets.preparer', { name: preparer[0].name }) }] : []),
    ...(reviewer[0] ? [{ value: 'reviewer', label: t('reminders.targets.reviewer', { name: reviewer[0].name }) }] : []),
  ];

  return (
    <>
      <PageHeader title={t('reminders.pageTitle', { name: client.name })} backLabel={t('common.backToClients')} />
      <section className="panel">
        {recipients.length === 0 ? (
          <div className="stack" role="alert">
            <p className="error">{t('reminders.noAccountant')}</p>
            <p>
              <Link href={`/clients/${client.id}/details`}>{t('reminders.assignOne')}</Link>
            </p>
          </div>
        ) : (
          <>
            <p>
              {t('reminders.recipients')} <strong>{recipients.map((r) => r.name).join(', ')}</strong>
            </p>
            <ReminderForm
              action={sendReminderAction}
              clientId={client.id}
              formToken={randomUUID()}
              maxComment={MAX_COMMENT}
              targets={targets.length > 1 ? targets : undefined}
              tasks={[
                {
                  value: 'missing_receipts',
                  label: t('reminders.tasks.missing_receipts'),
                  figure: format.count(client.missingReceipts),
                },
                {
                  value: 'ready_to_export',
                  label: t('reminders.tasks.ready_to_export'),
                  figure: format.count(client.readyToExport),
                },
                {
                  value: 'balance',
                  label: t('reminders.tasks.balance'),
                  figure: format.money(client.balanceCents, client.currency),
                },
              ]}
            />
          </>
        )}
      </section>
    </>
  );
}
