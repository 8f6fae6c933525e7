import type { StaffAccount, StaffRole } from '../../../../src/domain/accounts/index.ts';
import { Field, SelectField } from '../../../components/fields.tsx';
import { Csrf, Form, PostButton } from '../../../components/form.tsx';
import { type Column, DataTable } from '../../../components/table.tsx';
import { StaffLayout, type StaffNavProps } from '../../../layouts/staff.tsx';

/** Staff members: roles, deactivation, second-factor resets, and inviting someone. */
export interface StaffRow {
  id: string;
  name: string;
  email: string;
  role: StaffRole;
  status: StaffAccount['status'];
  mfa: boolean;
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

/** Reset the second factor, deactivate: for another member who is active. */
function MemberActions(props: { row: StaffRow; csrf: string }) {
  const r = props.row;
  if (r.self || r.status !== 'active') return null;
  const action = (verb: string) => `/staff/admin/staff/${r.id}/${verb}`;
  return (
    <>
      {r.mfa ? (
        <PostButton
          action={action('reset-mfa')}
          csrf={props.csrf}
          label="Reset second factor"
          kind="secondary"
        />
      ) : null}
      <PostButton action={action('deactivate')} csrf={props.csrf} label="Deactivate" kind="secondary" />
    </>
  );
}

export function StaffListPage(props: {
  nav: StaffNavProps;
  rows: StaffRow[];
  roles: readonly StaffRole[];
  error?: string | undefined;
  invited?: { email: string; link: string } | undefined;
}) {
  const csrf = props.nav.csrf;
  return (
    <StaffLayout title="Staff members" nav={props.nav}>
      {props.invited ? (
        <div class="notice" role="status">
          <p>
            We are emailing {props.invited.email} a link to choose a password. If email is not set up, send
            them this link yourself (valid 24 hours):
          </p>
          <p>
            <code>{props.invited.link}</code>
          </p>
        </div>
      ) : null}
      <DataTable rows={props.rows} columns={staffColumns(csrf, props.roles)} />
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
