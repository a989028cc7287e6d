'use client';

/**
 * « Tout sélectionner sur cette page »: ticks or unticks every box named `name` that belongs to the
 * form `formId` (the rows' boxes sit outside it, joined by their `form` attribute).
 */
export function SelectPageBox({ formId, name, label }: { formId: string; name: string; label: string }) {
  return (
    <label className="checkbox">
      <input
        type="checkbox"
        onChange={(event) => {
          const checked = event.currentTarget.checked;
          for (const box of document.querySelectorAll<HTMLInputElement>(
            `input[type="checkbox"][name="${name}"][form="${formId}"]`,
          )) {
            box.checked = checked;
          }
        }}
      />
      {label}
    </label>
  );
}
