import { and, eq } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';
import type { Channel } from './messages.ts';

/*
 * Reads and writes of OTHER areas' tables (patients, patient_guardians, staff_accounts,
 * settings) that the notifications area still makes itself, gathered here unchanged so they are
 * in one place. They are to be replaced by the patients, accounts and clinic areas' own lookups
 * (through their index.ts) once those exist; nothing else in this area names those tables.
 */

export type PatientRow = typeof import('../../db/schema/sqlite.ts').patients.$inferSelect;

/** A patient's row (their consents, addresses, language and quiet hours), or null. */
export async function findPatientRow(ctx: DbCtx, patientId: string): Promise<PatientRow | null> {
  const p = ctx.t.patients;
  const [row] = await ctx.db.select().from(p).where(eq(p.id, patientId));
  return row ?? null;
}

/** A patient's preferred language as stored ('fr-CA'), or null. */
export async function findPatientLanguage(ctx: DbCtx, patientId: string): Promise<string | null> {
  const p = ctx.t.patients;
  const [row] = await ctx.db.select({ lang: p.preferredLanguage }).from(p).where(eq(p.id, patientId));
  return row?.lang ?? null;
}

/** The active guardians of a dependant, in a stable order. */
export async function listActiveGuardians(ctx: DbCtx, dependentId: string): Promise<PatientRow[]> {
  const g = ctx.t.patientGuardians;
  const p = ctx.t.patients;
  const rows = await ctx.db
    .select({ guardian: p })
    .from(g)
    .innerJoin(p, eq(p.id, g.guardianId))
    .where(and(eq(g.dependentId, dependentId), eq(p.status, 'active')))
    .orderBy(g.createdAt, g.guardianId);
  return rows.map((r) => r.guardian);
}

/** Whether `guardianId` is (still) a guardian of `dependentId`. */
export async function isGuardianOf(ctx: DbCtx, guardianId: string, dependentId: string): Promise<boolean> {
  const g = ctx.t.patientGuardians;
  const [link] = await ctx.db
    .select({ id: g.guardianId })
    .from(g)
    .where(and(eq(g.guardianId, guardianId), eq(g.dependentId, dependentId)));
  return Boolean(link);
}

const consentColumns = { email: 'messagesByEmail', sms: 'messagesBySms', push: 'messagesByPush' } as const;

/** Turns the patient's consent to messages on `channel` off (an unsubscribe link). */
export async function turnPatientChannelOff(
  ctx: DbCtx,
  patientId: string,
  channel: Channel,
  now: Date,
): Promise<void> {
  const p = ctx.t.patients;
  await ctx.db
    .update(p)
    .set({ [consentColumns[channel]]: false, updatedAt: now })
    .where(eq(p.id, patientId));
}

/** A staff member's address and booking-alert choice, as alerts need them; null when unknown. */
export async function findStaffAlertContact(ctx: DbCtx, staffId: string) {
  const s = ctx.t.staffAccounts;
  const [row] = await ctx.db
    .select({ email: s.email, alerts: s.bookingAlerts, status: s.status })
    .from(s)
    .where(eq(s.id, staffId));
  return row ?? null;
}

/** Saves a staff member's booking-alert choice. */
export async function setStaffBookingAlerts(
  ctx: DbCtx,
  staffId: string,
  bookingAlerts: 'email' | 'none',
  now: Date,
): Promise<void> {
  const s = ctx.t.staffAccounts;
  await ctx.db.update(s).set({ bookingAlerts, updatedAt: now }).where(eq(s.id, staffId));
}

/** A value kept in the clinic's settings table, or undefined. */
export async function findSettingValue<T>(ctx: DbCtx, key: string): Promise<T | undefined> {
  const { settings } = ctx.t;
  return (await ctx.db.select().from(settings).where(eq(settings.key, key)))[0]?.value as T | undefined;
}

/** Stores a value in the settings table unless the key has one already. */
export async function insertSettingIfMissing(
  ctx: DbCtx,
  key: string,
  value: unknown,
  now: Date,
): Promise<void> {
  await ctx.db.insert(ctx.t.settings).values({ key, value, updatedAt: now }).onConflictDoNothing();
}
