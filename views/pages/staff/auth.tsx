import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { NewPasswordField, OneTimeCodeField, SignInEmailField } from '../../components/account-fields.tsx';
import { Field } from '../../components/fields.tsx';
import { Form } from '../../components/form.tsx';
import { PasskeyButton, passkeyScripts } from '../../components/passkey-button.tsx';
import { BaseLayout } from '../../layouts/base.tsx';

/** The pages around signing in: sign-in, second factor, first-run setup, set password, TOTP set-up. */

/** `path` continuing to `next` (where the member was going) after signing in. */
const withNext = (path: string, next: string | undefined) =>
  `${path}${next ? `?next=${encodeURIComponent(next)}` : ''}`;

/** Signing in with a passkey instead, continuing to `next`. */
const PasskeySignIn = (props: { csrf: string; next: string | undefined; label: string }) => (
  <PasskeyButton action="sign-in" csrf={props.csrf} next={props.next ?? ''} label={props.label} secondary />
);

/** The form of a password link (`path?token=…`): the new password, once. */
function NewPasswordForm(props: {
  path: string;
  token: string;
  csrf: string;
  error?: string | undefined;
  label: string;
}) {
  return (
    <Form
      action={`${props.path}?token=${encodeURIComponent(props.token)}`}
      csrf={props.csrf}
      error={props.error}
      label={props.label}
    >
      <NewPasswordField label="New password" autofocus />
      <button type="submit">Save password</button>
    </Form>
  );
}

function Card(props: { title: string; children: Child; scripts?: string[] }) {
  return (
    <BaseLayout title={props.title} scripts={props.scripts ?? []}>
      <main id="main" class="narrow card">
        <p class="brand">Clinicbox</p>
        <h1>{props.title}</h1>
        {props.children}
      </main>
    </BaseLayout>
  );
}

export function SignInPage(props: {
  csrf: string;
  error?: string | undefined;
  email?: string;
  next?: string | undefined;
  notice?: string;
  /** Why the page is shown (signed out; the session ended), said once it loads. */
  status?: string | undefined;
  sso?: boolean;
}) {
  return (
    <Card title="Sign in" scripts={passkeyScripts}>
      {props.status ? (
        <p class="notice" role="status">
          {props.status}
        </p>
      ) : null}
      {props.notice ? <p class="notice">{props.notice}</p> : null}
      <Form
        action={withNext('/staff/login', props.next)}
        csrf={props.csrf}
        error={props.error}
        label="Sign in"
      >
        <SignInEmailField value={props.email} autofocus />
        <Field name="password" label="Password" type="password" autocomplete="current-password" />
        <button type="submit">Sign in</button>
      </Form>
      <p>
        <a href="/staff/login/forgot">Forgot password?</a>
      </p>
      <PasskeySignIn csrf={props.csrf} next={props.next} label="Sign in with a passkey" />
      {props.sso ? (
        <p class="sso">
          <a class="button secondary" href={withNext('/staff/login/sso', props.next)}>
            Sign in with your organisation account
          </a>
        </p>
      ) : null}
    </Card>
  );
}

export function SecondFactorPage(props: {
  csrf: string;
  error?: string;
  next?: string | undefined;
  totp: boolean;
}) {
  return (
    <Card title="Confirm it’s you" scripts={passkeyScripts}>
      {props.totp ? (
        <>
          <p>
            Open your authenticator app and enter the 6-digit code for Clinicbox, or one of your recovery
            codes.
          </p>
          <Form
            action={withNext('/staff/login/code', props.next)}
            csrf={props.csrf}
            error={props.error}
            label="Second factor"
          >
            <OneTimeCodeField
              label="Code"
              hint="6 digits from your app, or one of your recovery codes (like k7m2-9xq4-p3ta)."
            />
            <button type="submit">Continue</button>
          </Form>
        </>
      ) : (
        <p>Use the passkey you added to your device.</p>
      )}
      <PasskeySignIn csrf={props.csrf} next={props.next} label="Use a passkey" />
    </Card>
  );
}

/**
 * "Confirm it's you" before a change to how the member signs in: their password, a code from
 * their app, or signing in again with a passkey or single sign-on, whichever they have; then back
 * to `next`. A wrong answer is shown on the form it was given in.
 */
export function ConfirmItsYouPage(props: {
  csrf: string;
  next: string;
  password: boolean;
  code: boolean;
  passkey: boolean;
  sso: boolean;
  error?: { on: 'password' | 'code'; message: string } | undefined;
}) {
  const action = withNext('/staff/account/confirm', props.next);
  const errorOn = (form: 'password' | 'code') => (props.error?.on === form ? props.error.message : undefined);
  return (
    <Card title="Confirm it’s you" scripts={props.passkey ? passkeyScripts : []}>
      <p>
        Changes to how you sign in need you to confirm it’s you first. It lasts 5 minutes, then you go back to
        where you were.
      </p>
      {props.password ? (
        <Form
          action={action}
          csrf={props.csrf}
          error={errorOn('password')}
          label="Confirm with your password"
        >
          <Field name="password" label="Your password" type="password" autocomplete="current-password" />
          <button type="submit">Confirm</button>
        </Form>
      ) : null}
      {props.code ? (
        <Form action={action} csrf={props.csrf} error={errorOn('code')} label="Confirm with a code">
          <OneTimeCodeField
            label={
              props.password ? 'Or a code from your authenticator app' : 'A code from your authenticator app'
            }
            hint="6 digits from your app, or one of your recovery codes."
          />
          <button type="submit">Confirm</button>
        </Form>
      ) : null}
      {props.passkey ? (
        <PasskeySignIn csrf={props.csrf} next={props.next} label="Sign in again with a passkey" />
      ) : null}
      {props.sso ? (
        <p class="sso">
          <a class="button secondary" href={`${withNext('/staff/login/sso', props.next)}&again=1`}>
            Sign in again with your organisation account
          </a>
        </p>
      ) : null}
    </Card>
  );
}

