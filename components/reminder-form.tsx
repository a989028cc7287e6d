'use client';

import { describedBy, FieldErrorText } from './field-error';
import { submitKeepingFields } from './submit-keeping-fields';
import { Link } from '@/components/link';
import { useActionState } from 'react';
import { idle, type ActionState } from '@/lib/server/action-state';
import { useTranslations } from 'next-intl';

type Task = { value: string; label: string; figure: string };

type Props = {
  action: (state: ActionState, form: FormData) => Promise<ActionState>;
  clientId: string;
  formToken: string;
  tasks: Task[];
  maxComment: number;
  /** Who receives it, when the client has a preparer or a reviewer: the first is the default. */
  targets?: { value: string; label: string }[];
};

export function ReminderForm({ action, clientId, formToken, tasks, maxComment, targets }: Props) {
  const t = useTranslations();
  const [state, formAction, pending] = useActionState(action, idle);
  const tasksError = state.fieldErrors?.tasks?.[0];
  const commentError = state.fieldErrors?.comment?.[0];

  if (state.status === 'success') {
    return (
      <div className="stack" role="status">
        <p className="success">{state.message}</p>
        {state.data?.recipients ? <p>{t('reminders.sentTo', { names: state.data.recipients })}</p> : null}
        <p>
          <Link href={`/clients/${clientId}/details`}>{t('reminders.seeHistory')}</Link> ·{' '}
          <Link href="/clients">{t('common.backToClients')}</Link>
        </p>
      </div>
    );
  }

  return (
    <form action={formAction} onSubmit={submitKeepingFields(formAction)} className="stack" noValidate>
      <input type="hidden" name="clientId" value={clientId} />
      <input type="hidden" name="formToken" value={formToken} />
      {targets ? (
        <fieldset className="fieldset">
          <legend>{t('reminders.targetsLegend')}</legend>
          {targets.map((target, i) => (
            <label key={target.value} className="checkbox">
              <input type="radio" name="target" value={target.value} defaultChecked={i === 0} />
              <span>{target.label}</span>
            </label>
          ))}
        </fieldset>
      ) : null}
      <fieldset className="fieldset" {...describedBy('tasks', tasksError)}>
        <legend>{t('reminders.tasksLegend')}</legend>
        {tasks.map((task) => (
          <label key={task.value} className="checkbox">
            <input type="checkbox" name="tasks" value={task.value} />
            <span>
              {task.label} <span className="muted">{t('reminders.taskFigure', { figure: task.figure })}</span>
            </span>
          </label>
        ))}
        <FieldErrorText name="tasks" error={tasksError} announce />
      </fieldset>
      <div className="field">
        <label htmlFor="comment">{t('reminders.comment')}</label>
        <textarea
          id="comment"
          name="comment"
          rows={5}
          maxLength={maxComment}
          placeholder={t('reminders.commentPlaceholder')}
          {...describedBy('comment', commentError)}
        />
        <FieldErrorText name="comment" error={commentError} announce />
      </div>
      {state.status === 'error' && !tasksError && !commentError ? (
        <p className="error" role="alert">
          {state.message}
        </p>
      ) : null}
      <div>
        <button type="submit" className="button primary" disabled={pending}>
          {pending ? t('reminders.sending') : t('reminders.submit')}
        </button>
      </div>
    </form>
  );
}
