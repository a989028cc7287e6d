'use client';

import { useActionState, useEffect, useRef } from 'react';
import { useTranslations } from 'next-intl';
import { Link } from '@/components/link';
import { idle, type ActionState } from '@/lib/server/action-state';
import { describedBy, FieldErrorText } from './field-error';
import { submitKeepingFields } from './submit-keeping-fields';

type Props = {
  id: string;
  action: (state: ActionState, form: FormData) => Promise<ActionState>;
  clientId: string;
  formToken: string;
  ids: string[];
  backHref: string;
};

/** The message and « Envoyer les demandes »; sent, it says to whom and leads back to the receipts. */
export function ReceiptRequestForm({ id, action, clientId, formToken, ids, backHref }: Props) {
  const t = useTranslations();
  const [state, formAction, pending] = useActionState(action, idle);
  const commentError = state.fieldErrors?.comment?.[0];
  // The questions' fields are above the form (each beside its expense): their message comes here.
  const questionError = state.fieldErrors?.qtext?.[0] ?? state.fieldErrors?.qkind?.[0] ?? state.fieldErrors?.qid?.[0];
  const sent = useRef<HTMLDivElement>(null);
  // Sent: what went to whom comes to the top of the screen, and gets the focus (the list of
  // recipients above it could leave it below the fold on a phone).
  useEffect(() => {
    if (state.status !== 'success' || !sent.current) return;
    sent.current.scrollIntoView({ block: 'start' });
    sent.current.focus();
  }, [state.status]);
  if (state.status === 'success') {
    return (
      <div className="stack" role="status" ref={sent} tabIndex={-1}>
        <p className="success">{state.message}</p>
        <p>
          <Link href={backHref}>{t('receipts.request.back')}</Link>
        </p>
      </div>
    );
  }
  return (
    <form id={id} action={formAction} onSubmit={submitKeepingFields(formAction)} className="stack" noValidate>
      <input type="hidden" name="clientId" value={clientId} />
      <input type="hidden" name="formToken" value={formToken} />
      {ids.map((id) => (
        <input key={id} type="hidden" name="ids" value={id} />
      ))}
      <div className="field">
        <label htmlFor="comment">{t('receipts.request.message')}</label>
        <textarea
          id="comment"
          name="comment"
          rows={4}
          maxLength={1000}
          placeholder={t('receipts.request.messagePlaceholder')}
          {...describedBy('comment', commentError)}
        />
        <FieldErrorText name="comment" error={commentError} announce />
      </div>
      <label className="checkbox">
        <input type="checkbox" name="others" value="1" /> {t('receipts.request.alsoOthers')}
      </label>
      {state.status === 'error' && !commentError ? (
        <p className="error" role="alert">
          {questionError ?? state.message}
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" className="button" disabled={pending}>
          {pending ? t('common.pending', { label: t('receipts.request.send') }) : t('receipts.request.send')}
        </button>
        <Link href={backHref}>{t('receipts.request.cancel')}</Link>
      </div>
    </form>
  );
}
