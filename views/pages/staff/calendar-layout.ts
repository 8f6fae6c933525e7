import type { AppointmentStatus, WallInterval } from '../../../src/domain/scheduling/index.ts';

/**
 * The calendar's layout arithmetic, as pure functions: where an appointment sits (minutes from
 * local midnight), which rows the day shows, each column's cells, and where each block is drawn
 * inside its cell. One row is 15 minutes.
 */
export const ROW_MIN = 15;

/** Minutes from midnight as `HH:mm`. */
export const hhmm = (min: number) =>
  `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;

/** `HH:mm` as minutes from midnight. */
export const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** An appointment as the calendar shows it, in the clinic's local time. */
export interface CalendarAppointment {
  id: string;
  /** The version the page shows: a drag-move sends it, so a change made meanwhile is refused. */
  version: number;
  practitionerId: string;
  /** The local date it starts on. */
  date: string;
  /** Local start, `HH:mm`. */
  time: string;
  /** Local end, `HH:mm`; null when it ends on a later day (it then runs to midnight here). */
  end: string | null;
  patient: string;
  service: string;
  status: AppointmentStatus;
}

/** An appointment placed on its day: minutes from local midnight. */
export interface CalendarBlock extends CalendarAppointment {
  startMin: number;
  endMin: number;
}

export const blockOf = (a: CalendarAppointment): CalendarBlock => ({
  ...a,
  startMin: minutesOf(a.time),
  endMin: a.end === null ? 24 * 60 : Math.max(minutesOf(a.end), minutesOf(a.time)),
});

/**
 * A block drawn inside its cell: `offsetMin` from the cell's top, `lengthMin` tall (the cell is
 * `span` rows of 15 minutes), in `lane` of `lanes` side-by-side lanes (overlapping appointments).
 */
export interface PlacedBlock extends CalendarBlock {
  offsetMin: number;
  lengthMin: number;
  lane: number;
  lanes: number;
}

/**
 * The rows shown: the working hours of the days shown (at least 08:00–18:00), widened to any
 * appointment outside them, in whole hours.
 */
export function rowRange(hours: WallInterval[], blocks: CalendarBlock[]): { fromMin: number; toMin: number } {
  const minutes = [
    ...hours.flatMap((w) => [minutesOf(w.start), minutesOf(w.end)]),
    ...blocks.flatMap((b) => [b.startMin, b.endMin]),
  ];
  return {
    fromMin: Math.floor(Math.min(8 * 60, ...minutes) / 60) * 60,
    toMin: Math.min(24 * 60, Math.ceil(Math.max(18 * 60, ...minutes) / 60) * 60),
  };
}

export type Cell =
  | { kind: 'free'; row: number }
  | { kind: 'blocks'; row: number; span: number; blocks: PlacedBlock[] };

/**
 * Lanes for blocks that overlap in time: each block takes the first lane free at its start, so
 * overlapping ones sit side by side and back-to-back ones share a lane. Returns the lane of each
 * block (in the order given, sorted by start) and how many lanes there are.
 */
export function lanesOf(sorted: CalendarBlock[]): { lane: number[]; lanes: number } {
  const laneEnds: number[] = [];
  const lane = sorted.map((b) => {
    const free = laneEnds.findIndex((end) => end <= b.startMin);
    const i = free === -1 ? laneEnds.length : free;
    laneEnds[i] = b.endMin;
    return i;
  });
  return { lane, lanes: Math.max(1, laneEnds.length) };
}

/**
 * One column's cells. Blocks whose rows touch share one cell (a table cell spanning those rows);
 * inside it each is placed to the minute, so a 10:40 block starts two thirds down the 10:30 row
 * whatever the rows hold. Rows covered by a spanning cell are null.
 */
export function columnCells(blocks: CalendarBlock[], fromMin: number, rows: number): (Cell | null)[] {
  const cells: (Cell | null)[] = Array.from({ length: rows }, (_, row) => ({ kind: 'free', row }) as Cell);
  const toMin = fromMin + rows * ROW_MIN;
  const sorted = blocks
    .filter((b) => b.endMin > fromMin && b.startMin < toMin)
    .sort((a, b) => a.startMin - b.startMin || b.endMin - a.endMin);
  let cluster: { start: number; end: number; blocks: CalendarBlock[] } | null = null;
  const flush = () => {
    if (!cluster) return;
    const start = Math.max(0, cluster.start);
    const end = Math.min(rows, Math.max(cluster.end, start + 1));
    const topMin = fromMin + start * ROW_MIN;
    const bottomMin = fromMin + end * ROW_MIN;
    const { lane, lanes } = lanesOf(cluster.blocks);
    const placed = cluster.blocks.map((b, i) => {
      const from = Math.max(b.startMin, topMin);
      const to = Math.min(b.endMin, bottomMin);
      return { ...b, offsetMin: from - topMin, lengthMin: Math.max(0, to - from), lane: lane[i]!, lanes };
    });
    cells[start] = { kind: 'blocks', row: start, span: end - start, blocks: placed };
    for (let r = start + 1; r < end; r++) cells[r] = null;
  };
  for (const b of sorted) {
    const start = Math.floor((b.startMin - fromMin) / ROW_MIN);
    const end = Math.max(start + 1, Math.ceil((b.endMin - fromMin) / ROW_MIN));
    if (cluster && start < cluster.end) {
      cluster.end = Math.max(cluster.end, end);
      cluster.blocks.push(b);
    } else {
      flush();
      cluster = { start, end, blocks: [b] };
    }
  }
  flush();
  return cells;
}

/** The grid: one column per practitioner per day shown, with its cells, over the rows shown. */
export function calendarGrid<P extends { id: string }>(props: {
  days: { date: string; label: string }[];
  practitioners: P[];
  appointments: CalendarAppointment[];
  hours: WallInterval[];
}) {
  const blocks = props.appointments.map(blockOf);
  const { fromMin, toMin } = rowRange(props.hours, blocks);
  const rows = Math.max(1, (toMin - fromMin) / ROW_MIN);
  const columns = props.days.flatMap((day) =>
    props.practitioners.map((p) => ({
      day,
      p,
      cells: columnCells(
        blocks.filter((b) => b.date === day.date && b.practitionerId === p.id),
        fromMin,
        rows,
      ),
    })),
  );
  return { fromMin, rows, columns };
}

/**
 * Where a block is drawn, as classes (the page's CSP allows no inline style): static/calendar.css
 * turns them into custom properties — minutes from the cell's top and length, each as hours and
 * minutes, the cell's rows, the lane and the lane count — and computes top, height, left and width.
 */
export const MAX_LANES = 8;
export const MAX_ROWS = (24 * 60) / ROW_MIN;

export function placementClasses(b: PlacedBlock): string {
  const lanes = Math.min(b.lanes, MAX_LANES);
  return [
    `sh-${Math.floor(b.offsetMin / 60)}`,
    `sm-${b.offsetMin % 60}`,
    `lh-${Math.floor(b.lengthMin / 60)}`,
    `lm-${b.lengthMin % 60}`,
    `lane-${Math.min(b.lane, lanes - 1)}`,
    `lanes-${lanes}`,
  ].join(' ');
}

/** The table's column count, for its minimum width (capped: more columns scroll anyway). */
export const MAX_COLUMNS = 40;
export const columnsClass = (n: number) => `cols-${Math.min(Math.max(1, n), MAX_COLUMNS)}`;

export const cellClass = (span: number) => `rows-${Math.min(Math.max(1, span), MAX_ROWS)}`;

/** The rules placementClasses, cellClass and columnsClass need: static/calendar.css holds this text. */
export function placementCss(): string {
  const rules: string[] = [];
  const range = (n: number, from = 0) => Array.from({ length: n - from }, (_, i) => i + from);
  for (const h of range(24)) rules.push(`.sh-${h}{--sh:${h};}`);
  for (const m of range(60)) rules.push(`.sm-${m}{--sm:${m};}`);
  for (const h of range(25)) rules.push(`.lh-${h}{--lh:${h};}`);
  for (const m of range(60)) rules.push(`.lm-${m}{--lm:${m};}`);
  for (const l of range(MAX_LANES)) rules.push(`.lane-${l}{--lane:${l};}`);
  for (const n of range(MAX_LANES + 1, 1)) rules.push(`.lanes-${n}{--lanes:${n};}`);
  for (const r of range(MAX_ROWS + 1, 1)) rules.push(`.rows-${r}{--cell:${r * ROW_MIN};}`);
  for (const n of range(MAX_COLUMNS + 1, 1)) rules.push(`.cols-${n}{--cols:${n};}`);
  return `${rules.join('\n')}\n`;
}
