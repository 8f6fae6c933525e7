import { and, asc, eq, gte, inArray, isNull, lte, or } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';
import { findRow, insertRow, updateRow, updateWhere } from '../../db/rows.ts';

/** Queries of the waitlist. */

export type WaitlistEntry = typeof import('../../db/schema/sqlite.ts').waitlistEntries.$inferSelect;

export function insertWaitlistEntry(ctx: DbCtx, values: WaitlistEntry): Promise<WaitlistEntry> {
  return insertRow(ctx, ctx.t.waitlistEntries, values);
}

export function findWaitlistEntry(ctx: DbCtx, id: string): Promise<WaitlistEntry | null> {
  const w = ctx.t.waitlistEntries;
  return findRow(ctx, w, eq(w.id, id));
}

/**
 * A waiting entry of the patient for the service with the same practitioner (or the same "anyone")
 * whose dates overlap [from, to]: joining again would only send the same offers twice.
 */
export function findOverlappingWaiting(
  ctx: DbCtx,
  wanted: { patientId: string; serviceId: string; practitionerId: string | null; from: string; to: string },
): Promise<WaitlistEntry | null> {
  const w = ctx.t.waitlistEntries;
  return findRow(
    ctx,
    w,
    and(
      eq(w.patientId, wanted.patientId),
      eq(w.serviceId, wanted.serviceId),
      eq(w.status, 'waiting'),
      wanted.practitionerId ? eq(w.practitionerId, wanted.practitionerId) : isNull(w.practitionerId),
      lte(w.fromDate, wanted.to),
      gte(w.toDate, wanted.from),
    ),
  );
}

/** Sets an entry's status; answers the new row, or null for no such entry. */
export function updateWaitlistStatus(
  ctx: DbCtx,
  id: string,
  status: WaitlistEntry['status'],
  now: Date,
): Promise<WaitlistEntry | null> {
  const w = ctx.t.waitlistEntries;
  return updateRow(ctx, w, eq(w.id, id), { status, updatedAt: now });
}

/** The patient's waiting entries for the service become booked. */
export function markWaitlistBooked(
  ctx: DbCtx,
  patientId: string,
  serviceId: string,
  now: Date,
): Promise<void> {
  const w = ctx.t.waitlistEntries;
  const waiting = and(eq(w.patientId, patientId), eq(w.serviceId, serviceId), eq(w.status, 'waiting'));
  return updateWhere(ctx, w, waiting, { status: 'booked', updatedAt: now });
}

/** Records that the entries were offered time at `now`. */
export function markWaitlistOffered(ctx: DbCtx, ids: string[], now: Date): Promise<void> {
  const w = ctx.t.waitlistEntries;
  return updateWhere(ctx, w, inArray(w.id, ids), { lastOfferedAt: now, updatedAt: now });
}

/** Waiting entries, oldest first: everyone's, or only those of `patientIds`. */
export function listWaitingEntries(ctx: DbCtx, patientIds?: string[]): Promise<WaitlistEntry[]> {
  const w = ctx.t.waitlistEntries;
  return ctx.db
    .select()
    .from(w)
    .where(and(eq(w.status, 'waiting'), patientIds ? inArray(w.patientId, patientIds) : undefined))
    .orderBy(asc(w.createdAt));
}

/**
 * Waiting entries with their service's name, oldest first (at most 200): only those for
 * `practitionerId` or anyone, when given.
 */
export function listWaitingWithService(ctx: DbCtx, practitionerId?: string) {
  const { waitlistEntries: w, services } = ctx.t;
  return ctx.db
    .select({ entry: w, service: { name: services.name } })
    .from(w)
    .innerJoin(services, eq(services.id, w.serviceId))
    .where(
      and(
        eq(w.status, 'waiting'),
        practitionerId ? or(isNull(w.practitionerId), eq(w.practitionerId, practitionerId)) : undefined,
      ),
    )
    .orderBy(asc(w.createdAt))
    .limit(200);
}

/**
 * Waiting entries (oldest first, at most 50) whose range holds local `date`, for a service the
 * practitioner offers, who want that practitioner or anyone.
 */
export function listWaitingFor(
  ctx: DbCtx,
  wanted: { practitionerId: string; date: string },
): Promise<WaitlistEntry[]> {
  const { waitlistEntries: w, practitionerServices: ps } = ctx.t;
  return ctx.db
    .select({ entry: w })
    .from(w)
    .innerJoin(ps, and(eq(ps.serviceId, w.serviceId), eq(ps.practitionerId, wanted.practitionerId)))
    .where(
      and(
        eq(w.status, 'waiting'),
        lte(w.fromDate, wanted.date),
        gte(w.toDate, wanted.date),
        or(isNull(w.practitionerId), eq(w.practitionerId, wanted.practitionerId)),
      ),
    )
    .orderBy(asc(w.createdAt))
    .limit(50)
    .then((rows) => rows.map((r) => r.entry));
}
