/** @jsxImportSource preact */
import type { ComponentChildren } from 'preact';
import { ActionButton, type Loaded, LoadState } from '../ui.tsx';

/**
 * A part of the profile: its heading (`id` names the section after it), a line on what it is for
 * and, for a part read from the server, how that read went (`loaded`).
 */
export function ProfileSection(props: {
  id: string;
  title: string;
  intro: string;
  loaded?: Loaded<unknown>;
  children: ComponentChildren;
}) {
  return (
    <section aria-labelledby={props.id}>
      <h2 id={props.id}>{props.title}</h2>
      <p class="muted small">{props.intro}</p>
      {props.loaded && <LoadState loaded={props.loaded} />}
      {props.children}
    </section>
  );
}

interface Person {
  id: string;
  firstName: string;
  lastName: string;
}

/** People by name, each with one action on them (end access, remove), labelled with their name too. */
export function PeopleList(props: {
  people: Person[];
  action: string;
  onAction: (id: string) => () => unknown;
}) {
  return (
    <ul class="list">
      {props.people.map((p) => (
        <li key={p.id} class="row">
          <span>
            {p.firstName} {p.lastName}
          </span>
          <ActionButton
            kind="plain"
            aria-label={`${props.action}: ${p.firstName} ${p.lastName}`}
            onClick={props.onAction(p.id)}
          >
            {props.action}
          </ActionButton>
        </li>
      ))}
    </ul>
  );
}
