import { and, asc, desc, eq, inArray, lt, ne, sql } from 'drizzle-orm';
import { type DbCtx, execute, queryRows } from '../../db/client.ts';
import { lockRow } from '../../db/locks.ts';
import { countWhere, findRow, firstRow, hasRow, insertRow, rowsWhereIn, updateRow } from '../../db/rows.ts';

/** Every query of the chart area's tables (templates, template_versions, notes, note_addenda). */
type Tables = typeof import('../../db/schema/sqlite.ts');
export type TemplateRow = Tables['templates']['$inferSelect'];
export type TemplateVersionRow = Tables['templateVersions']['$inferSelect'];
export type NoteRow = Tables['notes']['$inferSelect'];
export type NewNoteRow = Tables['notes']['$inferInsert'];
export type AddendumRow = Tables['noteAddenda']['$inferSelect'];

/** A template with one of its versions (the latest unless asked otherwise). */
export interface TemplateWithVersion {
  template: TemplateRow;
  version: TemplateVersionRow;
}

// ------------------------------------------------------------------- templates

export function findTemplate(ctx: DbCtx, id: string): Promise<TemplateRow | null> {
  return findRow(ctx, ctx.t.templates, eq(ctx.t.templates.id, id));
}

export function findTemplateVersion(
  ctx: DbCtx,
  templateId: string,
  version: number,
): Promise<TemplateVersionRow | null> {
  const v = ctx.t.templateVersions;
  return findRow(ctx, v, and(eq(v.templateId, templateId), eq(v.version, version)));
}

/** Every template at its latest version, of `kind` when given, by name. */
export async function listLatestTemplates(ctx: DbCtx, kind?: string): Promise<TemplateWithVersion[]> {
  const { templates: t, templateVersions: v } = ctx.t;
  const rows = await ctx.db
    .select({ template: t, version: v })
    .from(t)
    .innerJoin(v, and(eq(v.templateId, t.id), eq(v.version, t.latestVersion)))
    .where(kind ? eq(t.kind, kind) : undefined)
    .orderBy(asc(v.name), asc(t.id));
  return rows;
}

/** Every version of a template, oldest first. */
export function listTemplateVersions(ctx: DbCtx, templateId: string): Promise<TemplateVersionRow[]> {
  const v = ctx.t.templateVersions;
  return ctx.db.select().from(v).where(eq(v.templateId, templateId)).orderBy(asc(v.version));
}

export function insertTemplate(ctx: DbCtx, values: TemplateRow): Promise<TemplateRow> {
  return insertRow(ctx, ctx.t.templates, values);
}

/** A starter's template row, unless one with its key exists (then null: another start made it). */
export function insertStarterTemplate(ctx: DbCtx, values: TemplateRow): Promise<TemplateRow | null> {
  const t = ctx.t.templates;
  return firstRow(ctx.db.insert(t).values(values).onConflictDoNothing().returning());
}

export function insertTemplateVersion(ctx: DbCtx, values: TemplateVersionRow): Promise<TemplateVersionRow> {
  return insertRow(ctx, ctx.t.templateVersions, values);
}

/** Moves a template to `version` if it is still at `from` (else null: someone else moved it). */
export function advanceTemplate(
  ctx: DbCtx,
  id: string,
  from: number,
  version: number,
  at: Date,
): Promise<TemplateRow | null> {
  const t = ctx.t.templates;
  return updateRow(ctx, t, and(eq(t.id, id), eq(t.latestVersion, from)), {
    latestVersion: version,
    updatedAt: at,
  });
}

// ------------------------------------------------------------------- notes

export function insertNote(ctx: DbCtx, values: NewNoteRow): Promise<NoteRow> {
  return insertRow(ctx, ctx.t.notes, values);
}

export function findNote(ctx: DbCtx, id: string): Promise<NoteRow | null> {
  return findRow(ctx, ctx.t.notes, eq(ctx.t.notes.id, id));
}

