import type { StaffAccount, StaffRole } from '../../../../src/domain/accounts/index.ts';
import { Field, SelectField } from '../../../components/fields.tsx';
import { Csrf, Form, PostButton } from '../../../components/form.tsx';
import { type Column, DataTable } from '../../../components/table.tsx';
import { StaffLayout, type StaffNavProps } from '../../../layouts/staff.tsx';

/** Staff members: roles, deactivation, second-factor resets, calendar feeds, and inviting someone. */
export interface StaffRow {
  id: string;
  name: string;
  email: string;
  role: StaffRole;
  status: StaffAccount['status'];
  mfa: boolean;
  /** Invited, no password chosen yet. */
  invited: boolean;
  /** Has a calendar feed link. */
  feed: boolean;
  self: boolean;
}

const staffColumns = (csrf: string, roles: readonly StaffRole[]): Column<StaffRow>[] => [
  { head: 'Name', cell: (r) => r.name },
  { head: 'Email', cell: (r) => r.email },
  { head: 'Role', cell: (r) => (r.self ? r.role : <RoleForm row={r} roles={roles} csrf={csrf} />) },
  { head: 'Second factor', cell: (r) => (r.mfa ? 'set up' : 'not set up') },
  { head: 'Status', cell: (r) => r.status },
  { head: 'Actions', cell: (r) => <MemberActions row={r} csrf={csrf} /> },
];

/** Another member's role, changed in place. */
function RoleForm(props: { row: StaffRow; roles: readonly StaffRole[]; csrf: string }) {
  const r = props.row;
  return (
    <form method="post" action={`/staff/admin/staff/${r.id}/role`} class="inline">
      <Csrf token={props.csrf} />
      <label class="visually-hidden" for={`role-${r.id}`}>
        Role of {r.name}
      </label>
      <select id={`role-${r.id}`} name="role">
        {props.roles.map((role) => (
          <option value={role} selected={role === r.role}>
            {role}
          </option>
        ))}
      </select>
      <button type="submit" class="secondary">
        Change
      </button>
    </form>
  );
}

/**
 * For another member: a new invitation link (no password yet), revoke their calendar feed, and
 * while active reset the second factor, deactivate.
 */
function MemberActions(props: { row: StaffRow; csrf: string }) {
  const r = props.row;
  if (r.self) return null;
  const button = (verb: string, label: string) => (
    <PostButton
      action={`/staff/admin/staff/${r.id}/${verb}`}
      csrf={props.csrf}
      label={label}
      kind="secondary"
    />
  );
  const feed = r.feed ? button('revoke-calendar-feed', 'Revoke calendar feed') : null;
  if (r.status !== 'active') return feed;
  return (
    <>
      {r.invited ? button('invitation-link', 'New invitation link') : null}
      {feed}
      {r.mfa ? button('reset-mfa', 'Reset second factor') : null}
      {button('deactivate', 'Deactivate')}
    </>
  );
}

export function StaffListPage(props: {
  nav: StaffNavProps;
  rows: StaffRow[];
  roles: readonly StaffRole[];
  error?: string | undefined;
  /** An invitation was just emailed. */
  invited?: { email: string } | undefined;
  /** A new invitation link for the admin to hand over (the emailed one no longer works). */
  handOver?: { email: string; link: string } | undefined;
}) {
  const csrf = props.nav.csrf;
  return (
    <StaffLayout title="Staff members" nav={props.nav}>
      {props.invited ? (
        <p class="notice" role="status">
          We are emailing {props.invited.email} a link to choose a password (valid 24 hours). If it does not
          arrive, use “New invitation link” on their row and send them that one yourself.
        </p>
      ) : null}
      {props.handOver ? (
        <div class="notice" role="status">
          <p>
            Send {props.handOver.email} this link yourself (valid 24 hours). It is their only link: the one
            emailed before no longer works.
          </p>
          <p>
            <code>{props.handOver.link}</code>
          </p>
        </div>
      ) : null}
      <DataTable scroll rows={props.rows} columns={staffColumns(csrf, props.roles)} />
      <h2>Invite a staff member</h2>
      <Form action="/staff/admin/staff" csrf={csrf} error={props.error} label="Invite a staff member">
        <Field name="name" label="Name" autocomplete="off" />
        <Field name="email" label="Email" type="email" autocomplete="off" />
        <SelectField name="role" label="Role" options={props.roles} />
        <button type="submit">Invite</button>
      </Form>
    </StaffLayout>
  );
}
