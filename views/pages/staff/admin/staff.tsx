import type { StaffAccount, StaffRole } from '../../../../src/domain/accounts/index.ts';
import { Field, Form } from '../../../components/form.tsx';
import { PostButton } from '../../../components/notice.tsx';
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
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Second factor</th>
            <th scope="col">Status</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr>
              <td>{r.name}</td>
              <td>{r.email}</td>
              <td>
                {r.self ? (
                  r.role
                ) : (
                  <form method="post" action={`/staff/admin/staff/${r.id}/role`} class="inline">
                    <input type="hidden" name="_csrf" value={csrf} />
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
                )}
              </td>
              <td>{r.mfa ? 'set up' : 'not set up'}</td>
              <td>{r.status}</td>
              <td>
                {!r.self && r.status === 'active' ? (
                  <>
                    {r.mfa ? (
                      <PostButton
                        action={`/staff/admin/staff/${r.id}/reset-mfa`}
                        csrf={csrf}
                        label="Reset second factor"
                        secondary
                      />
                    ) : null}
                    <PostButton
                      action={`/staff/admin/staff/${r.id}/deactivate`}
                      csrf={csrf}
                      label="Deactivate"
                      secondary
                    />
                  </>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Invite a staff member</h2>
      <Form action="/staff/admin/staff" csrf={csrf} error={props.error} label="Invite a staff member">
        <Field name="name" label="Name" autocomplete="off" />
        <Field name="email" label="Email" type="email" autocomplete="off" />
        <div class="field">
          <label for="f-role">Role</label>
          <select id="f-role" name="role">
            {props.roles.map((role) => (
              <option value={role}>{role}</option>
            ))}
          </select>
        </div>
        <button type="submit">Invite</button>
      </Form>
    </StaffLayout>
  );
}
