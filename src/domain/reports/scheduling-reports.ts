import type { DbCtx } from '../../db/client.ts';
import type { ReportScope } from '../../db/report-sql.ts';
import {
  appointmentStatuses,
  countAppointmentsByWeek,
  countAttendance,
  countBookingChannels,
  countNewAndReturning,
  measureUtilisation,
} from '../scheduling/index.ts';
import {
  byKey,
  percent,
  practitionerColumn,
  type ReportDefinition,
  type ReportRow,
  weekColumn,
} from './report.ts';

/** The appointment reports (issue 20 item 5); the queries are the scheduling area's. */

const statusLabels: Record<string, string> = {
  requested: 'Requested',
  booked: 'Booked',
  arrived: 'Arrived',
  completed: 'Completed',
  cancelled: 'Cancelled',
  no_show: 'No-show',
};

/**
 * Every week of the range as a row of zeros for `keys`, each of the query's weekly `counts` put
 * in its week's row by `fill` (weeks with none still show).
 */
function weekRows<C extends { week: string }>(
  weeks: { key: string }[],
  keys: string[],
  counts: C[],
  fill: (row: ReportRow, count: C) => void,
): ReportRow[] {
  const rows = new Map(
    weeks.map((w) => [w.key, { week: w.key, ...Object.fromEntries(keys.map((k) => [k, 0])) }]),
  );
  for (const c of counts) {
    const row = rows.get(c.week);
    if (row) fill(row, c);
  }
  return [...rows.values()];
}

/**
 * A weekly report of a few counts stacked in its chart: `series` gives each count's key and
 * label (in column order), `pick` takes them from one of the query's weekly rows.
 */
function weeklyCounts<C extends { week: string }>(report: {
  name: string;
  title: string;
  description: string;
  series: Record<string, string>;
  count: (ctx: DbCtx, scope: ReportScope) => Promise<C[]>;
  pick: (count: C) => Record<string, number>;
}): ReportDefinition {
  const keys = Object.keys(report.series);
  return {
    name: report.name,
    title: report.title,
    description: report.description,
    columns: [
      weekColumn,
      ...keys.map((key) => ({ key, label: report.series[key]!, kind: 'count' as const })),
    ],
    chart: { kind: 'stacked', series: keys },
    async rows(ctx, scope) {
      const counts = await report.count(ctx, scope);
      return weekRows(scope.weeks, keys, counts, (row, c) => Object.assign(row, report.pick(c)));
    },
  };
}

export const appointmentsByStatus: ReportDefinition = {
  name: 'appointments-by-status',
  title: 'Appointments by status per week',
  description: 'Appointments starting in each week (Monday to Sunday), by their status now.',
  columns: [
    weekColumn,
    ...appointmentStatuses.map((s) => ({ key: s, label: statusLabels[s] ?? s, kind: 'count' as const })),
    { key: 'total', label: 'Total', kind: 'count' },
  ],
  chart: { kind: 'stacked', series: [...appointmentStatuses] },
  async rows(ctx, scope) {
    const counts = await countAppointmentsByWeek(ctx, scope);
    return weekRows(scope.weeks, [...appointmentStatuses, 'total'], counts, (row, r) => {
      row[r.status] = r.count;
      row.total = Number(row.total) + r.count;
    });
  },
};

export const attendance: ReportDefinition = {
  name: 'attendance',
  title: 'No-show and late-cancellation rates',
  description:
    'Of the appointments starting in the range (requests never confirmed left out): the share missed without notice, and the share cancelled inside the cancellation window.',
  columns: [
    practitionerColumn,
    { key: 'appointments', label: 'Appointments', kind: 'count' },
    { key: 'noShows', label: 'No-shows', kind: 'count' },
    { key: 'noShowRate', label: 'No-show rate', kind: 'percent' },
    { key: 'lateCancellations', label: 'Late cancellations', kind: 'count' },
    { key: 'lateCancellationRate', label: 'Late-cancellation rate', kind: 'percent' },
  ],
  chart: { kind: 'bars', series: ['noShowRate', 'lateCancellationRate'] },
  async rows(ctx, scope) {
    const counts = await countAttendance(ctx, scope);
    const row = (practitioner: string, total: number, noShows: number, late: number): ReportRow => ({
      practitioner,
      appointments: total,
      noShows,
      noShowRate: percent(noShows, total),
      lateCancellations: late,
      lateCancellationRate: percent(late, total),
    });
    const rows = counts
      .map((c) => row(c.name, c.total, c.noShows, c.lateCancellations))
      .sort(byKey('practitioner'));
    if (scope.practitionerId) return rows;
    const sum = (k: 'total' | 'noShows' | 'lateCancellations') => counts.reduce((n, c) => n + c[k], 0);
    return [...rows, row('All practitioners', sum('total'), sum('noShows'), sum('lateCancellations'))];
  },
};

export const utilisation: ReportDefinition = {
  name: 'utilisation',
  title: 'Utilisation',
  description:
    'Minutes booked (booked, arrived, completed or no-show) over minutes available: weekly and extra hours over the range, less closures and time off.',
  columns: [
    practitionerColumn,
    { key: 'bookedMinutes', label: 'Booked', kind: 'minutes' },
    { key: 'availableMinutes', label: 'Available', kind: 'minutes' },
    { key: 'utilisation', label: 'Utilisation', kind: 'percent' },
  ],
  chart: { kind: 'bars', series: ['utilisation'] },
  async rows(ctx, scope) {
    return (await measureUtilisation(ctx, scope)).map((u) => ({
      practitioner: u.name,
      bookedMinutes: u.bookedMinutes,
      availableMinutes: u.availableMinutes,
      utilisation: percent(u.bookedMinutes, u.availableMinutes),
    }));
  },
};

export const newVersusReturning = weeklyCounts({
  name: 'new-vs-returning',
  title: 'New versus returning patients',
  description:
    'Patients seen each week (appointments not cancelled): new when they had no appointment with the clinic before that week.',
  series: { new: 'New', returning: 'Returning' },
  count: countNewAndReturning,
  pick: (r) => ({ new: r.newPatients, returning: r.returningPatients }),
});

export const bookingChannels = weeklyCounts({
  name: 'booking-channels',
  title: 'Online versus staff bookings',
  description:
    'Appointments starting in each week, by who booked them: the patient online, or the clinic’s staff.',
  series: { online: 'Online', staff: 'Staff' },
  count: countBookingChannels,
  pick: (r) => ({ online: r.online, staff: r.staff }),
});
