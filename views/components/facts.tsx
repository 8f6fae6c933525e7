import type { Child } from 'hono/jsx';

/**
 * One term of a description list (`<dl class="facts">`, `<dl class="details">`): its `<dt>` and
 * the `<dd>` holding the children.
 */
export function Fact(props: { term: Child; children?: Child }) {
  return (
    <>
      <dt>{props.term}</dt>
      <dd>{props.children}</dd>
    </>
  );
}

/**
 * An email address as a mail link that wraps at its seams on a narrow screen — before the @ and
 * after each dot of the domain — instead of mid-word.
 */
export function EmailAddress(props: { address: string }) {
  const at = props.address.lastIndexOf('@');
  const local = at < 0 ? props.address : props.address.slice(0, at);
  const domain = at < 0 ? [] : props.address.slice(at + 1).split('.');
  return (
    <a href={`mailto:${props.address}`} class="email">
      {local}
      {at < 0 ? null : (
        <>
          <wbr />@
          {domain.map((part, i) => (
            <>
              {i ? (
                <>
                  .<wbr />
                </>
              ) : null}
              {part}
            </>
          ))}
        </>
      )}
    </a>
  );
}
