import { Colour } from '../views/pages/staff/calendar.tsx';
import {
  type Cell,
  cellClass,
  hhmm,
  type PlacedBlock,
  placementClasses,
  ROW_MIN,
} from '../views/pages/staff/calendar-layout.ts';

/**
 * The calendar table's body as hono/jsx elements — what views/pages/staff/calendar.tsx drew before
 * calendar-rows.ts wrote it as a string; test/calendar-rows.test.ts holds the two to the same HTML.
 */

const open = (b: PlacedBlock) => b.status === 'booked' || b.status === 'requested';

function Block(props: { b: PlacedBlock; compact: boolean; colour: string; movable: boolean }) {
  const { b } = props;
  return (
    <a
      href={`/staff/appointments/${b.id}`}
      hx-get={`/staff/appointments/${b.id}`}
      hx-target="#panel"
      class={`appt status-${b.status} ${placementClasses(b)}${b.lengthMin < 25 ? ' short' : ''}`}
      id={`appt-${b.id}`}
      draggable="false"
      data-version={String(b.version)}
      data-movable={props.movable && open(b) ? '' : undefined}
      data-minutes={String(b.endMin - b.startMin)}
    >
      <Colour class="appt-colour" colour={props.colour} />
      <strong>{b.time}</strong> {b.patient}
      {props.compact ? null : <span class="appt-service"> · {b.service}</span>}
      <span class="visually-hidden"> ({b.status.replace('_', '-')})</span>
    </a>
  );
}

export function RowsAsElements(props: {
  fromMin: number;
  rows: number;
  columns: {
    day: { date: string };
    p: { id: string; name: string; colour: string };
    cells: (Cell | null)[];
  }[];
  week: boolean;
  mayBook: (id: string) => boolean;
}) {
  const { fromMin, rows, columns, week, mayBook } = props;
  return (
    <tbody>
      {Array.from({ length: rows }, (_, row) => {
        const minute = fromMin + row * ROW_MIN;
        return (
          <tr class={minute % 60 === 0 ? 'hour' : undefined} data-min={String(minute)}>
            <th scope="row" class="time">
              {minute % 30 === 0 ? hhmm(minute) : <span class="visually-hidden">{hhmm(minute)}</span>}
            </th>
            {columns.map(({ day, p, cells }) => {
              const cell = cells[row];
              if (cell === null || cell === undefined) return null;
              if (cell.kind === 'blocks') {
                return (
                  <td rowspan={cell.span} class={`busy ${cellClass(cell.span)}`}>
                    {cell.blocks.map((b) => (
                      <Block b={b} compact={week} colour={p.colour} movable={mayBook(p.id)} />
                    ))}
                  </td>
                );
              }
              if (week || !mayBook(p.id)) return <td class="free" />;
              const href = `/staff/calendar/new?practitionerId=${p.id}&date=${day.date}&time=${hhmm(minute)}`;
              return (
                <td class="free">
                  <a href={href} hx-get={href} hx-target="#panel" class="book-here">
                    <span class="visually-hidden">
                      Book {hhmm(minute)} with {p.name}
                    </span>
                  </a>
                </td>
              );
            })}
          </tr>
        );
      })}
    </tbody>
  );
}
