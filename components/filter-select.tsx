/**
 * One select of a list's filter form (the Clients page, the close board): its name is its URL
 * parameter and its id; a plain GET field, applied as it changes by InstantFilters.
 */
export function FilterSelect({
  name,
  label,
  options,
  defaultValue,
  hideLabel,
}: {
  name: string;
  label: string;
  options: { value: string; label: string }[];
  defaultValue: string;
  /** The label for screen readers only, where the options say what the field is. */
  hideLabel?: boolean;
}) {
  return (
    <div className="field">
      <label htmlFor={name} className={hideLabel ? 'visually-hidden' : undefined}>
        {label}
      </label>
      <select id={name} name={name} defaultValue={defaultValue}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** An active filter as a chip whose link removes it. */
export function FilterChip({ href, label, removeLabel }: { href: string; label: string; removeLabel: string }) {
  return (
    <li>
      <a href={href} className="chip" aria-label={removeLabel}>
        {label} <span aria-hidden="true">✕</span>
      </a>
    </li>
  );
}
