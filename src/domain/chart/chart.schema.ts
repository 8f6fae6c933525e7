import { z } from 'zod';

/**
 * The template model shared by treatment notes and patients' forms (issue 17): a template version
 * is a list of fields, each with a stable id (kept across versions, so answers compare), a type,
 * a label, optional help and `required` (checked when a note is signed or a form submitted).
 */

export const templateKinds = ['note', 'form'] as const;
export type TemplateKind = (typeof templateKinds)[number];

export const fieldTypes = [
  'heading',
  'short-text',
  'long-text',
  'number',
  'single-choice',
  'multiple-choice',
  'date',
  'yes-no',
  'scale',
  'vitals',
  'table',
  'signature',
] as const;
export type FieldType = (typeof fieldTypes)[number];

/** The measurements a vitals field may ask for; blood pressure is two numbers (systolic, diastolic). */
export const vitalsPartNames = ['bloodPressure', 'pulse', 'weight', 'height'] as const;
export type VitalsPartName = (typeof vitalsPartNames)[number];

const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'An id of lowercase letters, digits, - and _ (at most 64).');
const label = z.string().trim().min(1, 'Give it a label.').max(200, 'At most 200 characters.');
const base = {
  id: slug,
  label,
  help: z.string().trim().max(500, 'At most 500 characters.').optional(),
  required: z.boolean().optional(),
};
const option = z.strictObject({ value: slug, label });
const options = z
  .array(option)
  .min(1, 'Give at least one choice.')
  .max(100, 'At most 100 choices.')
  .refine(
    (list) => new Set(list.map((o) => o.value)).size === list.length,
    'Each choice needs its own value.',
  );

/** One field of a template, by type. */
export const templateField = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('heading'), id: slug, label, help: base.help }),
  z.strictObject({ type: z.literal('short-text'), ...base }),
  z.strictObject({ type: z.literal('long-text'), ...base }),
  z.strictObject({
    type: z.literal('number'),
    ...base,
    unit: z.string().trim().max(20).optional(),
    min: z.number().optional(),
    max: z.number().optional(),
  }),
  z.strictObject({ type: z.literal('single-choice'), ...base, options }),
  z.strictObject({ type: z.literal('multiple-choice'), ...base, options }),
  z.strictObject({ type: z.literal('date'), ...base }),
  z.strictObject({ type: z.literal('yes-no'), ...base }),
  z.strictObject({
    type: z.literal('scale'),
    ...base,
    minLabel: z.string().trim().max(60).optional(),
    maxLabel: z.string().trim().max(60).optional(),
  }),
  z.strictObject({
    type: z.literal('vitals'),
    ...base,
    /** Which measurements it asks for (default: all): "Height and weight" on an intake form. */
    parts: z
      .array(z.enum(vitalsPartNames, { error: 'Parts: bloodPressure, pulse, weight, height.' }))
      .min(1, 'Ask for at least one measurement.')
      .refine((list) => new Set(list).size === list.length, 'Each part once.')
      .optional(),
  }),
  z.strictObject({
    type: z.literal('table'),
    ...base,
    columns: z
      .array(z.strictObject({ id: slug, label }))
      .min(1, 'Give the table at least one column.')
      .max(20, 'At most 20 columns.')
      .refine((cols) => new Set(cols.map((c) => c.id)).size === cols.length, 'Each column needs its own id.'),
  }),
  z.strictObject({ type: z.literal('signature'), ...base }),
]);
export type TemplateField = z.infer<typeof templateField>;

/** A template version's fields: 1–200, each id once. */
export const templateFields = z
  .array(templateField)
  .min(1, 'A template needs at least one field.')
  .max(200, 'At most 200 fields.')
  .superRefine((fields, ctx) => {
    const seen = new Set<string>();
    fields.forEach((f, i) => {
      if (seen.has(f.id))
        ctx.addIssue({ code: 'custom', path: [i, 'id'], message: 'Each field needs its own id.' });
      seen.add(f.id);
    });
  });

const templateName = z
  .string()
  .trim()
  .min(1, 'Give the template a name.')
  .max(120, 'At most 120 characters.');

/** A new template (admins): its name, kind and first version's fields. */
export const newTemplateInput = z.strictObject({
  name: templateName,
  kind: z.enum(templateKinds, { error: 'A kind: note or form.' }),
  fields: templateFields,
});
export type NewTemplateInput = z.input<typeof newTemplateInput>;

/** A new version of a template (admins): its fields, and its name if it changes. */
export const templateVersionInput = z.strictObject({
  name: templateName.optional(),
  fields: templateFields,
  /** The version the edit was made on: a newer one saved meanwhile refuses it (409 stale). */
  baseVersion: z.int({ error: 'The version you edited.' }).min(1).optional(),
});
export type TemplateVersionInput = z.input<typeof templateVersionInput>;

/** `?version=N` of a template read. */
export const versionQuery = z.object({ version: z.coerce.number().int().min(1).optional() });

// ------------------------------------------------------------------- notes

const answersObject = z.record(z.string(), z.unknown(), { error: 'Answers as an object keyed by field id.' });
const noteId = z.string().trim().min(1).max(64);

/** A new note: its template (the latest version is used), the appointment it belongs to, first answers. */
export const newNoteInput = z.strictObject({
  templateId: noteId,
  appointmentId: noteId.nullable().optional(),
  answers: answersObject.optional(),
});
export type NewNoteInput = z.input<typeof newNoteInput>;

/**
 * An autosave: the version read (else 409 version_conflict) and the answers that changed — merged
 * over the saved ones; `null` clears a field.
 */
export const saveDraftInput = z.strictObject({
  version: z.int({ error: 'The version of the note you changed.' }).min(1),
  answers: answersObject,
});
export type SaveDraftInput = z.input<typeof saveDraftInput>;

/** An addendum to a signed note. */
export const addendumInput = z.strictObject({
  text: z.string().trim().min(1, 'Write the addendum.').max(20_000, 'At most 20,000 characters.'),
});

/** Filters of a member's own notes (`?status=draft&mine=1`). */
export const ownNotesQuery = z.object({
  status: z.enum(['draft', 'signed']).optional().catch(undefined),
});

export const noteStatuses = ['draft', 'signed'] as const;
export type NoteStatus = (typeof noteStatuses)[number];

/** Signing: `{}`, or `{"version"}` to sign only the version the author saw. */
export const signInput = z.strictObject({
  version: z.int({ error: 'The version of the note you read.' }).min(1).optional(),
});
