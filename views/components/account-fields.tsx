import { Field } from './fields.tsx';

/** The address a member signs in with (the browser offers its saved one). */
export const SignInEmailField = (props: { value?: string | undefined; autofocus?: boolean }) => (
  <Field
    name="email"
    label="Email"
    type="email"
    autocomplete="username"
    value={props.value}
    autofocus={props.autofocus}
  />
);

/** The field a member chooses a password in (the accounts area checks the rules the hint states). */
export const NewPasswordField = (props: { label: string; autofocus?: boolean }) => (
  <Field
    name="password"
    label={props.label}
    type="password"
    autocomplete="new-password"
    hint="At least 12 characters. A few unrelated words make a good password."
    autofocus={props.autofocus}
  />
);

/**
 * A one-time code (from an authenticator app), typed first on its page. `numeric` brings up the
 * phone's number pad: not where recovery codes, which have letters, are typed too.
 */
export const OneTimeCodeField = (props: { label: string; hint?: string; numeric?: boolean }) => (
  <Field
    name="code"
    label={props.label}
    autocomplete="one-time-code"
    inputmode={props.numeric ? 'numeric' : undefined}
    hint={props.hint}
    autofocus
  />
);
