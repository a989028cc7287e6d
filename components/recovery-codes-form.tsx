'use client';

import { useActionState } from 'react';
import { idle, type ActionState } from '@/lib/server/action-state';
import { describedBy, FieldErrorText } from './field-error';
import { submitKeepingFields } from './submit-keeping-fields';

type Labels = {
  codesTitle: string;
  codesIntro: string;
  download: string;
  saved: string;
  code: string;
  submit: string;
  /** When given, the form asks for the password too (« Régénérer les codes »). */
  password?: string;
};

type Props = {
  action: (state: ActionState, form: FormData) => Promise<ActionState>;
  /** Given by the server page: the Sécurité page's words stay out of every other page's payload. */
  labels: Labels;
  id: string;
};

/**
 * A 6-digit code that, once right, gives recovery codes: confirming the set-up or regenerating the
 * codes. The codes are shown once, with "Télécharger" (a .txt file) and "J'ai enregistré mes codes".
 */
export function RecoveryCodesForm({ action, labels, id }: Props) {
  const [state, formAction, pending] = useActionState(action, idle);
  const codes = state.status === 'success' ? state.data?.codes : undefined;
  if (codes) {
    const file = `data:text/plain;charset=utf-8,${encodeURIComponent(`${labels.codesTitle}\n\n${codes}\n`)}`;
    return (
      <div className="stack" role="status">
        <p className="success">{state.message}</p>
        <h3>{labels.codesTitle}</h3>
        <p>{labels.codesIntro}</p>
        <ul className="recovery-codes">
          {codes.split('\n').map((code) => (
            <li key={code}>
              <code>{code}</code>
            </li>
          ))}
        </ul>
        <p className="actions-row">
          <a href={file} download="codes-de-secours-portail-partenaires.txt" className="button">
            {labels.download}
          </a>
          <a href="/compte/securite" className="button primary">
            {labels.saved}
          </a>
        </p>
      </div>
    );
  }
  const error = state.fieldErrors?.code?.[0];
  const passwordError = state.fieldErrors?.password?.[0];
  return (
    <form action={formAction} onSubmit={submitKeepingFields(formAction)} className="stack-form" noValidate>
      {labels.password ? (
        <div className="field">
          <label htmlFor={`${id}-password`}>{labels.password}</label>
          <input
            id={`${id}-password`}
            name="password"
            type="password"
            autoComplete="current-password"
            {...describedBy(`${id}-password`, passwordError)}
          />
          <FieldErrorText name={`${id}-password`} error={passwordError} />
        </div>
      ) : null}
      <div className="field">
        <label htmlFor={`${id}-code`}>{labels.code}</label>
        <input
          id={`${id}-code`}
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9 ]*"
          maxLength={7}
          {...describedBy(`${id}-code`, error)}
        />
        <FieldErrorText name={`${id}-code`} error={error} />
      </div>
      {state.status === 'error' && !error && !passwordError ? (
        <p className="error" role="alert">
          {state.message}
        </p>
      ) : null}
      <div>
        <button type="submit" className="button primary" disabled={pending}>
          {labels.submit}
        </button>
      </div>
    </form>
  );
}
