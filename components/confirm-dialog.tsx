'use client';

import { useId, type RefObject } from 'react';

export type ConfirmText = { title: string; body: string; confirmLabel: string; cancelLabel: string };

/**
 * The question before an action that cannot be taken back. A native modal <dialog>: the rest of
 * the page is inert while it is open (focus stays inside), Escape closes it, and closing gives the
 * focus back to the button that opened it. « Annuler » comes first, so it has the focus: Enter does not confirm
 * by accident.
 */
export function ConfirmDialog({
  dialogRef,
  text,
  onConfirm,
}: {
  dialogRef: RefObject<HTMLDialogElement | null>;
  text: ConfirmText;
  onConfirm: () => void;
}) {
  const id = useId();
  return (
    <dialog ref={dialogRef} className="confirm-dialog" aria-labelledby={`${id}-title`} aria-describedby={`${id}-body`}>
      <h2 id={`${id}-title`}>{text.title}</h2>
      <p id={`${id}-body`}>{text.body}</p>
      <div className="actions-row">
        <button type="button" className="button" onClick={() => dialogRef.current?.close()}>
          {text.cancelLabel}
        </button>
        <button
          type="button"
          className="button primary"
          onClick={() => {
            dialogRef.current?.close();
            onConfirm();
          }}
        >
          {text.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
