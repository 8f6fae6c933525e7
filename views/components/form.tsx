import type { Child } from 'hono/jsx';

/** The hidden CSRF field every POST form carries. */
export const Csrf = (props: { token: string }) => <input type="hidden" name="_csrf" value={props.token} />;

/** A form's errors in one sentence for its summary at the top (none: undefined). */
export const errorSummary = (errors?: Record<string, string>) =>
  errors && Object.keys(errors).length ? Object.values(errors).join(' ') : undefined;

/**
 * A POST form carrying the CSRF token. Errors are listed at the top and tied to their fields.
 * `attributes` go on the form as given (htmx's, for a live preview).
 */
export function Form(props: {
  action: string;
  csrf: string;
  children: Child;
  error?: string | undefined;
  label?: string;
  attributes?: Record<string, string>;
}) {
  return (
    <form method="post" action={props.action} class="stack" aria-label={props.label} {...props.attributes}>
      <Csrf token={props.csrf} />
      {props.error ? (
        <p class="error" role="alert" id="form-error">
          {props.error}
        </p>
      ) : null}
      {props.children}
    </form>
  );
}

/**
 * A POST form (with the CSRF token) that works without script and, with htmx, redraws only the
 * element `#<target>` from the page that comes back (`swap`: `outerMorph` keeps the focus).
 */
export function SwapForm(props: {
  action: string;
  csrf: string;
  target: string;
  swap: 'outerHTML' | 'outerMorph';
  children: Child;
  id?: string;
  class?: string;
  label?: string;
}) {
  return (
    <form
      id={props.id}
      method="post"
      action={props.action}
      hx-post={props.action}
      hx-target={`#${props.target}`}
      hx-select={`#${props.target}`}
      hx-swap={props.swap}
      class={props.class}
      aria-label={props.label}
    >
      <Csrf token={props.csrf} />
      {props.children}
    </form>
  );
}

/**
 * A one-button POST form (with the CSRF token): remove, retry, sign out a device… `fields` are
 * sent along as hidden fields; `detail` ends the button's name for screen readers only (which
 * row it acts on), and `formLabel` names the form. Inline unless `inline={false}`.
 */
export function PostButton(props: {
  action: string;
  csrf: string;
  label: string;
  fields?: Record<string, string> | undefined;
  kind?: 'secondary' | 'link';
  inline?: boolean;
  detail?: string;
  formLabel?: string;
}) {
  return (
    <form
      method="post"
      action={props.action}
      class={props.inline === false ? undefined : 'inline'}
      aria-label={props.formLabel}
    >
      <Csrf token={props.csrf} />
      {Object.entries(props.fields ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button type="submit" class={props.kind}>
        {props.label}
        {props.detail ? (
          <>
            {' '}
            <span class="visually-hidden">{props.detail}</span>
          </>
        ) : null}
      </button>
    </form>
  );
}

/** A GET form over a list: its fields are the list's query (filter, search). */
export function FilterForm(props: { action: string; label: string; children: Child; submit?: string }) {
  return (
    <form method="get" action={props.action} class="filters" aria-label={props.label}>
      {props.children}
      <button type="submit">{props.submit ?? 'Filter'}</button>
    </form>
  );
}
