'use client';

import { submitKeepingFields } from './submit-keeping-fields';
import { createContext, useActionState, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslations } from 'next-intl';
import { describedBy, FieldErrorText } from './field-error';
import { idle, type ActionState } from '@/lib/server/action-state';
import { ConfirmDialog, type ConfirmText } from './confirm-dialog';

const FormState = createContext<ActionState>(idle);

/** Fired (bubbling) by a form as it submits, so that the other forms put their last result away. */
const SUBMITTING = 'action-form:submitting';

type Props = {
  id?: string;
  action: (state: ActionState, form: FormData) => Promise<ActionState>;
  hidden?: Record<string, string>;
  submitLabel: string;
  /** The button's accessible name when its visible label needs its row to make sense ("Renvoyer"). */
  submitDescription?: string;
  /** A name and value for the main button, when the form has several (a bulk bar). */
  submitName?: string;
  submitValue?: string;
  pendingLabel?: string;
  className?: string;
  buttonClassName?: string;
  children?: ReactNode;
  /** Where the result message goes: after the button (default) or above the fields. */
  messagePlacement?: 'inline' | 'top';
  /** Empty the fields once the action succeeded (forms that create something). */
  resetOnSuccess?: boolean;
  /** Ask first, in a dialog (with JavaScript; the plain form acts at once). */
  confirm?: ConfirmText;
  /** Ask only when the form sends this field (a ticked « Tout sélectionner »). */
  confirmIfField?: string;
  /**
   * Where the form posts without JavaScript, when not to `action`: a server action that acts and
   * redirects, with its result in the URL it redirects to (given back as `initialState`). With
   * JavaScript the form still runs `action`. Spares React the encoding of `useActionState`'s
   * previous state into the page, which the Clients page's bulk bar paid on every render.
   */
  noScriptAction?: (form: FormData) => Promise<void>;
  /** The result to show at first: what `noScriptAction` left in the URL. */
  initialState?: ActionState;
};

/**
 * A form posting to a server action: works without JavaScript, disables its button while it
 * runs, announces the result, and hands field errors to the <Field>s inside it.
 */
export function ActionForm({
  id,
  action,
  hidden,
  submitLabel,
  submitDescription,
  submitName,
  submitValue,
  pendingLabel,
  className,
  buttonClassName,
  children,
  messagePlacement = 'inline',
  resetOnSuccess = false,
  confirm,
  confirmIfField,
  noScriptAction,
  initialState = idle,
}: Props) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const confirmed = useRef(false);
  const submitter = useRef<HTMLElement | null>(null);
  const t = useTranslations();
  const [state, formAction, pending] = useActionState(action, initialState);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (resetOnSuccess && state.status === 'success') formRef.current?.reset();
  }, [state, resetOnSuccess]);
  // A result speaks of the last submission: once the user acts again on the page (another form,
  // or a field of this one), it is put away rather than left to contradict what the page shows.
  const [dismissed, setDismissed] = useState<ActionState | null>(null);
  useEffect(() => {
    const putAway = (event: Event) => {
      if (event.target !== formRef.current) setDismissed(state);
    };
    document.addEventListener(SUBMITTING, putAway);
    return () => document.removeEventListener(SUBMITTING, putAway);
  }, [state]);
  const submit = submitKeepingFields(formAction);
  const message =
    state.message && state !== dismissed ? (
      <span
        role={state.status === 'error' ? 'alert' : 'status'}
        className={state.status === 'error' ? 'error' : 'success'}
      >
        {state.message}
      </span>
    ) : null;
  return (
    <FormState.Provider value={state}>
      <form
        id={id}
        ref={formRef}
        action={noScriptAction ?? formAction}
        onSubmit={(event) => {
          const asks = confirm && (!confirmIfField || new FormData(event.currentTarget).has(confirmIfField));
          if (asks && !confirmed.current) {
            event.preventDefault();
            submitter.current = (event.nativeEvent as SubmitEvent).submitter;
            dialogRef.current?.showModal();
            return;
          }
          confirmed.current = false;
          event.currentTarget.dispatchEvent(new Event(SUBMITTING, { bubbles: true }));
          submit(event);
        }}
        onChange={() => setDismissed(state)}
        className={className ?? 'inline-form'}
        noValidate
      >
        {messagePlacement === 'top' ? message : null}
        {Object.entries(hidden ?? {}).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        {children}
        <button
          type="submit"
          className={buttonClassName ?? 'button'}
          disabled={pending}
          aria-label={submitDescription}
          name={submitName}
          value={submitValue}
        >
          {pending ? (pendingLabel ?? t('common.pending', { label: submitLabel })) : submitLabel}
        </button>
        {messagePlacement === 'inline' ? message : null}
        {confirm ? (
          <ConfirmDialog
            dialogRef={dialogRef}
            text={confirm}
            onConfirm={() => {
              confirmed.current = true;
              formRef.current?.requestSubmit(submitter.current ?? undefined);
            }}
          />
        ) : null}
      </form>
    </FormState.Provider>
  );
}

type FieldProps = {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password' | 'select';
  options?: { value: string; label: string }[];
  defaultValue?: string;
  autoComplete?: string;
  hint?: string;
  required?: boolean;
  /** Told apart from a field of the same name in another form of the page (ids: `<form>-<name>`). */
  form?: string;
};

/** A labelled field whose error, if the action returned one, is shown next to it and tied to it. */
export function Field({
  name,
  label,
  type = 'text',
  options,
  defaultValue,
  autoComplete,
  hint,
  required,
  form,
}: FieldProps) {
  const state = useContext(FormState);
  const error = state.fieldErrors?.[name]?.[0];
  const id = `${form ?? 'field'}-${name}`;
  const errorName = form ? `${form}-${name}` : name;
  const aria = describedBy(errorName, error, hint ? `${id}-hint` : undefined);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {type === 'select' ? (
        <select id={id} name={name} defaultValue={defaultValue} {...aria}>
          {options?.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      ) : (
        <input
          id={id}
          name={name}
          type={type}
          defaultValue={defaultValue}
          autoComplete={autoComplete}
          required={required}
          {...aria}
        />
      )}
      {hint ? (
        <p id={`${id}-hint`} className="muted hint">
          {hint}
        </p>
      ) : null}
      <FieldErrorText name={errorName} error={error} />
    </div>
  );
}

/** The error of a group of checkboxes (a fieldset), tied to it by id. */
export function FieldError({ name }: { name: string }) {
  return <FieldErrorText name={name} error={useContext(FormState).fieldErrors?.[name]?.[0]} announce />;
}