export function SetupPage(props: {
  csrf: string;
  token: string;
  error?: string;
  email?: string;
  name?: string;
}) {
  return (
    <Card title="Set up Clinicbox">
      <p>Create the first administrator account. You will set up a second factor next.</p>
      <Form
        action={`/staff/setup?token=${encodeURIComponent(props.token)}`}
        csrf={props.csrf}
        error={props.error}
        label="Create administrator"
      >
        <Field name="name" label="Your name" autocomplete="name" value={props.name} autofocus />
        <SignInEmailField value={props.email} />
        <NewPasswordField label="Password" />
        <button type="submit">Create administrator</button>
      </Form>
    </Card>
  );
}

export function SetPasswordPage(props: { csrf: string; token: string; error?: string }) {
  return (
    <Card title="Choose your password">
      <NewPasswordForm path="/staff/set-password" label="Choose password" {...props} />
    </Card>
  );
}

export function LinkInvalidPage(props: { reset?: boolean } = {}) {
  return (
    <Card title="This link no longer works">
      {props.reset ? (
        <>
          <p>
            It has been used already, a newer link replaced it, or it has expired (password reset links last 1
            hour).
          </p>
          <p>
            <a class="button" href="/staff/login/forgot">
              Ask for a new link
            </a>
          </p>
        </>
      ) : (
        <p>
          It has been used already or it has expired (links last 24 hours). Ask an administrator for a new
          one.
        </p>
      )}
    </Card>
  );
}

/** "Forgot password?": the address to send a reset link to. */
export function ForgotPasswordPage(props: { csrf: string; email?: string; error?: string }) {
  return (
    <Card title="Reset your password">
      <p>
        Enter the email address you sign in with. If it is a staff account’s, we email it a link to choose a
        new password.
      </p>
      <Form action="/staff/login/forgot" csrf={props.csrf} error={props.error} label="Reset your password">
        <SignInEmailField value={props.email} autofocus />
        <button type="submit">Email me a link</button>
      </Form>
      <p>
        <a href="/staff/login">Back to sign in</a>
      </p>
    </Card>
  );
}

/** The answer to every reset request, whether the address is a member's or not. */
export function ResetRequestedPage(props: { email: string }) {
  return (
    <Card title="Check your email">
      <p class="notice" role="status">
        If <strong>{props.email}</strong> is the address of an active staff account, a link to choose a new
        password is on its way to it.
      </p>
      <p>
        The link works once, for 1 hour. After it you still confirm it’s you with your authenticator app or
        passkey when you sign in. No email after a few minutes? Check your spam folder, or ask an
        administrator.
      </p>
      <p>
        <a href="/staff/login">Back to sign in</a>
      </p>
    </Card>
  );
}

/** A new password through a forgotten-password link. */
export function ResetPasswordPage(props: { csrf: string; token: string; error?: string }) {
  return (
    <Card title="Choose a new password">
      <p>Every device signed in to your account will be signed out.</p>
      <NewPasswordForm path="/staff/login/reset" label="Choose a new password" {...props} />
    </Card>
  );
}

export function TotpSetupPage(props: { csrf: string; qrSvg: string; secret: string; error?: string }) {
  return (
    <Card title="Set up your second factor" scripts={passkeyScripts}>
      <ol>
        <li>
          Open an authenticator app on your phone (for example Google Authenticator, Microsoft Authenticator,
          1Password).
        </li>
        <li>Scan this code, or type the key below.</li>
        <li>Enter the 6-digit code the app shows.</li>
      </ol>
      <figure class="qr" aria-label="QR code for your authenticator app">
        {raw(props.qrSvg)}
      </figure>
      <p>
        Key: <code class="secret">{props.secret.replace(/(.{4})/g, '$1 ').trim()}</code>
      </p>
      <Form action="/staff/setup/totp" csrf={props.csrf} error={props.error} label="Confirm second factor">
        <OneTimeCodeField label="Code from the app" numeric />
        <button type="submit">Confirm</button>
      </Form>
      <p>Or, on a phone or laptop with a fingerprint, face or PIN unlock:</p>
      <PasskeyButton action="register" csrf={props.csrf} label="Add a passkey instead" secondary />
    </Card>
  );
}

/** The recovery codes, shown once, with buttons (static/recovery-codes.js) to copy, download and print them. */
export function RecoveryCodesPage(props: { codes: string[] }) {
  return (
    <Card title="Save your recovery codes" scripts={['/static/recovery-codes.js']}>
      <p>
        If you lose your phone, each of these codes signs you in once. Print them or keep them somewhere safe;
        they are shown only now.
      </p>
      <ul class="codes" id="recovery-codes">
        {props.codes.map((c) => (
          <li>
            <code>{c}</code>
          </li>
        ))}
      </ul>
      <div class="no-print" data-recovery-actions hidden>
        <div class="actions">
          <button type="button" class="secondary" data-recovery="copy">
            Copy
          </button>
          <button type="button" class="secondary" data-recovery="download">
            Download (.txt)
          </button>
          <button type="button" class="secondary" data-recovery="print">
            Print
          </button>
        </div>
      </div>
      <p id="recovery-status" role="status" class="muted no-print"></p>
      <p class="no-print">
        <a class="button" href="/staff">
          I have saved them — continue
        </a>
      </p>
    </Card>
  );
}
