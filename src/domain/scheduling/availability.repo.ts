import { and, asc, eq, gt, gte, inArray, lt, lte } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';
import { deleteWhere, firstRow, upsertRow } from '../../db/rows.ts';

/**
 * Queries of what makes a practitioner available or not besides appointments: weekly hours
 * (availability rules), dated extra hours (availability exceptions), time off and clinic closures.
 */

export type AvailabilityRule = typeof import('../../db/schema/sqlite.ts').availabilityRules.$inferSelect;
export type ExtraHours = typeof import('../../db/schema/sqlite.ts').availabilityExceptions.$inferSelect;
export type TimeOff = typeof import('../../db/schema/sqlite.ts').timeOff.$inferSelect;
export type ClinicClosure = typeof import('../../db/schema/sqlite.ts').clinicClosures.$inferSelect;

// ---------------------------------------------------------------- weekly hours

/** The practitioners' weekly hours, earliest start first. */
export function listAvailabilityRules(ctx: DbCtx, practitionerIds: string[]): Promise<AvailabilityRule[]> {
  const r = ctx.t.availabilityRules;
  return ctx.db.select().from(r).where(inArray(r.practitionerId, practitionerIds)).orderBy(asc(r.startTime));
}

/** Replaces the practitioner's weekly hours with `rules`. */
export async function replaceAvailabilityRules(
  ctx: DbCtx,
  practitionerId: string,
  rules: Omit<AvailabilityRule, 'practitionerId'>[],
): Promise<void> {
  const r = ctx.t.availabilityRules;
  await deleteWhere(ctx, r, eq(r.practitionerId, practitionerId));
  if (rules.length) await ctx.db.insert(r).values(rules.map((rule) => ({ ...rule, practitionerId })));
}

// ---------------------------------------------------------------- extra hours

/** The practitioners' extra hours on local dates `from`…`to` (inclusive). */
export function listExtraHoursBetween(
  ctx: DbCtx,
  practitionerIds: string[],
  from: string,
  to: string,
): Promise<ExtraHours[]> {
  const x = ctx.t.availabilityExceptions;
  return ctx.db
    .select()
    .from(x)
    .where(and(inArray(x.practitionerId, practitionerIds), gte(x.date, from), lte(x.date, to)));
}

/** Everyone's extra hours on or after local date `from`, by date and start. */
export function listExtraHoursFrom(ctx: DbCtx, from: string): Promise<ExtraHours[]> {
  const x = ctx.t.availabilityExceptions;
  return ctx.db.select().from(x).where(gte(x.date, from)).orderBy(asc(x.date), asc(x.startTime));
}

export async function insertExtraHours(ctx: DbCtx, values: ExtraHours): Promise<void> {
  await ctx.db.insert(ctx.t.availabilityExceptions).values(values);
}

/** Deletes extra hours; answers the deleted row, if there was one. */
export function deleteExtraHours(ctx: DbCtx, id: string): Promise<ExtraHours | null> {
  const x = ctx.t.availabilityExceptions;
  return firstRow(ctx.db.delete(x).where(eq(x.id, id)).returning());
}

// ---------------------------------------------------------------- time off

/** The practitioners' time off overlapping [start, end). */
export function listTimeOffOverlapping(
  ctx: DbCtx,
  practitionerIds: string[],
  range: { start: Date; end: Date },
): Promise<TimeOff[]> {
  const o = ctx.t.timeOff;
  const overlapping = and(lt(o.startAt, range.end), gt(o.endAt, range.start));
  return ctx.db
    .select()
    .from(o)
    .where(and(inArray(o.practitionerId, practitionerIds), overlapping));
}

/** Everyone's time off ending at or after `at`, soonest start first. */
export function listTimeOffEndingFrom(ctx: DbCtx, at: Date): Promise<TimeOff[]> {
  const o = ctx.t.timeOff;
  return ctx.db.select().from(o).where(gte(o.endAt, at)).orderBy(asc(o.startAt));
}

export async function insertTimeOff(ctx: DbCtx, values: TimeOff): Promise<void> {
  await ctx.db.insert(ctx.t.timeOff).values(values);
}

/** Deletes time off; answers the deleted row, if there was one. */
export function deleteTimeOff(ctx: DbCtx, id: string): Promise<TimeOff | null> {
  const o = ctx.t.timeOff;
  return firstRow(ctx.db.delete(o).where(eq(o.id, id)).returning());
}

// ---------------------------------------------------------------- clinic closures

/** The local dates the clinic is closed on, between `from` and `to` (inclusive). */
export async function listClosedDates(ctx: DbCtx, from: string, to: string): Promise<string[]> {
  const c = ctx.t.clinicClosures;
  const rows = await ctx.db
    .select({ date: c.date })
    .from(c)
    .where(and(gte(c.date, from), lte(c.date, to)));
  return rows.map((r) => r.date);
}

/** Closures on or after local date `from`, soonest first. */
export function listClosuresFrom(ctx: DbCtx, from: string): Promise<ClinicClosure[]> {
  const c = ctx.t.clinicClosures;
  return ctx.db.select().from(c).where(gte(c.date, from)).orderBy(asc(c.date));
}

/** Adds a closure, or replaces the reason of the one on that date. */
export async function upsertClosure(ctx: DbCtx, values: ClinicClosure): Promise<void> {
  const c = ctx.t.clinicClosures;
  await upsertRow(ctx, c, values, c.date, { reason: values.reason });
}

/** Deletes the closure on a date; answers the deleted row, if there was one. */
export function deleteClosure(ctx: DbCtx, date: string): Promise<ClinicClosure | null> {
  const c = ctx.t.clinicClosures;
  return firstRow(ctx.db.delete(c).where(eq(c.date, date)).returning());
}
