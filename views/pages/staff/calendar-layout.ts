import type { AppointmentStatus, WallInterval } from '../../../src/domain/scheduling/index.ts';

/**
 * The calendar's layout arithmetic, as pure functions: where an appointment sits (minutes from
 * local midnight), which rows the day shows, and each column's cells. One row is 15 minutes.
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
  endMin: a.end === null ? 24 * 60 : minutesOf(a.end),
});

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
  | { kind: 'blocks'; row: number; span: number; blocks: CalendarBlock[] };

/** One column's cells: blocks that overlap once snapped to rows share one cell (null: spanned). */
export function columnCells(blocks: CalendarBlock[], fromMin: number, rows: number): (Cell | null)[] {
  const cells: (Cell | null)[] = Array.from({ length: rows }, (_, row) => ({ kind: 'free', row }) as Cell);
  const sorted = [...blocks].sort((a, b) => a.startMin - b.startMin);
  let cluster: { start: number; end: number; blocks: CalendarBlock[] } | null = null;
  const flush = () => {
    if (!cluster) return;
    const start = Math.max(0, cluster.start);
    const end = Math.min(rows, Math.max(cluster.end, start + 1));
    cells[start] = { kind: 'blocks', row: start, span: end - start, blocks: cluster.blocks };
    for (let r = start + 1; r < end; r++) cells[r] = null;
  };
  for (const b of sorted) {
    const start = Math.floor((b.startMin - fromMin) / ROW_MIN);
    const end = Math.ceil((b.endMin - fromMin) / ROW_MIN);
    if (end <= 0 || start >= rows) continue;
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
export function calendarGrid(props: {
  days: { date: string; label: string }[];
  practitioners: { id: string; name: string }[];
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
