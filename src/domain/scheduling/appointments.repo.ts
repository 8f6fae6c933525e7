import { and, asc, desc, eq, gt, gte, inArray, lt, ne, type SQL, sql } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';
import { param, preparedQuery } from '../../db/prepared.ts';
import { columnsOf, countWhere, findRow, firstRow, hasRow, insertRow, updateRow } from '../../db/rows.ts';

/**
 * Queries of the appointments table. No rules here: who may see or change what, and the order
 * of lock → check → write, live in the use cases that call these.
 */

export type Appointment = typeof import('../../db/schema/sqlite.ts').appointments.$inferSelect;
export type NewAppointment = typeof import('../../db/schema/sqlite.ts').appointments.$inferInsert;

/** No appointment blocks longer than this (8 h service + 4 h buffers each side, rounded up). */
export const MAX_BLOCK_MS = 24 * 3_600_000;

/** An appointment with its service's name (the patient's name is the patients area's). */
export interface AppointmentWithService {
  appointment: Appointment;
  service: { name: string };
}

export function findAppointmentById(ctx: DbCtx, id: string): Promise<Appointment | null> {
  const a = ctx.t.appointments;
  return findRow(ctx, a, eq(a.id, id));
}

export function insertAppointment(ctx: DbCtx, values: NewAppointment): Promise<Appointment> {
  return insertRow(ctx, ctx.t.appointments, values);
}

/**
 * Appointment rows as they are, in one statement per 200 (under SQLite's variable limit): no
 * checks, no audit, no messages — for seeding a demo clinic and, later, imports.
 */
export async function insertAppointmentsInBulk(ctx: DbCtx, rows: readonly NewAppointment[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) {
    await ctx.db.insert(ctx.t.appointments).values(rows.slice(i, i + 200));
  }
}

/**
 * Updates the appointment only if it is still at `version` (optimistic check); answers the new
 * row, or null when someone changed it meanwhile.
 */
export function updateAppointmentAtVersion(
  ctx: DbCtx,
  id: string,
  version: number,
  changes: Partial<NewAppointment>,
): Promise<Appointment | null> {
  const a = ctx.t.appointments;
  return updateRow(ctx, a, and(eq(a.id, id), eq(a.version, version)), changes);
}

/**
 * Non-cancelled appointments whose block (buffers included) overlaps `range`, other than
 * `ignoreAppointmentId`.
 */
function blockOverlaps(ctx: DbCtx, range: { start: Date; end: Date }, ignoreAppointmentId?: string) {
  const a = ctx.t.appointments;
  return and(
    // Bounded on both sides so the (practitioner, block_start) index reads only this range.
    gt(a.blockStartAt, new Date(range.start.getTime() - MAX_BLOCK_MS)),
    lt(a.blockStartAt, range.end),
    gt(a.blockEndAt, range.start),
    ne(a.status, 'cancelled'),
    ignoreAppointmentId ? ne(a.id, ignoreAppointmentId) : undefined,
  );
}

/**
 * Whether `[start, end)` overlaps any non-cancelled appointment block of the practitioner
 * (buffers included), other than `ignoreAppointmentId`.
 */
export function hasOverlappingAppointment(
  ctx: DbCtx,
  practitionerId: string,
  block: { start: Date; end: Date },
  ignoreAppointmentId?: string,
): Promise<boolean> {
  const a = ctx.t.appointments;
  return anyBlockOverlaps(ctx, eq(a.practitionerId, practitionerId), block, ignoreAppointmentId);
}

/**
 * Whether `[start, end)` overlaps any non-cancelled appointment block in the room (buffers
 * included), other than `ignoreAppointmentId`. The start bounds let the start index read only
 * this range (a block starts at most MAX_BLOCK_MS before its appointment's start and ends after it).
 */
