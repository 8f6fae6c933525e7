import { and, asc, desc, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';
import { countWhere, deleteWhere, findRow, insertRow, rowsWhereIn, updateRow } from '../../db/rows.ts';
import { type FormStatus, openStatuses } from './forms.schema.ts';

/** Every query of the forms area's tables (patient_forms, service_forms); no other file names them. */
type Tables = typeof import('../../db/schema/sqlite.ts');
export type FormRow = Tables['patientForms']['$inferSelect'];
export type NewFormRow = Tables['patientForms']['$inferInsert'];
export type FormRowChanges = Partial<Omit<NewFormRow, 'id' | 'patientId' | 'templateId' | 'templateVersion'>>;

export function insertForm(ctx: DbCtx, values: NewFormRow): Promise<FormRow> {
  return insertRow(ctx, ctx.t.patientForms, values);
}

export function findFormById(ctx: DbCtx, id: string): Promise<FormRow | null> {
  return findRow(ctx, ctx.t.patientForms, eq(ctx.t.patientForms.id, id));
}

/** The forms of these patients, newest first. */
export function listFormsOfPatients(ctx: DbCtx, patientIds: readonly string[]): Promise<FormRow[]> {
  const f = ctx.t.patientForms;
  return rowsWhereIn(ctx, f, f.patientId, patientIds, [desc(f.sentAt), asc(f.id)]);
}

/**
 * Changes a form still at `version` and in one of `statuses`, bumping its version (null when it
 * moved meanwhile: another save, a submit).
 */
export function updateFormAt(
  ctx: DbCtx,
  id: string,
  version: number,
  statuses: readonly FormStatus[],
  changes: FormRowChanges,
): Promise<FormRow | null> {
  const f = ctx.t.patientForms;
  return updateRow(ctx, f, and(eq(f.id, id), eq(f.version, version), inArray(f.status, [...statuses])), {
    ...changes,
    version: version + 1,
  });
}

/** Sets the PDF document of a submitted form, unless one is set already (null then). */
export function setFormDocument(ctx: DbCtx, id: string, documentId: string): Promise<FormRow | null> {
  const f = ctx.t.patientForms;
  return updateRow(ctx, f, and(eq(f.id, id), isNull(f.documentId)), { documentId });
}

/** Marks a submitted form reviewed (null when it is not submitted: reviewed already, or still open). */
export function markFormReviewed(ctx: DbCtx, id: string, by: string, at: Date): Promise<FormRow | null> {
  const f = ctx.t.patientForms;
  return updateRow(ctx, f, and(eq(f.id, id), eq(f.status, 'submitted')), {
    status: 'reviewed',
    reviewedAt: at,
    reviewedBy: by,
  });
}

/** Submitted forms waiting for review, oldest first. */
export function listSubmittedForms(ctx: DbCtx, limit: number): Promise<FormRow[]> {
  const f = ctx.t.patientForms;
  return ctx.db
    .select()
    .from(f)
    .where(eq(f.status, 'submitted'))
    .orderBy(asc(f.submittedAt), asc(f.id))
    .limit(limit);
}

/** The forms of an appointment still to fill in and not yet reminded of. */
export function listUnremindedOpenForms(ctx: DbCtx, appointmentId: string): Promise<FormRow[]> {
  const f = ctx.t.patientForms;
  return ctx.db
    .select()
    .from(f)
    .where(
      and(eq(f.appointmentId, appointmentId), inArray(f.status, [...openStatuses]), isNull(f.remindedAt)),
    )
    .orderBy(asc(f.sentAt));
}

/** Marks these forms reminded, if they were not; answers how many were. */
export async function markFormsReminded(ctx: DbCtx, ids: readonly string[], at: Date): Promise<number> {
  const f = ctx.t.patientForms;
  if (ids.length === 0) return 0;
  const rows = await ctx.db
    .update(f)
    .set({ remindedAt: at })
    .where(and(inArray(f.id, [...ids]), isNull(f.remindedAt)))
    .returning({ id: f.id });
  return rows.length;
}

/** Submitted forms whose PDF is not made yet (a job that died before storing it). */
export function listFormsWithoutPdf(ctx: DbCtx, limit: number): Promise<FormRow[]> {
  const f = ctx.t.patientForms;
  return ctx.db
    .select()
    .from(f)
    .where(and(isNotNull(f.submittedAt), isNull(f.documentId)))
    .orderBy(asc(f.submittedAt))
    .limit(limit);
}

/** How many forms of these ids are still open (the reminder's resolver re-checks at send time). */
export async function countOpenForms(ctx: DbCtx, ids: readonly string[]): Promise<number> {
  const f = ctx.t.patientForms;
  if (ids.length === 0) return 0;
  return countWhere(ctx, f, and(inArray(f.id, [...ids]), inArray(f.status, [...openStatuses])));
}

/** How many forms of an appointment are still to fill in. */
export async function countOpenFormsOfAppointment(ctx: DbCtx, appointmentId: string): Promise<number> {
  const f = ctx.t.patientForms;
  return countWhere(ctx, f, and(eq(f.appointmentId, appointmentId), inArray(f.status, [...openStatuses])));
}

// ------------------------------------------------------------------- service_forms

/** The form templates a service sends with each booking. */
export async function listServiceFormIds(ctx: DbCtx, serviceId: string): Promise<string[]> {
  const s = ctx.t.serviceForms;
  const rows = await ctx.db
    .select({ templateId: s.templateId })
    .from(s)
    .where(eq(s.serviceId, serviceId))
    .orderBy(asc(s.createdAt), asc(s.templateId));
  return rows.map((r) => r.templateId);
}

/** Replaces the form templates a service sends. */
export async function replaceServiceForms(
  ctx: DbCtx,
  serviceId: string,
  templateIds: readonly string[],
  at: Date,
): Promise<void> {
  const s = ctx.t.serviceForms;
  await deleteWhere(ctx, s, eq(s.serviceId, serviceId));
  for (const [i, templateId] of templateIds.entries()) {
    // Spread by a millisecond each, so they keep the order chosen.
    await ctx.db.insert(s).values({ serviceId, templateId, createdAt: new Date(at.getTime() + i) });
  }
}
