import { raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import {
  type Cell,
  cellClass,
  hhmm,
  type PlacedBlock,
  placementClasses,
  ROW_MIN,
} from './calendar-layout.ts';

/**
 * The calendar table's body (its rows of 15 minutes, every cell and appointment block) written as
 * one string: the same HTML hono/jsx wrote from elements, at a fraction of the cost — a week or a
 * day of 20 practitioners holds hundreds of blocks and cells, and building and serialising an
 * element for each was most of the page's time. Every value is escaped as hono/jsx escapes text
 * and attributes (`& < > " '`); calendar-rows.test.ts checks the output against the elements.
 */

const ESCAPABLE = /[&<>"']/;
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text or an attribute's value, escaped as hono/jsx escapes them. */
export const esc = (s: string) => (ESCAPABLE.test(s) ? s.replace(/[&<>"']/g, (c) => ENTITIES[c]!) : s);

/** The colour drawing of calendar.tsx's Colour, as HTML. */
export const colourHtml = (cls: string, colour: string) =>
  `<svg class="${esc(cls)}" viewBox="0 0 1 1" preserveAspectRatio="none" aria-hidden="true" focusable="false"><rect width="1" height="1" fill="${esc(colour)}"></rect></svg>`;

const open = (b: PlacedBlock) => b.status === 'booked' || b.status === 'requested';

/** One appointment block: a link to its panel, placed in its cell by classes. */
export function blockHtml(b: PlacedBlock, compact: boolean, colour: string, movable: boolean): string {
  const href = esc(`/staff/appointments/${b.id}`);
  const cls = esc(`appt status-${b.status} ${placementClasses(b)}${b.lengthMin < 25 ? ' short' : ''}`);
  const service = compact ? '' : `<span class="appt-service"> · ${esc(b.service)}</span>`;
  return (
    `<a href="${href}" hx-get="${href}" hx-target="#panel" class="${cls}" id="${esc(`appt-${b.id}`)}" draggable="false"` +
    ` data-version="${b.version}"${movable && open(b) ? ' data-movable=""' : ''} data-minutes="${b.endMin - b.startMin}">` +
    `${colourHtml('appt-colour', colour)}<strong>${esc(b.time)}</strong> ${esc(b.patient)}${service}` +
    `<span class="visually-hidden"> (${esc(b.status.replace('_', '-'))})</span></a>`
  );
}

/** A column of the grid as calendarGrid answers it. */
interface Column {
  day: { date: string };
  p: { id: string; name: string; colour: string };
  cells: (Cell | null)[];
}

/**
 * The rows from `fromMin`: a time heading each, then each column's cell — a block cell (spanning
 * its rows), nothing under a spanning cell, or a free cell (in the day view, a link to book that
 * time where the member may book for the practitioner).
 */
export function calendarRows(props: {
  fromMin: number;
  rows: number;
  columns: Column[];
  week: boolean;
  mayBook: (practitionerId: string) => boolean;
}): HtmlEscapedString {
  const columns = props.columns.map((c) => {
    const bookable = props.mayBook(c.p.id);
    return {
      cells: c.cells,
      colour: c.p.colour,
      bookable,
      // The free time's link, less its time (the same for every row of the column).
      newHref: esc(`/staff/calendar/new?practitionerId=${c.p.id}&date=${c.day.date}&time=`),
      name: esc(c.p.name),
    };
  });
  let out = '';
  for (let row = 0; row < props.rows; row++) {
    const minute = props.fromMin + row * ROW_MIN;
    const time = hhmm(minute);
    out += `<tr${minute % 60 === 0 ? ' class="hour"' : ''} data-min="${minute}"><th scope="row" class="time">`;
    out += minute % 30 === 0 ? time : `<span class="visually-hidden">${time}</span>`;
    out += '</th>';
    for (const column of columns) {
      const cell = column.cells[row];
      if (cell === null || cell === undefined) continue;
      if (cell.kind === 'blocks') {
        out += `<td rowspan="${cell.span}" class="busy ${cellClass(cell.span)}">`;
        for (const b of cell.blocks) out += blockHtml(b, props.week, column.colour, column.bookable);
        out += '</td>';
      } else if (props.week || !column.bookable) {
        out += '<td class="free"></td>';
      } else {
        const href = `${column.newHref}${time}`;
        out +=
          `<td class="free"><a href="${href}" hx-get="${href}" hx-target="#panel" class="book-here">` +
          `<span class="visually-hidden">Book ${time} with ${column.name}</span></a></td>`;
      }
    }
    out += '</tr>';
  }
  return raw(out);
}
