import type { Metadata } from 'next';
import { ActionForm, Field } from '@/components/action-form';
import { Link } from '@/components/link';
import { PageHeader } from '@/components/page-header';
import { setCloseRulesAction } from '@/lib/close/actions';
import { firmCloseRules } from '@/lib/close/deadlines';
import { requireAdmin } from '@/lib/access/session';
import { getI18n } from '@/lib/access/request-locale';
import { i18nFor } from '@/lib/server/i18n/translator';
import {
  cancelTeamInvitationAction,
  changeRoleAction,
  clearSuppressionAction,
  inviteMemberAction,
  resendTeamInvitationAction,
  setActiveAction,
} from '@/lib/team/actions';
import { firmRequiresTwoFactor, listMembers, listOpenInvitations } from '@/lib/team/queries';
import { resetTwoFactorAction, twoFactorPolicyAction } from '@/lib/two-factor/actions';
import { PolicyCheckbox } from '@/components/policy-checkbox';
import { SendTimeForm } from '@/components/send-time-form';
import { sendTimeOf } from '@/lib/notifications/send-time';
import { accessPolicyAction } from '@/lib/access-requests/actions';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getI18n()).t('team.title') };
}

const ROLES = ['accountant', 'admin'] as const;

export default async function TeamPage() {
  const user = await requireAdmin();
  const [members, invitations, twoFactorRequired, closeRules, sendTime] = await Promise.all([
    listMembers(user.firmId),
    listOpenInvitations(user.firmId),
    firmRequiresTwoFactor(user.firmId),
    firmCloseRules(user.firmId),
    sendTimeOf(user),
  ]);
  const { t, format } = i18nFor(user.locale);
  const roleOptions = ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }));
  return (
    <>
      <PageHeader
        title={t('team.title')}
        actions={<Link href="/equipe/plan-comptable">{t('books.firmChart.link')}</Link>}
      />
      <section className="panel" aria-labelledby="members-title">
        <h2 id="members-title">{t('team.members')}</h2>
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('team.name')}</th>
                <th scope="col">{t('team.email')}</th>
                <th scope="col">{t('team.role')}</th>
                <th scope="col">{t('team.state')}</th>
                <th scope="col">{t('team.twoFactorColumn')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.map((member) => (
                <tr key={member.id}>
                  <th scope="row">
                    {member.name} {member.id === user.id ? <span className="muted">{t('team.you')}</span> : null}
                  </th>
                  <td>
                    {member.email}
                    {member.emailFailing ? (
                      <>
                        {' '}
                        <span className="badge badge-declined">{t('team.emailFailing')}</span>
                      </>
                    ) : null}
                  </td>
                  <td>
                    <ActionForm
                      action={changeRoleAction}
                      hidden={{ userId: member.id }}
                      submitLabel={t('team.changeRole')}
                      buttonClassName="button small"
                    >
                      <label className="visually-hidden" htmlFor={`role-${member.id}`}>
                        {t('team.roleOf', { name: member.name })}
                      </label>
                      <select id={`role-${member.id}`} name="role" defaultValue={member.role}>
                        {roleOptions.map((o) => (
                          <option key={o.value} value={o.value}>
                            {o.label}
                          </option>
                        ))}
                      </select>
                    </ActionForm>
                  </td>
                  <td>
                    <span className={`badge ${member.active ? 'badge-active' : 'badge-declined'}`}>
                      {member.active ? t('team.active') : t('team.inactive')}
                    </span>
                  </td>
                  <td>
                    {member.twoFactor ? t('team.twoFactorOn') : <span className="muted">{t('team.twoFactorOff')}</span>}
                  </td>
                  <td className="actions">
                    <ActionForm
                      action={setActiveAction}
                      hidden={{ userId: member.id, active: member.active ? 'false' : 'true' }}
                      submitLabel={member.active ? t('team.deactivate') : t('team.reactivate')}
                      buttonClassName="button small"
                    />
                    {member.emailFailing ? (
                      <ActionForm
                        action={clearSuppressionAction}
                        hidden={{ userId: member.id }}
                        submitLabel={t('team.clearSuppression')}
                        submitDescription={t('team.clearSuppressionLabel', { name: member.name })}
                        buttonClassName="button small"
                      />
                    ) : null}
                    {member.twoFactor && member.id !== user.id ? (
                      <ActionForm
                        action={resetTwoFactorAction}
                        hidden={{ userId: member.id }}
                        submitLabel={t('team.reset')}
                        submitDescription={t('team.resetLabel', { name: member.name })}
                        buttonClassName="button small"
                      />
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="panel" aria-labelledby="two-factor-policy-title">
        <h2 id="two-factor-policy-title">{t('team.twoFactorTitle')}</h2>
        <ActionForm
          action={twoFactorPolicyAction}
          className="stack-form"
          submitLabel={t('team.policySave')}
          buttonClassName="button"
        >
          <PolicyCheckbox
            name="required"
            label={t('team.requireTwoFactor')}
            hint={t('team.requireTwoFactorHint')}
            defaultChecked={twoFactorRequired}
          />
        </ActionForm>
      </section>
      <section className="panel" aria-labelledby="access-policy-title">
        <h2 id="access-policy-title">{t('access.policyTitle')}</h2>
        <ActionForm
          action={accessPolicyAction}
          className="stack-form"
          submitLabel={t('access.policySave')}
          buttonClassName="button"
        >
          <PolicyCheckbox
            name="enabled"
            label={t('access.policy')}
            hint={t('access.policyHint')}
            defaultChecked={user.accessRequests}
          />
        </ActionForm>
      </section>
      <SendTimeForm user={user} choice={sendTime} firm />
      <section className="panel" aria-labelledby="close-rules-title">
        <h2 id="close-rules-title">{t('close.rulesTitle')}</h2>
        <p className="muted">{t('close.rulesIntro')}</p>
        <ActionForm action={setCloseRulesAction} submitLabel={t('close.save')} buttonClassName="button secondary">
          <Field
            form="close"
            name="closeWorkingDays"
            label={t('close.closeWorkingDays')}
            defaultValue={String(closeRules.closeWorkingDays)}
          />
          <Field
            form="close"
            name="franchiseCloseDay"
            label={t('close.franchiseCloseDay')}
            defaultValue={String(closeRules.franchiseCloseDay)}
          />
        </ActionForm>
      </section>
      <section className="panel" aria-labelledby="invite-title">
        <h2 id="invite-title">{t('teamInvitations.invite')}</h2>
        <ActionForm
          action={inviteMemberAction}
          className="stack-form"
          submitLabel={t('teamInvitations.submit')}
          buttonClassName="button primary"
          messagePlacement="top"
          resetOnSuccess
        >
          <Field name="name" label={t('team.name')} autoComplete="name" />
          <Field name="email" label={t('team.email')} type="email" autoComplete="email" />
          <Field name="role" label={t('team.role')} type="select" options={roleOptions} defaultValue="accountant" />
        </ActionForm>
        <h3>{t('teamInvitations.pending')}</h3>
        {invitations.length ? (
          <ul className="plain-list">
            {invitations.map((i) => (
              <li key={i.id} className="invitation-row">
                <span>
                  {t('teamInvitations.line', { name: i.name, email: i.email, role: t(`roles.${i.role}`) })}
                  <span className="muted">{t('teamInvitations.expires', { when: format.dateTime(i.expiresAt) })}</span>
                </span>
                <ActionForm
                  action={resendTeamInvitationAction}
                  hidden={{ invitationId: i.id }}
                  submitLabel={t('teamInvitations.resend')}
                  submitDescription={t('teamInvitations.resendLabel', { email: i.email })}
                  buttonClassName="button small"
                />
                <ActionForm
                  action={cancelTeamInvitationAction}
                  hidden={{ invitationId: i.id }}
                  submitLabel={t('teamInvitations.cancel')}
                  submitDescription={t('teamInvitations.cancelLabel', { email: i.email })}
                  buttonClassName="button small"
                />
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t('teamInvitations.none')}</p>
        )}
      </section>
    </>
  );
}
