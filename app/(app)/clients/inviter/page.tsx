import type { Metadata } from 'next';
import { Link } from '@/components/link';
import { ActionForm, Field, FieldError } from '@/components/action-form';
import { listAssignableUsers } from '@/lib/assignments/assignments';
import { requireAdmin } from '@/lib/auth/session';
import { fr } from '@/lib/i18n/fr';
import { inviteClientAction } from '@/lib/onboarding/actions';

export const metadata: Metadata = { title: fr.onboarding.inviteTitle };

export default async function InviteClientPage() {
  const user = await requireAdmin();
  const team = await listAssignableUsers(user.firmId);
  return (
    <>
      <p className="breadcrumb">
        <Link href="/clients">← {fr.workspace.back}</Link>
      </p>
      <div className="page-title">
        <h1>{fr.onboarding.inviteTitle}</h1>
      </div>
      <section className="panel">
        <p className="muted">
          Le client reçoit un e-mail pour ouvrir son compte. Il apparaît dans l’onglet « Intégration » le temps de la vérification, puis
          dans « Tous » une fois vérifié.
        </p>
        <ActionForm action={inviteClientAction} className="stack-form" submitLabel={fr.onboarding.submit} buttonClassName="button primary" messagePlacement="top" resetOnSuccess>
          <Field name="name" label={fr.onboarding.name} autoComplete="organization" required />
          <Field name="siren" label={fr.onboarding.siren} hint={fr.onboarding.sirenHint} />
          <Field name="contactEmail" label={fr.onboarding.contactEmail} type="email" autoComplete="email" required />
          <fieldset className="fieldset" aria-describedby="field-accountantIds-error">
            <legend>{fr.onboarding.accountants}</legend>
            {team.map((member) => (
              <label key={member.id} className="checkbox">
                <input type="checkbox" name="accountantIds" value={member.id} />
                {member.name} <span className="muted">· {fr.roles[member.role]}</span>
              </label>
            ))}
            <FieldError name="accountantIds" />
          </fieldset>
        </ActionForm>
      </section>
    </>
  );
}
