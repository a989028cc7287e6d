import Link from 'next/link';

export type RowMenuItem = { href: string; label: string };

/**
 * The "⋯" menu of a row: a native <details>, so that it opens with the keyboard and works
 * without JavaScript.
 */
export function RowMenu({ label, items }: { label: string; items: RowMenuItem[] }) {
  return (
    <details className="row-menu">
      <summary aria-label={label} title={label}>
        <span aria-hidden="true">⋯</span>
      </summary>
      <ul>
        {items.map((item) => (
          <li key={item.href}>
            <Link href={item.href}>{item.label}</Link>
          </li>
        ))}
      </ul>
    </details>
  );
}
