import type { StaffAccount } from '../../../src/domain/accounts/index.ts';
import { Field, Form } from '../../components/form.tsx';
import { Notice } from '../../components/notice.tsx';
import { StaffLayout, type StaffNavProps } from '../../layouts/staff.tsx';

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

export interface AccountProps {
  nav: StaffNavProps;
  email: string;
  mfa: boolean;
  sessions: SessionView[];
  passkeys: PasskeyView[];
  notice?: string | undefined;
  passwordError?: string | undefined;
  /** Practitioners: their calendar feed (the URL only right after it is made). */
  feed?: { exists: boolean; url?: string | undefined } | undefined;
  /** How this member hears of online bookings and cancellations in their calendar. */
  bookingAlerts?: StaffAccount['bookingAlerts'] | undefined;
}

/** Your account: alerts, profile and second factor, password, passkeys, devices, calendar feed. */
export function AccountPage(props: AccountProps) {
  const csrf = props.nav.csrf;
  return (
    <StaffLayout
      title="Your account"
      nav={props.nav}
      scripts={['/static/vendor/simplewebauthn/index.umd.min.js', '/static/passkeys.js']}
    >
      <Notice text={props.notice} />
      {props.bookingAlerts ? <AlertsSection csrf={csrf} bookingAlerts={props.bookingAlerts} /> : null}
      <ProfileSection nav={props.nav} email={props.email} mfa={props.mfa} />
      <PasswordSection csrf={csrf} error={props.passwordError} />
      <PasskeysSection csrf={csrf} passkeys={props.passkeys} />
      <SessionsSection csrf={csrf} sessions={props.sessions} />
      {props.feed ? <FeedSection csrf={csrf} feed={props.feed} /> : null}
    </StaffLayout>
  );
}

function AlertsSection(props: { csrf: string; bookingAlerts: StaffAccount['bookingAlerts'] }) {
  return (
    <section aria-labelledby="h-alerts">
      <h2 id="h-alerts">Online booking alerts</h2>
      <form method="post" action="/staff/account/alerts" class="stack" aria-label="Online booking alerts">
        <input type="hidden" name="_csrf" value={props.csrf} />
        <div class="field">
          <label for="f-alerts">When a patient books, moves or cancels online in my calendar</label>
          <select id="f-alerts" name="bookingAlerts">
            <option value="email" selected={props.bookingAlerts === 'email'}>
              email me
            </option>
            <option value="none" selected={props.bookingAlerts === 'none'}>
              do not tell me
            </option>
          </select>
        </div>
        <button type="submit">Save</button>
      </form>
    </section>
  );
}

function ProfileSection(props: { nav: StaffNavProps; email: string; mfa: boolean }) {
  return (
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
  );
}

function PasswordSection(props: { csrf: string; error: string | undefined }) {
  return (
    <section aria-labelledby="h-password">
      <h2 id="h-password">Change your password</h2>
      <Form
        action="/staff/account/password"
        csrf={props.csrf}
        error={props.error}
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
  );
}

function PasskeysSection(props: { csrf: string; passkeys: PasskeyView[] }) {
  return (
    <section aria-labelledby="h-passkeys">
      <h2 id="h-passkeys">Passkeys</h2>
      <p>A passkey signs you in with your device’s fingerprint, face or PIN — no password or code needed.</p>
      <ul>
        {props.passkeys.map((p) => (
          <li>
            {p.name}{' '}
            <span class="muted">
              added {p.createdAt}, last used {p.lastUsedAt}
            </span>
            <form method="post" action={`/staff/account/passkeys/${p.id}/delete`} class="inline">
              <input type="hidden" name="_csrf" value={props.csrf} />
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
        <button type="button" data-passkey="register" data-csrf={props.csrf} hidden>
          Add a passkey
        </button>
      </p>
      <p id="passkey-status" role="status" class="muted"></p>
    </section>
  );
}

function SessionsSection(props: { csrf: string; sessions: SessionView[] }) {
  return (
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
                  <input type="hidden" name="_csrf" value={props.csrf} />
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
  );
}

function FeedSection(props: { csrf: string; feed: { exists: boolean; url?: string | undefined } }) {
  return (
    <section aria-labelledby="h-feed">
      <h2 id="h-feed">Your calendar on your phone</h2>
      <p>
        Subscribe to this secret link in your calendar app to see your appointments (patient initials and
        service only). Anyone with the link can read it: making a new link stops the old one.
      </p>
      {props.feed.url ? (
        <p class="notice" role="status">
          Your new link (shown once): <code>{props.feed.url}</code>
        </p>
      ) : (
        <p>{props.feed.exists ? 'You have a link.' : 'You have no link yet.'}</p>
      )}
      <form method="post" action="/staff/account/calendar-feed">
        <input type="hidden" name="_csrf" value={props.csrf} />
        <button type="submit" class="secondary">
          {props.feed.exists ? 'Make a new link' : 'Make a link'}
        </button>
      </form>
    </section>
  );
}