/** The note, locked for the rest of the transaction (saves of it wait), or null. */
export async function findNoteLocked(ctx: DbCtx, id: string): Promise<NoteRow | null> {
  if (!(await lockRow(ctx, ctx.t.notes, ctx.t.notes.id, id))) return null;
  return findNote(ctx, id);
}

/**
 * Changes a draft if it is still a draft at `version`, moving it to the next version (one
 * statement: of two changes of the same version only one passes — a save, or the signing with
 * `status: 'signed'`); answers the changed row, or null when it was not.
 */
export function updateDraft(
  ctx: DbCtx,
  id: string,
  version: number,
  changes: Partial<Pick<NoteRow, 'answers' | 'status' | 'signedAt' | 'signedBy' | 'contentHash'>> & {
    updatedAt: Date;
  },
): Promise<NoteRow | null> {
  const n = ctx.t.notes;
  return updateRow(ctx, n, and(eq(n.id, id), eq(n.status, 'draft'), eq(n.version, version)), {
    ...changes,
    version: version + 1,
  });
}

/** Notes, each with the name of the template version it was written with (to filter and order). */
function notesWithTemplateName(ctx: DbCtx) {
  const { notes: n, templateVersions: v } = ctx.t;
  return ctx.db
    .select({ note: n, templateName: v.name })
    .from(n)
    .innerJoin(v, and(eq(v.templateId, n.templateId), eq(v.version, n.templateVersion)));
}

/** A patient's notes, newest first, with their template version's name. */
export function listPatientNotes(
  ctx: DbCtx,
  patientId: string,
): Promise<{ note: NoteRow; templateName: string }[]> {
  const n = ctx.t.notes;
  return notesWithTemplateName(ctx).where(eq(n.patientId, patientId)).orderBy(desc(n.createdAt), desc(n.id));
}

/** How many notes a patient has (what the front desk may know). */
export async function countPatientNotes(ctx: DbCtx, patientId: string): Promise<number> {
  const n = ctx.t.notes;
  return countWhere(ctx, n, eq(n.patientId, patientId));
}

/** An author's notes of `status` (created before `before` when given), oldest first. */
export function listAuthorNotes(
  ctx: DbCtx,
  authorId: string,
  status: string | undefined,
  before?: Date,
): Promise<{ note: NoteRow; templateName: string }[]> {
  const n = ctx.t.notes;
  return notesWithTemplateName(ctx)
    .where(
      and(
        eq(n.authorId, authorId),
        status ? eq(n.status, status) : undefined,
        before ? lt(n.createdAt, before) : undefined,
      ),
    )
    .orderBy(asc(n.createdAt), asc(n.id))
    .limit(500);
}

// ------------------------------------------------------------------- addenda

export function insertAddendum(ctx: DbCtx, values: AddendumRow): Promise<AddendumRow> {
  return insertRow(ctx, ctx.t.noteAddenda, values);
}

export function listAddenda(ctx: DbCtx, noteId: string): Promise<AddendumRow[]> {
  const a = ctx.t.noteAddenda;
  return ctx.db.select().from(a).where(eq(a.noteId, noteId)).orderBy(asc(a.createdAt), asc(a.id));
}

// ------------------------------------------------------------------- finding notes

/** The newest note written for an appointment (the one "Open note" opens), or null. */
export function findAppointmentNote(ctx: DbCtx, appointmentId: string): Promise<NoteRow | null> {
  const n = ctx.t.notes;
  return firstRow(
    ctx.db.select().from(n).where(eq(n.appointmentId, appointmentId)).orderBy(desc(n.createdAt)).limit(1),
  );
}

/**
 * A patient's last signed note (by signing time), other than `exceptId`; of `templateId` when
 * given (what "copy forward" copies from), with its template version's name.
 */
