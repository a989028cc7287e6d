'use client';

import { useActionState, useEffect } from 'react';
import { useTranslations } from 'next-intl';
import { idle, type ActionState } from '@/lib/action-state';

type Props = {
  action: (state: ActionState, form: FormData) => Promise<ActionState>;
  clientId: string;
  readyCount: number;
};

/** "Exporter": records the export, then starts the download (a link stays for without JavaScript). */
export function ExportButton({ action, clientId, readyCount }: Props) {
  const t = useTranslations();
  const [state, formAction, pending] = useActionState(action, idle);
  const url = state.status === 'success' ? state.data?.url : undefined;
  useEffect(() => {
    if (url) window.location.assign(url);
  }, [url]);
  return (
    <form action={formAction} className="export-form">
      <input type="hidden" name="clientId" value={clientId} />
      <button
        type="submit"
        className="button primary"
        disabled={pending || readyCount === 0}
        aria-describedby="export-status"
      >
        {pending ? t('workspace.export.pending') : t('workspace.export.button', { count: readyCount })}
      </button>
      <span id="export-status" aria-live="polite">
        {state.message ? (
          <span className={state.status === 'error' ? 'error' : 'success'}>
            {state.message} {url ? <a href={url}>{t('workspace.export.download')}</a> : null}
          </span>
        ) : readyCount === 0 ? (
          <span className="muted">{t('workspace.export.nothingReady')}</span>
        ) : null}
      </span>
    </form>
  );
}
