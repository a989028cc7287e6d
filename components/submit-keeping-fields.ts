'use client';

import { startTransition, type FormEvent } from 'react';

/**
 * React resets a form after its action runs, which would clear what the user typed when the
 * server answers with an error. Submitting through a transition keeps the fields; without
 * JavaScript the form still posts to the action natively.
 */
export function submitKeepingFields(dispatch: (form: FormData) => void) {
  return (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget, (event.nativeEvent as SubmitEvent).submitter);
    startTransition(() => dispatch(form));
  };
}
