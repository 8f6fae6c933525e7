/** A status message after an action (`role="status"`: read out without moving focus). */
export const Notice = (props: { text?: string | undefined }) =>
  props.text ? (
    <p class="notice" role="status">
      {props.text}
    </p>
  ) : null;

/** An error the member has to act on (`role="alert"`). */
export const Alert = (props: { error?: string | undefined }) =>
  props.error ? (
    <p class="error" role="alert">
      {props.error}
    </p>
  ) : null;

/** A one-button POST form (with the CSRF token): remove, retry, sign out a device… */
export const PostButton = (props: {
  action: string;
  csrf: string;
  label: string;
  name?: string;
  value?: string;
  secondary?: boolean;
  inline?: boolean;
}) => (
  <form method="post" action={props.action} class={props.inline === false ? undefined : 'inline'}>
    <input type="hidden" name="_csrf" value={props.csrf} />
    {props.name ? <input type="hidden" name={props.name} value={props.value} /> : null}
    <button type="submit" class={props.secondary ? 'secondary' : undefined}>
      {props.label}
    </button>
  </form>
);
