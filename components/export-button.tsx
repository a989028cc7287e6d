'use client';

import { useActionState, useEffect, useRef } from 'react';
import { useTranslations } from 'next-intl';
import { idle, type ActionState } from '@/lib/server/action-state';
import { ConfirmDialog, type ConfirmText } from './confirm-dialog';

type Props = {
  action: (state: ActionState, form: FormData) => Promise<ActionState>;
  clientId: string;
  readyCount: number;
  /** What will be exported (count, total, how many without a receipt), asked before exporting. */
  confirm: ConfirmText;
};

/** "Exporter": records the export, then starts the download (a link stays for without JavaScript). */
export function ExportButton({ action, clientId, readyCount, confirm }: Props) {
  const t = useTranslations();
  const [state, formAction, pending] = useActionState(action, idle);
  const formRef = useRef<HTMLFormElement>(null);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const confirmed = useRef(false);
  const url = state.status === 'success' ? state.data?.url : undefined;
  useEffect(() => {
    if (url) window.location.assign(url);
  }, [url]);
  return (
    <form
      ref={formRef}
      action={formAction}
      className="export-form"
      onSubmit={(event) => {
        // With JavaScript, what will be exported is shown first; the plain form exports at once.
        if (confirmed.current) {
          confirmed.current = false;
          return;
        }
        event.preventDefault();
        dialogRef.current?.showModal();
      }}
    >
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
      <ConfirmDialog
        dialogRef={dialogRef}
        text={confirm}
        onConfirm={() => {
          confirmed.current = true;
          formRef.current?.requestSubmit();
        }}
      />
    </form>
  );
}
