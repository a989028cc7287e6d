export type RowMenuItem = { href: string; label: string };

/**
 * The "⋯" menu of a row: a native <details>, so that it opens with the keyboard and works
 * without JavaScript (components/disclosure-keys.tsx adds Escape). Plain links and as few
 * elements as will do: the Clients page renders one per row.
 */
export function RowMenu({ label, items }: { label: string; items: RowMenuItem[] }) {
  return (
    <details className="row-menu">
      <summary aria-label={label}>⋯</summary>
      <div className="row-menu-items">
        {items.map((item) => (
          <a key={item.href} href={item.href}>
            {item.label}
          </a>
        ))}
      </div>
    </details>
  );
}