export function findLastSigned(
  ctx: DbCtx,
  patientId: string,
  exceptId: string,
  templateId?: string,
): Promise<{ note: NoteRow; templateName: string } | null> {
  const n = ctx.t.notes;
  return firstRow(
    notesWithTemplateName(ctx)
      .where(
        and(
          eq(n.patientId, patientId),
          eq(n.status, 'signed'),
          ne(n.id, exceptId),
          templateId ? eq(n.templateId, templateId) : undefined,
        ),
      )
      .orderBy(desc(n.signedAt), desc(n.id))
      .limit(1),
  );
}

/** Whether the member wrote any note of the patient's. */
export function hasAuthoredNoteOf(ctx: DbCtx, authorId: string, patientId: string): Promise<boolean> {
  const n = ctx.t.notes;
  return hasRow(ctx, n, and(eq(n.patientId, patientId), eq(n.authorId, authorId)));
}

// ------------------------------------------------------------------- full-text search

/**
 * Writes a note's searchable text (search-text.ts: folded words) into the full-text index,
 * replacing what it held: on SQLite an FTS5 table, on PostgreSQL a tsvector ('simple') — both
 * made by migration 0021, outside drizzle's schema.
 */
export async function indexNoteText(
  ctx: DbCtx,
  noteId: string,
  patientId: string,
  text: string,
): Promise<void> {
  if (ctx.dialect === 'sqlite') {
    await execute(ctx, sql`delete from note_search where note_search match ${idPhrase('note_id', noteId)}`);
    await execute(
      ctx,
      sql`insert into note_search (note_id, patient_id, body) values (${noteId}, ${patientId}, ${text})`,
    );
    return;
  }
  await execute(
    ctx,
    sql`insert into note_search (note_id, patient_id, body) values (${noteId}, ${patientId}, to_tsvector('simple', ${text}))
        on conflict (note_id) do update set patient_id = excluded.patient_id, body = excluded.body`,
  );
}

/** An FTS5 query for an id in one column (ids hold only letters, digits and dashes; quotes doubled anyway). */
const idPhrase = (column: string, id: string) => `${column}:"${id.replaceAll('"', '""')}"`;

/**
 * The ids of a patient's notes holding every term (each as a word's beginning): a subquery for
 * `listPatientNotes`' filter. Terms are letters and digits only (search-text.ts `searchTerms`).
 */
function matchingNoteIds(ctx: DbCtx, patientId: string, terms: string[]) {
  if (ctx.dialect === 'sqlite') {
    const match = `${idPhrase('patient_id', patientId)} AND body:(${terms.map((t) => `"${t}"*`).join(' AND ')})`;
    return sql`(select note_id from note_search where note_search match ${match})`;
  }
  // The patient's rows first (a few hundred at most, by its index), then the words: the planner
  // would otherwise take a common word's long GIN list for all 100,000 notes and filter it.
  const query = terms.map((t) => `${t}:*`).join(' & ');
  return sql`(with mine as materialized (select note_id, body from note_search where patient_id = ${patientId}) select note_id from mine where body @@ to_tsquery('simple', ${query}))`;
}

/** A patient's notes matching the search terms, newest first, with their template version's name. */
export function searchPatientNotes(
  ctx: DbCtx,
  patientId: string,
  terms: string[],
): Promise<{ note: NoteRow; templateName: string }[]> {
  const n = ctx.t.notes;
  return notesWithTemplateName(ctx)
    .where(and(eq(n.patientId, patientId), inArray(n.id, matchingNoteIds(ctx, patientId, terms))))
    .orderBy(desc(n.createdAt), desc(n.id))
    .limit(200);
}

/** Up to `limit` notes the full-text index lacks (written before it existed), to index at start. */
export async function notesMissingFromIndex(ctx: DbCtx, limit: number): Promise<NoteRow[]> {
  const rows = await queryRows<{ id: string }>(
    ctx,
    sql`select id from notes where id not in (select note_id from note_search) limit ${limit}`,
  );
  const n = ctx.t.notes;
  const ids = rows.map((r) => r.id);
  return rowsWhereIn(ctx, n, n.id, ids, []);
}
