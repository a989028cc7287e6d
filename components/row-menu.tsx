export type RowMenuItem = { href: string; label: string };

/**
 * The "⋯" menu of a row: a native <details>, so that it opens with the keyboard and works
 * without JavaScript. Plain links, not next/link: a page of 50 rows would otherwise render 100+
 * client components, which tripled the page's server time (BENCHMARKS.md).
 */
export function RowMenu({ label, items }: { label: string; items: RowMenuItem[] }) {
  return (
    <details className="row-menu">
      <summary aria-label={label} title={label}>
        ⋯
      </summary>
      <ul>
        {items.map((item) => (
          <li key={item.href}>
            <a href={item.href}>{item.label}</a>
          </li>
        ))}
      </ul>
    </details>
  );
}
