/** A labelled checkbox with its explanation, tied together for screen readers. */
export function PolicyCheckbox({
  name,
  label,
  hint,
  defaultChecked,
}: {
  name: string;
  label: string;
  hint: string;
  defaultChecked: boolean;
}) {
  return (
    <div className="field">
      <label className="checkbox">
        <input type="checkbox" name={name} defaultChecked={defaultChecked} aria-describedby={`${name}-hint`} />
        {label}
      </label>
      <p id={`${name}-hint`} className="muted hint">
        {hint}
      </p>
    </div>
  );
}
