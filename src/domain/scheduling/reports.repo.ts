import { eq, type SQL, sql } from 'drizzle-orm';
import { type DbCtx, queryRows } from '../../db/client.ts';
import {
  bucketsCte,
  daysCte,
  epochMs,
  greatest,
  instant,
  least,
  minutesOfDay,
  num,
  type ReportScope,
} from '../../db/report-sql.ts';

/**
 * Scheduling's report queries (issue 20): each one GROUP BY statement over the appointments (or
 * the hours) of a range, answering a few rows per week or per practitioner — never the rows
 * themselves. Weeks and days are the clinic's, worked out by the caller (ReportScope).
 */

const onlyPractitioner = (scope: ReportScope, column: unknown): SQL =>
  scope.practitionerId ? sql` and ${column} = ${scope.practitionerId}` : sql``;

/**
 * The appointments of the range's weeks, joined to the weeks: `start_at` bounded by the whole
 * range too (the same rows). Without that bound PostgreSQL cannot tell how few rows a join to the
 * weeks keeps: for one practitioner it read all their appointments of every year and tested each
 * against the 53 weeks (0.5 s on the 1M-appointment clinic; 55 ms with the bound).
 */
function appointmentsByWeek(ctx: DbCtx, scope: ReportScope, where: SQL): SQL {
  const a = ctx.t.appointments;
  return sql`weeks w join ${a} on ${a.startAt} >= w.lo and ${a.startAt} < w.hi
      where ${a.startAt} >= ${instant(ctx, scope.from)} and ${a.startAt} < ${instant(ctx, scope.to)}
        and ${where}${onlyPractitioner(scope, a.practitionerId)}`;
}

/** Appointments starting in each week, by status. */
export async function countAppointmentsByWeek(ctx: DbCtx, scope: ReportScope) {
  const a = ctx.t.appointments;
  const rows = await queryRows<{ week: string; status: string; n: unknown }>(
    ctx,
    sql`with ${bucketsCte(ctx, 'weeks', scope.weeks)}
      select w.key as week, ${a.status} as status, count(*) as n
      from ${appointmentsByWeek(ctx, scope, sql`1 = 1`)}
      group by w.key, ${a.status}`,
  );
  return rows.map((r) => ({ week: r.week, status: r.status, count: num(r.n) }));
}

/**
 * Per practitioner, of the appointments starting in the range that were booked (not requests
 * never confirmed): how many, how many were no-shows, how many cancelled late.
 */
export async function countAttendance(ctx: DbCtx, scope: ReportScope) {
  const a = ctx.t.appointments;
  const p = ctx.t.practitionerProfiles;
  const rows = await queryRows<{ id: string; name: string; total: unknown; noShows: unknown; late: unknown }>(
    ctx,
    sql`select c.id as id, ${p.displayName} as name, c.total as total, c.no_shows as "noShows", c.late as late
      from (
        select ${a.practitionerId} as id, count(*) as total,
          sum(case when ${a.status} = 'no_show' then 1 else 0 end) as no_shows,
          sum(case when ${a.status} = 'cancelled' and ${eq(a.lateCancel, true)} then 1 else 0 end) as late
        from ${a}
        where ${a.startAt} >= ${instant(ctx, scope.from)} and ${a.startAt} < ${instant(ctx, scope.to)}
          and ${a.status} <> 'requested'${onlyPractitioner(scope, a.practitionerId)}
        group by ${a.practitionerId}
      ) c join ${p} on ${p.accountId} = c.id`,
  );
  return rows.map((r) => ({
    practitionerId: r.id,
    name: r.name,
    total: num(r.total),
    noShows: num(r.noShows),
    lateCancellations: num(r.late),
  }));
}

/** The practitioners a report lists (one, or all with a profile), with their names. */
async function listPractitioners(ctx: DbCtx, scope: ReportScope) {
  const p = ctx.t.practitionerProfiles;
  return queryRows<{ id: string; name: string }>(
    ctx,
    sql`select ${p.accountId} as id, ${p.displayName} as name from ${p}
      where 1 = 1${onlyPractitioner(scope, p.accountId)} order by ${p.displayName}`,
  );
}

/**
 * The working intervals of the range as a CTE `intervals(practitioner_id, lo, hi)` in epoch ms:
 * each local day's weekly hours plus its dated extra hours, none on a clinic closure.
 */
function intervalsCte(ctx: DbCtx, scope: ReportScope): SQL {
  const r = ctx.t.availabilityRules;
  const e = ctx.t.availabilityExceptions;
  const c = ctx.t.clinicClosures;
  const open = sql`d.day not in (select ${c.date} from ${c})`;
  return sql`${daysCte(ctx, 'days', scope.days)},
    intervals(practitioner_id, lo, hi) as (
      select ${r.practitionerId}, d.base + ${minutesOfDay(r.startTime)} * 60000, d.base + ${minutesOfDay(r.endTime)} * 60000
      from days d join ${r} on ${r.weekday} = d.weekday
      where ${open}${onlyPractitioner(scope, r.practitionerId)}
      union all
      select ${e.practitionerId}, d.base + ${minutesOfDay(e.startTime)} * 60000, d.base + ${minutesOfDay(e.endTime)} * 60000
      from days d join ${e} on ${e.date} = d.day
      where ${open}${onlyPractitioner(scope, e.practitionerId)}
    )`;
}

/**
 * Utilisation per practitioner: minutes booked (appointments starting in the range that hold the
 * time: booked, arrived, completed, no-show) over minutes available (weekly and extra hours over
 * the range's local days, minus closures, minus the part of each working interval under time off).
 */