export function hasOverlappingRoomAppointment(
  ctx: DbCtx,
  roomId: string,
  block: { start: Date; end: Date },
  ignoreAppointmentId?: string,
): Promise<boolean> {
  const a = ctx.t.appointments;
  const inRoom = and(
    eq(a.roomId, roomId),
    gt(a.startAt, new Date(block.start.getTime() - MAX_BLOCK_MS)),
    lt(a.startAt, new Date(block.end.getTime() + MAX_BLOCK_MS)),
  );
  return anyBlockOverlaps(ctx, inRoom, block, ignoreAppointmentId);
}

/** Whether a non-cancelled appointment matching `where` has a block overlapping `block`. */
function anyBlockOverlaps(
  ctx: DbCtx,
  where: SQL | undefined,
  block: { start: Date; end: Date },
  ignoreAppointmentId: string | undefined,
): Promise<boolean> {
  return hasRow(ctx, ctx.t.appointments, and(where, blockOverlaps(ctx, block, ignoreAppointmentId)));
}

/** The blocks (buffers included) of the practitioners' non-cancelled appointments overlapping [start, end). */
export function listBusyBlocks(
  ctx: DbCtx,
  practitionerIds: string[],
  range: { start: Date; end: Date },
  ignoreAppointmentId?: string,
): Promise<{ id: string; practitionerId: string; start: Date; end: Date }[]> {
  const a = ctx.t.appointments;
  return ctx.db
    .select({ id: a.id, practitionerId: a.practitionerId, start: a.blockStartAt, end: a.blockEndAt })
    .from(a)
    .where(and(inArray(a.practitionerId, practitionerIds), blockOverlaps(ctx, range, ignoreAppointmentId)));
}

/** How many open (booked or requested) appointments of the patient start after `now` and were booked by a patient. */
export async function countOpenPatientBookings(ctx: DbCtx, patientId: string, now: Date): Promise<number> {
  const a = ctx.t.appointments;
  const openOnline = and(
    eq(a.patientId, patientId),
    eq(a.bookedByType, 'patient'),
    inArray(a.status, ['booked', 'requested']),
    gt(a.startAt, now),
  );
  return countWhere(ctx, a, openOnline);
}

/** The open (booked or requested) appointments of a series that start after `after`. */
export function listOpenInSeriesAfter(ctx: DbCtx, seriesId: string, after: Date): Promise<Appointment[]> {
  const a = ctx.t.appointments;
  return ctx.db
    .select()
    .from(a)
    .where(and(eq(a.seriesId, seriesId), gt(a.startAt, after), inArray(a.status, ['booked', 'requested'])));
}

/** The open (or, with `cancelledFrom`, the cancelled-from-then-on) appointments of a series, soonest first. */
export function listSeriesAppointments(
  ctx: DbCtx,
  seriesId: string,
  options: { cancelledFrom?: Date } = {},
): Promise<Appointment[]> {
  const a = ctx.t.appointments;
  const wanted = options.cancelledFrom
    ? and(eq(a.status, 'cancelled'), gte(a.startAt, options.cancelledFrom))
    : inArray(a.status, ['booked', 'requested']);
  return ctx.db
    .select()
    .from(a)
    .where(and(eq(a.seriesId, seriesId), wanted))
    .orderBy(asc(a.startAt));
}

/** The patients' appointments, newest first (at most 200), with service and practitioner names. */
export function listAppointmentsOfPatients(ctx: DbCtx, patientIds: string[]) {
  const a = ctx.t.appointments;
  // One patient (no dependants) is nearly every call: the prepared query.
  if (patientIds.length === 1) return appointmentsOfPatient(ctx, { patientId: patientIds[0] });
  return selectWithNames(ctx).where(inArray(a.patientId, patientIds)).orderBy(desc(a.startAt)).limit(200);
}

const appointmentsOfPatient = preparedQuery((ctx) => {
  const a = ctx.t.appointments;
  return selectWithNames(ctx)
    .where(eq(a.patientId, param('patientId')))
    .orderBy(desc(a.startAt))
    .limit(200);
});

