'use client';

import { useActionState } from 'react';
import type { DigestFrequency } from '@/db/schema';
import { idle, type ActionState } from '@/lib/action-state';
import { fr } from '@/lib/i18n/fr';

type Props = {
  action: (state: ActionState, form: FormData) => Promise<ActionState>;
  clientId: string;
  enabled: boolean;
  frequency: DigestFrequency;
  nextLabel?: string;
};

export function NotificationForm({ action, clientId, enabled, frequency, nextLabel }: Props) {
  const [state, formAction, pending] = useActionState(action, idle);
  const frequencyError = state.fieldErrors?.frequency?.[0];
  return (
    <form action={formAction} className="stack" aria-describedby="notifications-status">
      <input type="hidden" name="clientId" value={clientId} />
      <div className="notification-row">
        <span className="label">{fr.notifications.label}</span>
        <label className="checkbox">
          <input type="checkbox" name="email" defaultChecked={enabled} />
          {fr.notifications.email}
        </label>
      </div>
      <div className="field">
        <label htmlFor="frequency">{fr.notifications.frequency}</label>
        <select
          id="frequency"
          name="frequency"
          defaultValue={frequency}
          aria-invalid={frequencyError ? true : undefined}
          aria-describedby={frequencyError ? 'frequency-error' : undefined}
        >
          <option value="daily">{fr.notifications.frequencies.daily}</option>
          <option value="weekly">{fr.notifications.frequencies.weekly}</option>
          <option value="monthly">{fr.notifications.frequencies.monthly}</option>
        </select>
        {frequencyError ? (
          <p id="frequency-error" className="error">
            {frequencyError}
          </p>
        ) : null}
      </div>
      <p className="muted">{fr.notifications.schedule}</p>
      <div id="notifications-status" aria-live="polite">
        {state.status === 'idle' && enabled && nextLabel ? <p>{fr.notifications.next(nextLabel)}</p> : null}
        {state.message ? <p className={state.status === 'error' ? 'error' : 'success'}>{state.message}</p> : null}
      </div>
      <div>
        <button type="submit" className="button primary" disabled={pending}>
          {pending ? fr.notifications.saving : fr.notifications.save}
        </button>
      </div>
    </form>
  );
}
