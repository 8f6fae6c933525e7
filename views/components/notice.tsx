/** A line that is read out: a status after an action, or an error the member has to act on. */
function Say(props: { text: string | undefined; kind: 'notice' | 'error' }) {
  if (!props.text) return null;
  return (
    <p class={props.kind} role={props.kind === 'error' ? 'alert' : 'status'}>
      {props.text}
    </p>
  );
}

/** A status message after an action (`role="status"`: read out without moving focus). */
export const Notice = (props: { text?: string | undefined }) => <Say kind="notice" text={props.text} />;

/** An error the member has to act on (`role="alert"`). */
export const Alert = (props: { error?: string | undefined }) => <Say kind="error" text={props.error} />;
