import type { ComponentChildren } from 'preact';
import type { NavLink } from './context.js';

/** A back-office page: the sections the agent may open (and no others), then the page itself. */
export function AdminLayout({ label, links, children }: { label: string; links: NavLink[]; children: ComponentChildren }) {
  return (
    <div class="admin">
      <nav class="admin-nav" aria-label={label}>
        <ul>
          {links.map((link) => (
            <li key={link.href}>
              <a href={link.href} aria-current={link.current || undefined}>
                {link.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div class="admin-content">{children}</div>
    </div>
  );
}