/** One appointment with its service's name and its practitioner's display name. */
export function findAppointmentWithNames(ctx: DbCtx, id: string) {
  return firstRow(selectWithNames(ctx).where(eq(ctx.t.appointments.id, id)));
}

/** Appointments with their service's name and their practitioner's display name. */
function selectWithNames(ctx: DbCtx) {
  const { appointments: a, services, practitionerProfiles } = ctx.t;
  return ctx.db
    .select({
      appointment: a,
      service: { name: services.name, defaultNoteTemplateId: services.defaultNoteTemplateId },
      practitioner: { displayName: practitionerProfiles.displayName },
    })
    .from(a)
    .innerJoin(services, eq(services.id, a.serviceId))
    .innerJoin(practitionerProfiles, eq(practitionerProfiles.accountId, a.practitionerId));
}

/**
 * Appointments starting in [from, to) and ending after `from`, soonest first, with service names.
 * The bounds on `block_start_at` select nothing more (a block holds its appointment and lasts at
 * most MAX_BLOCK_MS), but let a practitioner's rows be read through (practitioner_id,
 * block_start_at) for the days asked only — without them SQLite read every appointment the
 * practitioners ever had.
 */
export function listAppointmentsInRange(
  ctx: DbCtx,
  range: { from: Date; to: Date; practitionerIds?: string[]; includeCancelled?: boolean },
): Promise<AppointmentWithService[]> {
  const a = ctx.t.appointments;
  const earliest = new Date(range.from.getTime() - MAX_BLOCK_MS);
  return listWithServiceName(
    ctx,
    and(
      range.practitionerIds ? inArray(a.practitionerId, range.practitionerIds) : undefined,
      gt(a.blockStartAt, earliest),
      lt(a.blockStartAt, range.to),
      gt(a.startAt, earliest),
      lt(a.startAt, range.to),
      gt(a.endAt, range.from),
      range.includeCancelled ? undefined : ne(a.status, 'cancelled'),
    ),
  );
}

/** An appointment as the staff calendar draws it: its place, its state and its service's name. */
export interface CalendarBlockRow {
  id: string;
  version: number;
  practitionerId: string;
  patientId: string;
  startAt: Date;
  endAt: Date;
  status: Appointment['status'];
  serviceName: string;
}

/** The calendar's read for `count` practitioners (a prepared query per count: its ids are `p0`…). */
const calendarBlocksFor = (count: number) =>
  preparedQuery((ctx) => {
    const { appointments: a, services } = ctx.t;
    const earliest = param('earliest', a.startAt);
    const to = param('to', a.startAt);
    return ctx.db
      .select({
        id: a.id,
        version: a.version,
        practitionerId: a.practitionerId,
        patientId: a.patientId,
        startAt: a.startAt,
        endAt: a.endAt,
        status: a.status,
        serviceName: services.name,
      })
      .from(a)
      .innerJoin(services, eq(services.id, a.serviceId))
      .where(
        and(
          inArray(
            a.practitionerId,
            Array.from({ length: count }, (_, i) => sql.placeholder(`p${i}`)),
          ),
          gt(a.blockStartAt, param('earliest', a.blockStartAt)),
          lt(a.blockStartAt, param('to', a.blockStartAt)),
          gt(a.startAt, earliest),
          lt(a.startAt, to),
          gt(a.endAt, param('from', a.endAt)),
          ne(a.status, 'cancelled'),
        ),
      )
      .orderBy(asc(a.startAt), asc(a.practitionerId), asc(a.id));
  });
const calendarBlocksByCount = new Map<number, ReturnType<typeof calendarBlocksFor>>();

/**
 * The staff calendar's appointments: those of `practitionerIds` starting in [from, to) and ending
 * after `from`, cancelled ones aside, soonest first — listAppointmentsInRange's rows, with only the
 * columns the grid draws, through a prepared query (the calendar's pages are its busiest reads).
 */