export async function measureUtilisation(ctx: DbCtx, scope: ReportScope) {
  const a = ctx.t.appointments;
  const t = ctx.t.timeOff;
  const [people, working, away, booked] = await Promise.all([
    listPractitioners(ctx, scope),
    queryRows<{ id: string; ms: unknown }>(
      ctx,
      sql`with ${intervalsCte(ctx, scope)}
        select practitioner_id as id, sum(hi - lo) as ms from intervals group by practitioner_id`,
    ),
    queryRows<{ id: string; ms: unknown }>(
      ctx,
      sql`with ${intervalsCte(ctx, scope)}
        select i.practitioner_id as id,
          sum(${least(ctx, sql`i.hi`, epochMs(ctx, t.endAt))} - ${greatest(ctx, sql`i.lo`, epochMs(ctx, t.startAt))}) as ms
        from intervals i join ${t} on ${t.practitionerId} = i.practitioner_id
          and ${epochMs(ctx, t.startAt)} < i.hi and ${epochMs(ctx, t.endAt)} > i.lo
        group by i.practitioner_id`,
    ),
    queryRows<{ id: string; ms: unknown }>(
      ctx,
      sql`select ${a.practitionerId} as id, sum(${epochMs(ctx, a.endAt)} - ${epochMs(ctx, a.startAt)}) as ms
        from ${a}
        where ${a.startAt} >= ${instant(ctx, scope.from)} and ${a.startAt} < ${instant(ctx, scope.to)}
          and ${a.status} in ('booked', 'arrived', 'completed', 'no_show')${onlyPractitioner(scope, a.practitionerId)}
        group by ${a.practitionerId}`,
    ),
  ]);
  const minutes = (rows: { id: string; ms: unknown }[]) =>
    new Map(rows.map((r) => [r.id, Math.round(num(r.ms) / 60_000)]));
  const [w, off, b] = [minutes(working), minutes(away), minutes(booked)];
  return people.map((p) => ({
    practitionerId: p.id,
    name: p.name,
    bookedMinutes: b.get(p.id) ?? 0,
    availableMinutes: Math.max(0, (w.get(p.id) ?? 0) - (off.get(p.id) ?? 0)),
  }));
}

/**
 * Per week, the patients seen (appointments not cancelled nor mere requests): new — their first
 * such appointment with anyone falls in that week — or returning (the others seen that week).
 * Three small steps, not one join of every week's (week, patient) pairs with every patient's first
 * visit: PostgreSQL planned that join as a scan of the whole table tested against every week
 * (12 s over a million appointments). Each patient's first visit is one index probe
 * (patient, start, status: the first row that counts), ordered by patient then start so
 * PostgreSQL walks that index, not the start index hunting for the patient.
 */
export async function countNewAndReturning(ctx: DbCtx, scope: ReportScope) {
  const a = ctx.t.appointments;
  const counted = sql`not in ('cancelled', 'requested')`;
  // With a practitioner: a first visit counts in its week only if they saw the patient that week.
  const seenByPractitioner = scope.practitionerId
    ? sql` and exists (
        select 1 from ${a} mine where mine.patient_id = f.patient_id and mine.status ${counted}
          and mine.start_at >= w.lo and mine.start_at < w.hi and mine.practitioner_id = ${scope.practitionerId})`
    : sql``;
  const rows = await queryRows<{ week: string; fresh: unknown; back: unknown }>(
    ctx,
    sql`with ${bucketsCte(ctx, 'weeks', scope.weeks)},
      seen(week, patients) as (
        select w.key, count(distinct ${a.patientId})
        from ${appointmentsByWeek(ctx, scope, sql`${a.status} ${counted}`)}
        group by w.key
      ),
      firsts(patient_id, first_at) as materialized (
        select s.patient_id, (
          select prior.start_at from ${a} prior
          where prior.patient_id = s.patient_id and prior.status ${counted}
          order by prior.patient_id, prior.start_at limit 1
        )
        from (
          select distinct ${a.patientId} as patient_id from ${a}
          where ${a.startAt} >= ${instant(ctx, scope.from)} and ${a.startAt} < ${instant(ctx, scope.to)}
            and ${a.status} ${counted}${onlyPractitioner(scope, a.practitionerId)}
        ) s
      ),
      fresh(week, n) as (
        select w.key, count(*)
        from weeks w join firsts f on f.first_at >= w.lo and f.first_at < w.hi${seenByPractitioner}
        group by w.key
      )
      select s.week as week, coalesce(f.n, 0) as fresh, s.patients - coalesce(f.n, 0) as back
      from seen s left join fresh f on f.week = s.week`,
  );
  return rows.map((r) => ({ week: r.week, newPatients: num(r.fresh), returningPatients: num(r.back) }));
}

/** Per week, appointments starting in it by who booked them: the patient online, or staff. */
export async function countBookingChannels(ctx: DbCtx, scope: ReportScope) {
  const a = ctx.t.appointments;
  const rows = await queryRows<{ week: string; online: unknown; staff: unknown }>(
    ctx,
    sql`with ${bucketsCte(ctx, 'weeks', scope.weeks)}
      select w.key as week,
        sum(case when ${a.bookedByType} = 'patient' then 1 else 0 end) as online,
        sum(case when ${a.bookedByType} = 'staff' then 1 else 0 end) as staff
      from ${appointmentsByWeek(ctx, scope, sql`1 = 1`)}
      group by w.key`,
  );
  return rows.map((r) => ({ week: r.week, online: num(r.online), staff: num(r.staff) }));
}
