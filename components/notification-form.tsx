'use client';

import { submitKeepingFields } from './submit-keeping-fields';
import { useActionState, useState } from 'react';
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
  // Controlled, so that React's reset of the form after the action keeps what was saved.
  const [checked, setChecked] = useState(enabled);
  const [chosen, setChosen] = useState<DigestFrequency>(frequency);
  const frequencyError = state.fieldErrors?.frequency?.[0];
  return (
    <form action={formAction} onSubmit={submitKeepingFields(formAction)} className="stack" aria-describedby="notifications-status">
      <input type="hidden" name="clientId" value={clientId} />
      <div className="notification-row">
        <span className="label">{fr.notifications.label}</span>
        <label className="checkbox">
          <input type="checkbox" name="email" checked={checked} onChange={(e) => setChecked(e.target.checked)} />
          {fr.notifications.email}
        </label>
      </div>
      <div className="field">
        <label htmlFor="frequency">{fr.notifications.frequency}</label>
        <select
          id="frequency"
          name="frequency"
          value={chosen}
          onChange={(e) => setChosen(e.target.value as DigestFrequency)}
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