export function listCalendarBlocks(
  ctx: DbCtx,
  range: { from: Date; to: Date; practitionerIds: readonly string[] },
): Promise<CalendarBlockRow[]> {
  const count = range.practitionerIds.length;
  if (count === 0) return Promise.resolve([]);
  let query = calendarBlocksByCount.get(count);
  if (!query) {
    query = calendarBlocksFor(count);
    calendarBlocksByCount.set(count, query);
  }
  const values: Record<string, unknown> = {
    earliest: new Date(range.from.getTime() - MAX_BLOCK_MS),
    to: range.to,
    from: range.from,
  };
  range.practitionerIds.forEach((id, i) => {
    values[`p${i}`] = id;
  });
  return query(ctx, values) as Promise<CalendarBlockRow[]>;
}

/** Requested appointments starting after `after`, soonest first (at most `limit`), with service names. */
export function listRequestedAppointments(
  ctx: DbCtx,
  filter: { after: Date; practitionerIds?: string[] | undefined; limit: number },
): Promise<AppointmentWithService[]> {
  const a = ctx.t.appointments;
  return listWithServiceName(
    ctx,
    and(
      eq(a.status, 'requested'),
      gt(a.startAt, filter.after),
      filter.practitionerIds ? inArray(a.practitionerId, filter.practitionerIds) : undefined,
    ),
    filter.limit,
  );
}

/** A practitioner's non-cancelled appointments whose block starts in (from, to), soonest first, with service names. */
export function listPractitionerAppointmentsBetween(
  ctx: DbCtx,
  practitionerId: string,
  range: { from: Date; to: Date },
): Promise<AppointmentWithService[]> {
  const a = ctx.t.appointments;
  return listWithServiceName(
    ctx,
    and(
      eq(a.practitionerId, practitionerId),
      gt(a.blockStartAt, range.from),
      lt(a.blockStartAt, range.to),
      ne(a.status, 'cancelled'),
    ),
  );
}

function listWithServiceName(
  ctx: DbCtx,
  where: SQL | undefined,
  limit?: number,
): Promise<AppointmentWithService[]> {
  const { appointments: a, services } = ctx.t;
  const query = ctx.db
    .select({ appointment: a, service: { name: services.name } })
    .from(a)
    .innerJoin(services, eq(services.id, a.serviceId))
    .where(where)
    // Ties broken the same way every time (not by whichever index the plan picked, whose order
    // may follow the status): a row marked arrived on Today keeps its place.
    .orderBy(asc(a.startAt), asc(a.practitionerId), asc(a.id));
  return limit ? query.limit(limit) : query;
}

/** Whether the practitioner has (or had) an appointment with the patient, cancelled ones aside. */
export function hasAppointmentWith(ctx: DbCtx, practitionerId: string, patientId: string): Promise<boolean> {
  const a = ctx.t.appointments;
  return hasRow(
    ctx,
    a,
    and(eq(a.patientId, patientId), eq(a.practitionerId, practitionerId), ne(a.status, 'cancelled')),
  );
}

const onFile = ['patientId', 'practitionerId', 'serviceId', 'startAt', 'blockStartAt', 'blockEndAt'] as const;

/** An appointment as an import compares rows with it: whose, with whom, what, when, its block. */
export type AppointmentOnFile = Pick<Appointment, (typeof onFile)[number]>;

/** Every non-cancelled appointment whose block ends after `from` (an import's clashes and repeats). */
export function listAppointmentsFrom(ctx: DbCtx, from: Date): Promise<AppointmentOnFile[]> {
  const a = ctx.t.appointments;
  return ctx.db
    .select(columnsOf(a, onFile))
    .from(a)
    .where(and(gt(a.blockEndAt, from), ne(a.status, 'cancelled')));
}
