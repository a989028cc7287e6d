import { randomUUID } from 'node:crypto';
import type { Metadata } from 'next';
import { Link } from '@/components/link';
import { notFound } from 'next/navigation';
import { ReminderForm } from '@/components/reminder-form';
import { requireAdmin } from '@/lib/auth/session';
import { findWorkspaceClient } from '@/lib/clients/queries';
import { formatCount, formatMoney } from '@/lib/format';
import { fr } from '@/lib/i18n/fr';
import { sendReminderAction } from '@/lib/reminders/actions';
import { listReminderRecipients } from '@/lib/reminders/queries';
import { MAX_COMMENT } from '@/lib/reminders/schemas';

export const metadata: Metadata = { title: fr.reminders.title };

type Props = { params: Promise<{ clientId: string }> };

export default async function NotifyAccountantsPage({ params }: Props) {
  const user = await requireAdmin();
  const { clientId } = await params;
  const client = await findWorkspaceClient(user, clientId);
  if (!client) notFound();
  const recipients = await listReminderRecipients(user.firmId, client.id, user.id);

  return (
    <>
      <p className="breadcrumb">
        <Link href="/clients">← {fr.workspace.back}</Link>
      </p>
      <div className="page-title">
        <h1>
          {fr.reminders.title} · {client.name}
        </h1>
      </div>
      <section className="panel">
        {recipients.length === 0 ? (
          <div className="stack" role="alert">
            <p className="error">{fr.reminders.noAccountant}</p>
            <p>
              <Link href={`/clients/${client.id}/details`}>{fr.reminders.assignOne}</Link>
            </p>
          </div>
        ) : (
          <>
            <p>
              {fr.reminders.recipients} <strong>{recipients.map((r) => r.name).join(', ')}</strong>
            </p>
            <ReminderForm
              action={sendReminderAction}
              clientId={client.id}
              formToken={randomUUID()}
              maxComment={MAX_COMMENT}
              tasks={[
                { value: 'missing_receipts', label: fr.reminders.tasks.missing_receipts, figure: formatCount(client.missingReceipts) },
                { value: 'ready_to_export', label: fr.reminders.tasks.ready_to_export, figure: formatCount(client.readyToExport) },
                { value: 'balance', label: fr.reminders.tasks.balance, figure: formatMoney(client.balanceCents, client.currency) },
              ]}
            />
          </>
        )}
      </section>
    </>
  );
}
