import type { Child } from 'hono/jsx';
import type { StaffRole } from '../../src/domain/accounts/index.ts';
import { PostButton } from '../components/form.tsx';
import { BaseLayout } from './base.tsx';

export interface StaffNavProps {
  name: string;
  role: StaffRole;
  csrf: string;
  current: string;
  /** The sections this member may open, in order (the route layer decides which). */
  sections: { href: string; label: string }[];
  /** Admins: why backups need attention (none, or none for 48 hours); shown on every page. */
  backupWarning?: string | undefined;
}

/**
 * A navigation link's aria-current: `page` on its own page, `true` anywhere inside its section (a
 * patient's chart under Patients, an invoice under Invoices), so members see where they are.
 * `/staff` (Today) holds every section, so it is current on its own page only.
 */
export const currentOf = (href: string, current: string): 'page' | 'true' | undefined =>
  current === href ? 'page' : href !== '/staff' && current.startsWith(`${href}/`) ? 'true' : undefined;

/** htmx on every signed-in page: searches, panels and the expired-session redirect rely on it. */
const htmx = '/static/vendor/htmx/htmx.min.js';

/** The signed-in staff layout: skip link, navigation, account menu, main content. */
export function StaffLayout(props: {
  title: string;
  nav: StaffNavProps;
  children: Child;
  scripts?: string[];
}) {
  return (
    <BaseLayout title={props.title} scripts={[htmx, ...(props.scripts ?? [])]}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <nav aria-label="Main">
          <ul>
            {props.nav.sections.map(({ href, label }) => (
              <li>
                <a href={href} aria-current={currentOf(href, props.nav.current)}>
                  {label}
                  {/* Unread patient messages (issue 19): loaded after the page, asked again every 30 s. */}
                  {href === '/staff/inbox' ? (
                    <span
                      class="nav-badge"
                      hx-get="/staff/inbox/messages/badge"
                      hx-trigger="load, every 30s"
                      hx-swap="innerHTML"
                    />
                  ) : null}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="account">
          <a href="/staff/account" aria-current={currentOf('/staff/account', props.nav.current)}>
            {props.nav.name} <span class="muted">({props.nav.role})</span>
          </a>
          <PostButton
            action="/staff/logout"
            csrf={props.nav.csrf}
            label="Sign out"
            kind="link"
            inline={false}
          />
        </div>
      </header>
      <main id="main" class="page">
        {props.nav.backupWarning ? (
          <p class="backup-warning">
            <strong>Backups:</strong> {props.nav.backupWarning}{' '}
            <a href="/staff/admin/backups">Open Backups</a>
          </p>
        ) : null}
        <h1>{props.title}</h1>
        {props.children}
      </main>
    </BaseLayout>
  );
}
