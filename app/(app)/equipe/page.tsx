import type { Metadata } from 'next';
import { ActionForm, Field } from '@/components/action-form';
import { requireAdmin } from '@/lib/auth/session';
import { formatDateTime } from '@/lib/format';
import { fr } from '@/lib/i18n/fr';
import { changeRoleAction, inviteMemberAction, setActiveAction } from '@/lib/team/actions';
import { listMembers, listOpenInvitations } from '@/lib/team/team';

export const metadata: Metadata = { title: fr.team.title };

const ROLE_OPTIONS = [
  { value: 'accountant', label: fr.roles.accountant },
  { value: 'admin', label: fr.roles.admin },
];

export default async function TeamPage() {
  const user = await requireAdmin();
  const [members, invitations] = await Promise.all([listMembers(user.firmId), listOpenInvitations(user.firmId)]);
  return (
    <>
      <div className="page-title">
        <h1>{fr.team.title}</h1>
      </div>
      <section className="panel" aria-labelledby="members-title">
        <h2 id="members-title">{fr.team.members}</h2>
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{fr.team.name}</th>
                <th scope="col">{fr.team.email}</th>
                <th scope="col">{fr.team.role}</th>
                <th scope="col">{fr.team.state}</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.map((member) => (
                <tr key={member.id}>
                  <th scope="row">
                    {member.name} {member.id === user.id ? <span className="muted">{fr.team.you}</span> : null}
                  </th>
                  <td>{member.email}</td>
                  <td>
                    <ActionForm action={changeRoleAction} hidden={{ userId: member.id }} submitLabel={fr.team.changeRole} buttonClassName="button small">
                      <label className="visually-hidden" htmlFor={`role-${member.id}`}>
                        {fr.team.role} : {member.name}
                      </label>
                      <select id={`role-${member.id}`} name="role" defaultValue={member.role}>
                        {ROLE_OPTIONS.map((o) => (
                          <option key={o.value} value={o.value}>
                            {o.label}
                          </option>
                        ))}
                      </select>
                    </ActionForm>
                  </td>
                  <td>
                    <span className={`badge ${member.active ? 'badge-active' : 'badge-declined'}`}>{member.active ? fr.team.active : fr.team.inactive}</span>
                  </td>
                  <td className="actions">
                    <ActionForm
                      action={setActiveAction}
                      hidden={{ userId: member.id, active: member.active ? 'false' : 'true' }}
                      submitLabel={member.active ? fr.team.deactivate : fr.team.reactivate}
                      buttonClassName="button small"
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="panel" aria-labelledby="invite-title">
        <h2 id="invite-title">{fr.team.invite}</h2>
        <ActionForm action={inviteMemberAction} className="stack-form" submitLabel={fr.team.inviteSubmit} buttonClassName="button primary" messagePlacement="top" resetOnSuccess>
          <Field name="name" label={fr.team.name} autoComplete="name" />
          <Field name="email" label={fr.team.email} type="email" autoComplete="email" />
          <Field name="role" label={fr.team.role} type="select" options={ROLE_OPTIONS} defaultValue="accountant" />
        </ActionForm>
        <h3>{fr.team.pending}</h3>
        {invitations.length ? (
          <ul className="plain-list">
            {invitations.map((i) => (
              <li key={i.id}>
                {i.name} · {i.email} · {fr.roles[i.role]} · <span className="muted">{fr.team.expires(formatDateTime(i.expiresAt))}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{fr.team.noPending}</p>
        )}
      </section>
    </>
  );
}
