import type { Child } from 'hono/jsx';

/** A part of a page under its own heading, which names it for assistive technology. */
export function Section(props: { id: string; title: Child; children: Child }) {
  return (
    <section aria-labelledby={props.id}>
      <h2 id={props.id}>{props.title}</h2>
      {props.children}
    </section>
  );
}
