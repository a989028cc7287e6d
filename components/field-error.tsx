/** The id of a field's error message, for `aria-describedby`. */
export function fieldErrorId(name: string): string {
  return `field-${name}-error`;
}

/** What ties a control to its error: `aria-invalid` and `aria-describedby` (with its hint, if any). */
export function describedBy(name: string, error: string | undefined, hintId?: string) {
  const ids = [hintId, error ? fieldErrorId(name) : undefined].filter(Boolean).join(' ');
  return { 'aria-invalid': error ? true : undefined, 'aria-describedby': ids || undefined } as const;
}

/**
 * A field's error, next to it, with the id its control points at. `announce` makes it an alert
 * (a group of checkboxes, whose control has no single focus to describe).
 */
export function FieldErrorText({
  name,
  error,
  announce = false,
}: {
  name: string;
  error: string | undefined;
  announce?: boolean;
}) {
  if (!error) return null;
  return (
    <p id={fieldErrorId(name)} className="error" role={announce ? 'alert' : undefined}>
      {error}
    </p>
  );
}
