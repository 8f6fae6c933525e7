import { Field, Form } from '../../components/form.tsx';
import { StaffLayout, type StaffNavProps } from '../../layouts/staff.tsx';

/** Today: the front desk's start page. Arrivals and the day's list come with scheduling. */
export function TodayPage(props: { nav: StaffNavProps }) {
  return (
    <StaffLayout title="Today" nav={props.nav}>
      <p>Welcome, {props.nav.name}. Today's appointments will show here once scheduling is set up.</p>
    </StaffLayout>
  );
}

/** A section that exists in the navigation but is not built yet. */
export function ComingSoonPage(props: { nav: StaffNavProps; title: string }) {
  return (
    <StaffLayout title={props.title} nav={props.nav}>
      <p>This section is not available yet.</p>
    </StaffLayout>
  );
}

export interface SessionView {
  id: string;
  current: boolean;
  createdAt: string;
  lastSeenAt: string;
  ip: string | null;
  userAgent: string | null;
}

export interface PasskeyView {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string;
}

export function AccountPage(props: {
  nav: StaffNavProps;
  email: string;
  mfa: boolean;
  sessions: SessionView[];
  passkeys: PasskeyView[];
  notice?: string | undefined;
  passwordError?: string | undefined;
}) {
  return (
    <StaffLayout
      title="Your account"
      nav={props.nav}
      scripts={['/static/vendor/simplewebauthn/index.umd.min.js', '/static/passkeys.js']}
    >
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      <section aria-labelledby="h-profile">
        <h2 id="h-profile">Profile</h2>
        <p>
          {props.nav.name} · {props.email} · {props.nav.role}
        </p>
        <p>Second factor: {props.mfa ? 'authenticator app' : 'not set up'}</p>
        {props.mfa ? (
          <form method="post" action="/staff/account/recovery-codes" class="inline">
            <input type="hidden" name="_csrf" value={props.nav.csrf} />
            <button type="submit" class="secondary">
              Make new recovery codes
            </button>
          </form>
        ) : (
          <p>
            <a href="/staff/setup/totp">Set up an authenticator app</a>
          </p>
        )}
      </section>
      <section aria-labelledby="h-password">
        <h2 id="h-password">Change your password</h2>
        <Form
          action="/staff/account/password"
          csrf={props.nav.csrf}
          error={props.passwordError}
          label="Change your password"
        >
          <Field name="current" label="Current password" type="password" autocomplete="current-password" />
          <Field
            name="password"
            label="New password"
            type="password"
            autocomplete="new-password"
            hint="At least 12 characters. A few unrelated words make a good password."
          />
          <button type="submit">Change password</button>
        </Form>
      </section>
      <section aria-labelledby="h-passkeys">
        <h2 id="h-passkeys">Passkeys</h2>
        <p>
          A passkey signs you in with your device’s fingerprint, face or PIN — no password or code needed.
        </p>
        <ul>
          {props.passkeys.map((p) => (
            <li>
              {p.name}{' '}
              <span class="muted">
                added {p.createdAt}, last used {p.lastUsedAt}
              </span>
              <form method="post" action={`/staff/account/passkeys/${p.id}/delete`} class="inline">
                <input type="hidden" name="_csrf" value={props.nav.csrf} />
                <button type="submit" class="secondary">
                  Remove
                </button>
              </form>
            </li>
          ))}
        </ul>
        <div class="field">
          <label for="passkey-name">Name for a new passkey</label>
          <input id="passkey-name" name="passkey-name" value="This device" />
        </div>
        <div class="field">
          <label for="passkey-password">Your password, to confirm it’s you</label>
          <input
            id="passkey-password"
            name="passkey-password"
            type="password"
            autocomplete="current-password"
          />
        </div>
        <p>
          <button type="button" data-passkey="register" data-csrf={props.nav.csrf} hidden>
            Add a passkey
          </button>
        </p>
        <p id="passkey-status" role="status" class="muted"></p>
      </section>
      <section aria-labelledby="h-sessions">
        <h2 id="h-sessions">Where you are signed in</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Address</th>
              <th scope="col">Signed in (UTC)</th>
              <th scope="col">Last active (UTC)</th>
              <th scope="col">
                <span class="visually-hidden">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.sessions.map((s) => (
              <tr>
                <td>
                  {s.userAgent ?? 'Unknown device'}
                  {s.current ? ' (this browser)' : ''}
                </td>
                <td>{s.ip ?? '—'}</td>
                <td>{s.createdAt}</td>
                <td>{s.lastSeenAt}</td>
                <td>
                  <form method="post" action={`/staff/account/sessions/${s.id}/revoke`}>
                    <input type="hidden" name="_csrf" value={props.nav.csrf} />
                    <button type="submit" class="secondary">
                      {s.current ? 'Sign out' : 'Sign out this device'}
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </StaffLayout>
  );
}
