/** What an htmx request gets for an error: a message to swap in, never a whole page inside a page. */
export function ErrorNotice(props: { message: string; requestId?: string | undefined }) {
  return (
    <p class="error" role="alert">
      {props.message}
      {props.requestId ? (
        <>
          {' '}
          <span class="muted">
            (Reference: <code>{props.requestId}</code>)
          </span>
        </>
      ) : null}
    </p>
  );
}
