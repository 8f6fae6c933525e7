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
