import type { Child } from 'hono/jsx';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { WallInterval } from '../../../src/domain/scheduling/index.ts';
import { Notice } from '../../components/notice.tsx';
import { StaffLayout, type StaffNavProps } from '../../layouts/staff.tsx';
import { type CalendarAppointment, calendarGrid, columnsClass } from './calendar-layout.ts';
import { calendarRows } from './calendar-rows.ts';

/**
 * The staff calendar: a table per view, one column per practitioner (per day in the week view),
 * one row per 15 minutes. Appointments that touch share a cell spanning their rows (`rowspan`);
 * inside it each block is placed to the minute, side by side when they overlap, by classes from
 * calendar-layout.ts (the CSP allows no inline style). The rows keep one height whatever the
 * blocks hold, so the time axis stays true. It reads as a table to screen readers. Clicking a
 * block or a free time opens the side panel through htmx; without JavaScript the links open full
 * pages. static/calendar.js lets a block be dragged to another time or column (the Move form in
 * the panel does the same from the keyboard).
 */
export interface CalendarPractitioner {
  id: string;
  name: string;
  /** The practitioner's calendar colour (`#rrggbb`): a swatch by the name, a stripe on each block. */
  colour: string;
}

export interface CalendarProps {
  nav: StaffNavProps;
  view: 'day' | 'week';
  title: string;
  date: string;
  days: { date: string; label: string }[];
  practitioners: CalendarPractitioner[];
  /** Everyone, for the practitioner filter, and who is shown. */
  allPractitioners: { id: string; name: string }[];
  selected: string[];
  /** The appointments of the days and practitioners shown. */
  appointments: CalendarAppointment[];
  /** The working hours of the practitioners shown on the days shown (the rows span them). */
  hours: WallInterval[];
  links: { prev: string; next: string; today: string; day: string; week: string };
  canBook: boolean;
  /** The practitioners the member may book for (and move appointments of): free times only there. */
  bookable: string[];
  /** The panel's first content (a full-page open of an appointment or the booking form). */
  panel?: Child;
  notice?: string | undefined;
}

/** A colour as a drawing, not a style: SVG's fill attribute is allowed by the page's CSP. */
export function Colour(props: { colour: string; class: string }) {
  return (
    <svg
      class={props.class}
      viewBox="0 0 1 1"
      preserveAspectRatio="none"
      aria-hidden="true"
      focusable="false"
    >
      <rect width="1" height="1" fill={props.colour} />
    </svg>
  );
}

type DrawnGrid = ReturnType<typeof calendarGrid<CalendarPractitioner>> & { body: HtmlEscapedString };

/**
 * The grid's layout and body, kept per list of appointments drawn (the same array for as long as
 * the domain's versioned grid is unchanged: see src/http/staff/calendar-page.tsx) and per all else
 * they are drawn from, which is the key. A calendar shown again with nothing changed costs a
 * lookup instead of its layout and HTML. A new list (a change, or PostgreSQL) starts afresh.
 */
const drawnGrids = new WeakMap<CalendarAppointment[], Map<string, DrawnGrid>>();

function drawnGrid(props: CalendarProps): DrawnGrid {
  const key = JSON.stringify([props.view, props.days, props.practitioners, props.hours, props.bookable]);
  let byKey = drawnGrids.get(props.appointments);
  if (!byKey) {
    byKey = new Map();
    drawnGrids.set(props.appointments, byKey);
  }
  let grid = byKey.get(key);
  if (!grid) {
    const layout = calendarGrid(props);
    const mayBook = (id: string) => props.bookable.includes(id);
    grid = { ...layout, body: calendarRows({ ...layout, week: props.view === 'week', mayBook }) };
    if (byKey.size >= 32) byKey.clear();
    byKey.set(key, grid);
  }
  return grid;
}

export function CalendarGrid(props: CalendarProps) {
  const { columns, body } = drawnGrid(props);
  const week = props.view === 'week';
  const mayBook = (id: string) => props.bookable.includes(id);
  return (
    <table
      class={`calendar ${week ? 'calendar-week' : 'calendar-day'} ${columnsClass(columns.length)}`}
      data-csrf={props.nav.csrf}
      // Reloads itself, in place, after a change made in the panel or by dragging (calendar-changed).
      hx-get={week ? props.links.week : props.links.day}
      hx-trigger="calendar-changed from:body"
      hx-select="table.calendar"
      hx-target="this"
      hx-swap="outerMorph"
    >
      <caption class="visually-hidden">{props.title}</caption>
      <thead>
        {week ? (
          <tr>
            <td class="time" />
            {props.days.map((d) => (
              <th scope="colgroup" colspan={props.practitioners.length}>
                <a href={`/staff/calendar?view=day&date=${d.date}`}>{d.label}</a>
              </th>
            ))}
          </tr>
        ) : null}
        <tr>
          <th scope="col" class="time">
            Time
          </th>
          {columns.map(({ p, day }) => (
            <th
              scope="col"
              class="column"
              data-practitioner={p.id}
              data-date={day.date}
              data-bookable={mayBook(p.id) ? '' : undefined}
              data-label={week ? `${day.label}, ${p.name}` : p.name}
            >
              <Colour class="swatch" colour={p.colour} />
              {p.name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{body}</tbody>
    </table>
  );
}

export function CalendarPage(props: CalendarProps) {
  return (
    <StaffLayout
      title={props.title}
      nav={props.nav}
      scripts={['/static/calendar.js', '/static/calendar-panel.js']}
    >
      <link rel="stylesheet" href="/static/calendar.css" />
      <nav class="calendar-nav" aria-label="Calendar">
        <a href={props.links.prev}>← Previous</a>
        <a href={props.links.today}>Today</a>
        <a href={props.links.next}>Next →</a>
        <a href={props.links.day} aria-current={props.view === 'day' ? 'page' : undefined}>
          Day
        </a>
        <a href={props.links.week} aria-current={props.view === 'week' ? 'page' : undefined}>
          Week
        </a>
        <form method="get" action="/staff/calendar" class="inline">
          <input type="hidden" name="view" value={props.view} />
          <label for="cal-date">Go to</label>
          <input id="cal-date" type="date" name="date" value={props.date} />
          <label for="cal-practitioner">Practitioner</label>
          <select id="cal-practitioner" name="practitioner">
            {props.view === 'day' ? (
              <option value="" selected={props.selected.length === props.allPractitioners.length}>
                Everyone
              </option>
            ) : null}
            {props.allPractitioners.map((p) => (
              <option value={p.id} selected={props.selected.length === 1 && props.selected[0] === p.id}>
                {p.name}
              </option>
            ))}
          </select>
          <button type="submit">Show</button>
        </form>
      </nav>
      <Notice text={props.notice} />
      <div class="calendar-layout">
        <div class="calendar-scroll">
          {props.practitioners.length ? (
            <CalendarGrid {...props} />
          ) : (
            <p>No practitioners yet. An admin adds them under Settings → Practitioners.</p>
          )}
        </div>
        <aside id="panel" class="panel" aria-live="polite" aria-label="Appointment">
          {props.panel ?? <p class="muted">Choose an appointment or a free time.</p>}
        </aside>
      </div>
    </StaffLayout>
  );
}
