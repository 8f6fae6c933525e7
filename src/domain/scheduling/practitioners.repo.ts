import { and, eq, inArray } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';
import { lockRow } from '../../db/locks.ts';
import { deleteWhere, findRow, hasRow, upsertRow } from '../../db/rows.ts';

/** Queries of practitioners' profiles and of the services each offers. */

export type PractitionerProfile =
  typeof import('../../db/schema/sqlite.ts').practitionerProfiles.$inferSelect;
export type PractitionerServiceLink =
  typeof import('../../db/schema/sqlite.ts').practitionerServices.$inferSelect;

/**
 * Locks the practitioner's profile row for the rest of the transaction (FOR UPDATE on PostgreSQL;
 * on SQLite the transaction is the lock). Answers whether the profile exists.
 */
export function lockPractitionerProfile(ctx: DbCtx, accountId: string): Promise<boolean> {
  const p = ctx.t.practitionerProfiles;
  return lockRow(ctx, p, p.accountId, accountId);
}

export function findPractitionerProfile(ctx: DbCtx, accountId: string): Promise<PractitionerProfile | null> {
  const p = ctx.t.practitionerProfiles;
  return findRow(ctx, p, eq(p.accountId, accountId));
}

export function listPractitionerProfiles(ctx: DbCtx, accountIds: string[]): Promise<PractitionerProfile[]> {
  const p = ctx.t.practitionerProfiles;
  return ctx.db.select().from(p).where(inArray(p.accountId, accountIds));
}

/** Creates the practitioner's profile or replaces its fields. */
export async function upsertPractitionerProfile(
  ctx: DbCtx,
  accountId: string,
  fields: Omit<PractitionerProfile, 'accountId'>,
): Promise<void> {
  const p = ctx.t.practitionerProfiles;
  await upsertRow(ctx, p, { accountId, ...fields }, p.accountId, fields);
}

/** Whether the practitioner offers the service. */
export function hasPractitionerService(
  ctx: DbCtx,
  practitionerId: string,
  serviceId: string,
): Promise<boolean> {
  const ps = ctx.t.practitionerServices;
  return hasRow(ctx, ps, and(eq(ps.practitionerId, practitionerId), eq(ps.serviceId, serviceId)));
}

/** Which services the practitioners offer. */
export function listPractitionerServices(
  ctx: DbCtx,
  practitionerIds: string[],
): Promise<PractitionerServiceLink[]> {
  const ps = ctx.t.practitionerServices;
  return ctx.db.select().from(ps).where(inArray(ps.practitionerId, practitionerIds));
}

/** Replaces the services the practitioner offers. */
export async function replacePractitionerServices(
  ctx: DbCtx,
  practitionerId: string,
  serviceIds: string[],
): Promise<void> {
  const ps = ctx.t.practitionerServices;
  await deleteWhere(ctx, ps, eq(ps.practitionerId, practitionerId));
  if (serviceIds.length) {
    await ctx.db.insert(ps).values(serviceIds.map((serviceId) => ({ practitionerId, serviceId })));
  }
}

/**
 * The practitioners with a profile bookable online who offer the service (only `practitionerId`,
 * when given).
 */
export async function listOnlinePractitionersOffering(
  ctx: DbCtx,
  serviceId: string,
  practitionerId?: string,
): Promise<string[]> {
  const { practitionerServices: ps, practitionerProfiles: p } = ctx.t;
  const rows = await ctx.db
    .select({ id: ps.practitionerId })
    .from(ps)
    .innerJoin(p, eq(p.accountId, ps.practitionerId))
    .where(
      and(
        eq(ps.serviceId, serviceId),
        eq(p.bookableOnline, true),
        practitionerId ? inArray(ps.practitionerId, [practitionerId]) : undefined,
      ),
    );
  return rows.map((r) => r.id);
}
