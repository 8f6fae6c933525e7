import type { Child } from 'hono/jsx';

/** One column of a table: its header, and what each row shows in it. */
export interface Column<R> {
  head: Child;
  cell(row: R): Child;
  /** The cell's class, from its row (a status colour). */
  class?(row: R): string;
}

/**
 * The staff pages' table: a header row from the columns, then a row per item. With `empty`, that
 * stands instead of a table without rows. The caption names the table for screen readers and is
 * shown only with `showCaption`. A column given as `false` is left out (a role that may not act).
 * With `scroll`, it sits in a `.table-scroll` box that scrolls sideways on a narrow screen.
 */
export function DataTable<R>(props: {
  rows: readonly R[];
  columns: readonly (Column<R> | false)[];
  caption?: string;
  showCaption?: boolean;
  class?: string;
  empty?: Child;
  /** Attributes of a row's `<tr>` (e.g. `data-status`, for styling). */
  rowAttributes?(row: R): Record<string, string>;
  scroll?: boolean;
}) {
  if (props.scroll)
    return (
      <div class="table-scroll">
        <DataTable {...props} scroll={false} />
      </div>
    );
  if (props.rows.length === 0 && props.empty !== undefined) return <>{props.empty}</>;
  const columns = props.columns.filter((c): c is Column<R> => c !== false);
  return (
    <table class={props.class}>
      {props.caption ? (
        <caption class={props.showCaption ? undefined : 'visually-hidden'}>{props.caption}</caption>
      ) : null}
      <thead>
        <tr>
          {columns.map((c) => (
            <th scope="col">{c.head}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr {...props.rowAttributes?.(row)}>
            {columns.map((c) => (
              <td class={c.class?.(row)}>{c.cell(row)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A header only screen readers hear (a column of buttons needs a name, not a visible title). */
export const hiddenHead = (text: string) => <span class="visually-hidden">{text}</span>;
