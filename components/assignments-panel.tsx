import { ActionForm, Field } from '@/components/action-form';
import { assignAction, unassignAction } from '@/lib/assignments/actions';
import type { I18n } from '@/lib/server/i18n/translator';

type Props = {
  t: I18n['t'];
  clientId: string;
  assigned: { id: string; name: string }[];
  team: { id: string; name: string }[];
};

/** The assigned accountants of a client, with "Retirer" and "Attribuer" for admins. */
export function AssignmentsPanel({ t, clientId, assigned, team }: Props) {
  const assignable = team.filter((member) => !assigned.some((a) => a.id === member.id));
  return (
    <div className="stack">
      {assigned.length ? (
        <ul className="plain-list assignment-list">
          {assigned.map((a) => (
            <li key={a.id}>
              <span>{a.name}</span>{' '}
              <ActionForm
                action={unassignAction}
                hidden={{ clientId, userId: a.id }}
                submitLabel={t('assignments.remove')}
                submitDescription={t('assignments.removeNamed', { name: a.name })}
                buttonClassName="button small"
                confirm={{
                  title: t('assignments.removeConfirmTitle', { name: a.name }),
                  body: t('assignments.removeConfirmBody', { name: a.name }),
                  confirmLabel: t('assignments.remove'),
                  cancelLabel: t('common.cancel'),
                }}
              />
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t('details.noAccountant')}</p>
      )}
      {assignable.length ? (
        <ActionForm
          action={assignAction}
          hidden={{ clientId }}
          submitLabel={t('assignments.add')}
          buttonClassName="button primary"
          className="inline-form align-end"
        >
          <Field
            name="userId"
            label={t('assignments.choose')}
            type="select"
            options={assignable.map((m) => ({ value: m.id, label: m.name }))}
          />
        </ActionForm>
      ) : null}
    </div>
  );
}
