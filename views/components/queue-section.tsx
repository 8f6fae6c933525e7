import { PostButton } from './form.tsx';
import { Section } from './section.tsx';
import { type Column, DataTable, hiddenHead } from './table.tsx';

/**
 * One queue of the Inbox: a section titled with how many rows wait, the rows as a table, and a
 * line saying so when none does. Nothing when `rows` is undefined (the member may not see it).
 */
export function QueueSection<R>(props: {
  id: string;
  title: string;
  rows: readonly R[] | undefined;
  columns: readonly (Column<R> | false)[];
  /** What the section says when no row waits. */
  none: string;
  caption?: string;
  class?: string;
  scroll?: boolean;
}) {
  if (!props.rows) return null;
  return (
    <Section id={props.id} title={`${props.title} (${props.rows.length})`}>
      <DataTable
        scroll={props.scroll}
        class={props.class}
        caption={props.caption}
        rows={props.rows}
        columns={props.columns}
        empty={<p class="muted">{props.none}</p>}
      />
    </Section>
  );
}

/**
 * A queue's "Mark reviewed" column (its head read only by screen readers): each row's button posts
 * to `action(row)`, names the row with `detail(row)`, and comes back to the Inbox.
 */
export function markReviewedColumn<R>(
  head: string,
  csrf: string,
  action: (row: R) => string,
  detail: (row: R) => string,
): Column<R> {
  return {
    head: hiddenHead(head),
    cell: (row) => (
      <PostButton
        action={action(row)}
        csrf={csrf}
        label="Mark reviewed"
        kind="secondary"
        fields={{ back: 'inbox' }}
        detail={detail(row)}
      />
    ),
  };
}
