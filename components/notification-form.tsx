'use client';

import { describedBy, FieldErrorText } from './field-error';
import { submitKeepingFields } from './submit-keeping-fields';
import { useActionState, useState } from 'react';
import { useTranslations } from 'next-intl';
import type { DigestFrequency } from '@/db/schema';
import { idle, type ActionState } from '@/lib/server/action-state';

// The enum's values, written here so that the browser bundle does not carry the schedule's luxon.
const FREQUENCIES: readonly DigestFrequency[] = ['daily', 'weekly', 'monthly'];

type Props = {
  action: (state: ActionState, form: FormData) => Promise<ActionState>;
  clientId: string;
  enabled: boolean;
  frequency: DigestFrequency;
  nextLabel?: string;
};

export function NotificationForm({ action, clientId, enabled, frequency, nextLabel }: Props) {
  const t = useTranslations();
  const [state, formAction, pending] = useActionState(action, idle);
  // Controlled, so that React's reset of the form after the action keeps what was saved.
  const [checked, setChecked] = useState(enabled);
  const [chosen, setChosen] = useState<DigestFrequency>(frequency);
  const frequencyError = state.fieldErrors?.frequency?.[0];
  return (
    <form
      action={formAction}
      onSubmit={submitKeepingFields(formAction)}
      className="stack"
      aria-describedby="notifications-status"
    >
      <input type="hidden" name="clientId" value={clientId} />
      <div className="notification-row">
        <span className="label">{t('notifications.label')}</span>
        <label className="checkbox">
          <input type="checkbox" name="email" checked={checked} onChange={(e) => setChecked(e.target.checked)} />
          {t('notifications.email')}
        </label>
      </div>
      <div className="field">
        <label htmlFor="frequency">{t('notifications.frequency')}</label>
        <select
          id="frequency"
          name="frequency"
          value={chosen}
          onChange={(e) => setChosen(e.target.value as DigestFrequency)}
          {...describedBy('frequency', frequencyError)}
        >
          {FREQUENCIES.map((f) => (
            <option key={f} value={f}>
              {t(`notifications.frequencies.${f}`)}
            </option>
          ))}
        </select>
        <FieldErrorText name="frequency" error={frequencyError} />
      </div>
      <p className="muted">{t('notifications.schedule')}</p>
      <div id="notifications-status" aria-live="polite">
        {state.status === 'idle' && enabled && nextLabel ? <p>{t('notifications.next', { when: nextLabel })}</p> : null}
        {state.message ? <p className={state.status === 'error' ? 'error' : 'success'}>{state.message}</p> : null}
      </div>
      <div>
        <button type="submit" className="button primary" disabled={pending}>
          {pending ? t('notifications.saving') : t('notifications.save')}
        </button>
      </div>
    </form>
  );
}
