import type { Child } from 'hono/jsx';

/** A POST form carrying the CSRF token. Errors are listed at the top and tied to their fields. */
export function Form(props: {
  action: string;
  csrf: string;
  children: Child;
  error?: string | undefined;
  label?: string;
}) {
  return (
    <form method="post" action={props.action} class="stack" aria-label={props.label}>
      <input type="hidden" name="_csrf" value={props.csrf} />
      {props.error ? (
        <p class="error" role="alert" id="form-error">
          {props.error}
        </p>
      ) : null}
      {props.children}
    </form>
  );
}

export function Field(props: {
  name: string;
  label: string;
  type?: string;
  value?: string | undefined;
  autocomplete?: string;
  required?: boolean;
  hint?: string;
  inputmode?: 'numeric' | 'email' | 'text';
  autofocus?: boolean;
}) {
  const id = `f-${props.name}`;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value}
        autocomplete={props.autocomplete}
        required={props.required ?? true}
        inputmode={props.inputmode}
        autofocus={props.autofocus}
        aria-describedby={props.hint ? `${id}-hint` : undefined}
      />
      {props.hint ? (
        <small id={`${id}-hint`} class="muted">
          {props.hint}
        </small>
      ) : null}
    </div>
  );
}
