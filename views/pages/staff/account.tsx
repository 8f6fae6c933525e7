import type { StaffAccount } from '../../../src/domain/accounts/index.ts';
import { NewPasswordField } from '../../components/account-fields.tsx';
import { CheckField, choices, Field, SelectField } from '../../components/fields.tsx';
import { Form, PostButton } from '../../components/form.tsx';
import { Notice } from '../../components/notice.tsx';
import { PasskeyButton, passkeyScripts } from '../../components/passkey-button.tsx';
import { Section } from '../../components/section.tsx';
import { DataTable, hiddenHead } from '../../components/table.tsx';
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
  /** Whether this member asked for an email when a patient writes (issue 19). */
  messageEmails?: boolean | undefined;
  /** No proof of who they are in the last 5 minutes: changes to how they sign in ask for one first. */
  proofNeeded?: boolean;
}

/** Your account: alerts, profile and second factor, password, passkeys, devices, calendar feed. */
export function AccountPage(props: AccountProps) {
  const csrf = props.nav.csrf;
  return (
    <StaffLayout title="Your account" nav={props.nav} scripts={passkeyScripts}>
      <Notice text={props.notice} />
      {props.bookingAlerts ? <AlertsSection csrf={csrf} bookingAlerts={props.bookingAlerts} /> : null}
      {props.messageEmails === undefined ? null : (
        <MessageAlertsSection csrf={csrf} checked={props.messageEmails} />
      )}
      <ProfileSection nav={props.nav} email={props.email} mfa={props.mfa} proofNeeded={props.proofNeeded} />
      <PasswordSection csrf={csrf} error={props.passwordError} />
      <PasskeysSection csrf={csrf} passkeys={props.passkeys} />
      <SessionsSection csrf={csrf} sessions={props.sessions} />
      {props.feed ? <FeedSection csrf={csrf} feed={props.feed} /> : null}
    </StaffLayout>
  );
}

function MessageAlertsSection(props: { csrf: string; checked: boolean }) {
  return (
    <Section id="h-message-alerts" title="Patient messages">
      <Form action="/staff/account/message-alerts" csrf={props.csrf} label="Patient message emails">
        <CheckField
          name="messageEmails"
          label="Email me when a patient writes to a thread assigned to me or to the front desk (the email never holds the message)"
          checked={props.checked}
        />
        <button type="submit">Save</button>
      </Form>
    </Section>
  );
}

function AlertsSection(props: { csrf: string; bookingAlerts: StaffAccount['bookingAlerts'] }) {
  return (
    <Section id="h-alerts" title="Online booking alerts">
      <Form action="/staff/account/alerts" csrf={props.csrf} label="Online booking alerts">
        <SelectField
          id="f-alerts"
          name="bookingAlerts"
          label="When a patient books, moves or cancels online in my calendar"
          options={choices({ email: 'email me', none: 'do not tell me' })}
          selected={props.bookingAlerts}
        />
        <button type="submit">Save</button>
      </Form>
    </Section>
  );
}

function ProfileSection(props: { nav: StaffNavProps; email: string; mfa: boolean; proofNeeded?: boolean }) {
  return (
    <Section id="h-profile" title="Profile">
      <p>
        {props.nav.name} · {props.email} · {props.nav.role}
      </p>
      {props.proofNeeded ? (
        <p class="muted">
          Changes to how you sign in (second factor, recovery codes, passkeys) ask you to{' '}
          <a href="/staff/account/confirm?next=%2Fstaff%2Faccount">confirm it’s you</a> first.
        </p>
      ) : null}
      <p>Second factor: {props.mfa ? 'authenticator app' : 'not set up'}</p>
      {props.mfa ? (
        <PostButton
          action="/staff/account/recovery-codes"
          csrf={props.nav.csrf}
          label="Make new recovery codes"
          kind="secondary"
        />
      ) : (
        <p>
          <a href="/staff/setup/totp">Set up an authenticator app</a>
        </p>
      )}
    </Section>
  );
}

function PasswordSection(props: { csrf: string; error: string | undefined }) {
  return (
    <Section id="h-password" title="Change your password">
      <Form
        action="/staff/account/password"
        csrf={props.csrf}
        error={props.error}
        label="Change your password"
      >
        <Field name="current" label="Current password" type="password" autocomplete="current-password" />
        <NewPasswordField label="New password" />
        <button type="submit">Change password</button>
      </Form>
    </Section>
  );
}

function PasskeysSection(props: { csrf: string; passkeys: PasskeyView[] }) {
  return (
    <Section id="h-passkeys" title="Passkeys">
      <p>A passkey signs you in with your device’s fingerprint, face or PIN — no password or code needed.</p>
      <ul>
        {props.passkeys.map((p) => (
          <li>
            {p.name}{' '}
            <span class="muted">
              added {p.createdAt}, last used {p.lastUsedAt}
            </span>
            <PostButton
              action={`/staff/account/passkeys/${p.id}/delete`}
              csrf={props.csrf}
              label="Remove"
              kind="secondary"
            />
          </li>
        ))}
      </ul>
      <Field
        id="passkey-name"
        name="passkey-name"
        label="Name for a new passkey"
        value="This device"
        required={false}
      />
      <Field
        id="passkey-password"
        name="passkey-password"
        label="Your password, to confirm it’s you"
        type="password"
        autocomplete="current-password"
        required={false}
      />
      <PasskeyButton action="register" csrf={props.csrf} label="Add a passkey" />
    </Section>
  );
}

function SessionsSection(props: { csrf: string; sessions: SessionView[] }) {
  return (
    <Section id="h-sessions" title="Where you are signed in">
      <DataTable
        scroll
        rows={props.sessions}
        columns={[
          {
            head: 'Device',
            cell: (s) => `${s.userAgent ?? 'Unknown device'}${s.current ? ' (this browser)' : ''}`,
          },
          { head: 'Address', cell: (s) => s.ip ?? '—' },
          { head: 'Signed in', cell: (s) => s.createdAt },
          { head: 'Last active', cell: (s) => s.lastSeenAt },
          {
            head: hiddenHead('Action'),
            cell: (s) => (
              <PostButton
                action={`/staff/account/sessions/${s.id}/revoke`}
                csrf={props.csrf}
                label={s.current ? 'Sign out' : 'Sign out this device'}
                kind="secondary"
                inline={false}
              />
            ),
          },
        ]}
      />
    </Section>
  );
}

function FeedSection(props: { csrf: string; feed: { exists: boolean; url?: string | undefined } }) {
  return (
    <Section id="h-feed" title="Your calendar on your phone">
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
      <PostButton
        action="/staff/account/calendar-feed"
        csrf={props.csrf}
        label={props.feed.exists ? 'Make a new link' : 'Make a link'}
        kind="secondary"
        inline={false}
      />
    </Section>
  );
}
