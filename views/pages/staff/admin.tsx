import { StaffLayout, type StaffNavProps } from '../../layouts/staff.tsx';

/** Admin: the way to staff members, the job queue, the message log, the audit log and backups. */
export function AdminHomePage(props: { nav: StaffNavProps }) {
  return (
    <StaffLayout title="Admin" nav={props.nav}>
      <ul class="stack">
        <li>
          <a href="/staff/admin/staff">Staff members</a> — invite, change roles, deactivate, reset a lost
          second factor.
        </li>
        <li>
          <a href="/staff/admin/jobs">Background jobs</a> — email, SMS, reminders: what is waiting, what
          failed.
        </li>
        <li>
          <a href="/staff/admin/messages">Messages</a> — every email, SMS and push notification: queued, sent
          or failed, with tries and errors.
        </li>
        <li>
          <a href="/staff/admin/import">Import</a> — patients or future appointments from another system’s CSV
          export (Cliniko, Jane, or the template), with a preview before anything is written.
        </li>
        <li>
          <a href="/staff/admin/audit">Audit log</a> — who saw or changed what, and whether the log is intact.
        </li>
        <li>
          <a href="/staff/admin/backups">Backups</a> — where and when backups are made, the last one, Back up
          now.
        </li>
      </ul>
    </StaffLayout>
  );
}
