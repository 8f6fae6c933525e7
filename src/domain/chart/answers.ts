import { z } from 'zod';
import { type FieldIssue, fieldIssue, validationFailed } from '../../lib/errors.ts';
import type { TemplateField } from './chart.schema.ts';

/**
 * Answers to a template version: one zod schema per field type checks each answer, so a bad one is
 * refused with an issue naming its field (`answers.<fieldId>`) and nothing is saved. Messages never
 * repeat what was written (note text stays out of errors and logs). Vitals' BMI is computed here,
 * from weight and height, whatever the client sent.
 */
export type Answers = Record<string, unknown>;

const text = (max: number) => z.string({ error: 'Text expected.' }).max(max, `At most ${max} characters.`);
const optionalInt = (min: number, max: number, what: string) =>
  z
    .int({ error: `${what}: a whole number.` })
    .min(min, `${what}: at least ${min}.`)
    .max(max, `${what}: at most ${max}.`)
    .optional();
const optionalNumber = (min: number, max: number, what: string) =>
  z
    .number({ error: `${what}: a number.` })
    .min(min, `${what}: at least ${min}.`)
    .max(max, `${what}: at most ${max}.`)
    .optional();

/** Blood pressure (mmHg), pulse (/min), weight (kg), height (cm); BMI (kg/m², one decimal) computed. */
const vitals = z
  .strictObject(
    {
      systolic: optionalInt(40, 300, 'Systolic'),
      diastolic: optionalInt(20, 200, 'Diastolic'),
      pulse: optionalInt(20, 300, 'Pulse'),
      weightKg: optionalNumber(0.5, 500, 'Weight'),
      heightCm: optionalNumber(20, 300, 'Height'),
      /** Ignored: computed from weight and height. */
      bmi: z.unknown().optional(),
    },
    { error: 'Vitals: systolic, diastolic, pulse, weightKg, heightCm.' },
  )
  .refine(
    (v) => v.systolic === undefined || v.diastolic === undefined || v.systolic > v.diastolic,
    'Systolic must be above diastolic.',
  )
  .transform(({ bmi: _ignored, ...v }) => {
    const out: Record<string, number> = {};
    for (const [k, n] of Object.entries(v)) if (n !== undefined) out[k] = n;
    if (v.weightKg !== undefined && v.heightCm !== undefined)
      out.bmi = Math.round((v.weightKg / (v.heightCm / 100) ** 2) * 10) / 10;
    return out;
  });

/** A signature: the signer's typed name, and the drawn one as a PNG data URL (optional). */
const signature = z.strictObject(
  {
    name: z.string().trim().min(1, 'Type the signer’s name.').max(200, 'At most 200 characters.'),
    image: z
      .string()
      .max(400_000, 'The drawing is too large.')
      .regex(/^data:image\/png;base64,[A-Za-z0-9+/=]+$/, 'A drawn signature as a PNG.')
      .optional(),
  },
  { error: 'A signature: name (and image).' },
);

/** The schema of one field's answer; null for a heading (it takes none). */
export function answerSchema(field: TemplateField): z.ZodType | null {
  switch (field.type) {
    case 'heading':
      return null;
    case 'short-text':
      return text(500);
    case 'long-text':
      return text(20_000);
    case 'number': {
      let n = z.number({ error: 'A number.' });
      if (field.min !== undefined) n = n.min(field.min, `At least ${field.min}.`);
      if (field.max !== undefined) n = n.max(field.max, `At most ${field.max}.`);
      return n;
    }
    case 'single-choice':
      return z.enum(
        field.options.map((o) => o.value),
        { error: 'One of the choices.' },
      );
    case 'multiple-choice': {
      const values = field.options.map((o) => o.value);
      return z
        .array(z.enum(values, { error: 'One of the choices.' }), { error: 'A list of choices.' })
        .refine((list) => new Set(list).size === list.length, 'Each choice once.');
    }
    case 'date':
      return z.iso.date({ error: 'A date as YYYY-MM-DD.' });
    case 'yes-no':
      return z.boolean({ error: 'Yes or no (true or false).' });
    case 'scale':
      return z
        .int({ error: 'A whole number from 0 to 10.' })
        .min(0, 'From 0 to 10.')
        .max(10, 'From 0 to 10.');
    case 'vitals':
      return vitals;
    case 'table': {
      const row = z.strictObject(
        Object.fromEntries(field.columns.map((c) => [c.id, text(1000).optional()])),
        { error: 'A row: the columns’ ids and their text.' },
      );
      return z.array(row, { error: 'A list of rows.' }).max(100, 'At most 100 rows.');
    }
    case 'signature':
      return signature;
  }
}

/**
 * `changes` checked against `fields` and merged over `saved` (null clears a field), in the
 * template's field order. Throws validation_failed naming every bad field; nothing is returned then.
 */
export function mergeAnswers(fields: readonly TemplateField[], saved: Answers, changes: Answers): Answers {
  const issues: FieldIssue[] = [];
  const byId = new Map(fields.map((f) => [f.id, f]));
  const next: Answers = { ...saved };
  for (const [id, value] of Object.entries(changes)) {
    const field = byId.get(id);
    const schema = field ? answerSchema(field) : null;
    if (!field || !schema) {
      issues.push(
        fieldIssue(`answers.${id}`, field ? 'A heading takes no answer.' : 'Not a field of this template.'),
      );
      continue;
    }
    if (value === null) {
      delete next[id];
      continue;
    }
    const result = schema.safeParse(value);
    if (!result.success) {
      const first = result.error.issues[0]!;
      const sub = first.path.length ? `.${first.path.map(String).join('.')}` : '';
      issues.push(fieldIssue(`answers.${id}${sub}`, { text: `${field.label}: ${first.message}` }));
      continue;
    }
    next[id] = result.data;
  }
  if (issues.length) throw validationFailed(issues);
  const ordered: Answers = {};
  for (const f of fields) if (next[f.id] !== undefined) ordered[f.id] = next[f.id];
  return ordered;
}

/** Whether an answer says something (empty text, lists and objects do not). */
export function isAnswered(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/** The required fields left unanswered, as issues (signing or submitting refuses them). */
export function missingRequired(fields: readonly TemplateField[], answers: Answers): FieldIssue[] {
  return fields
    .filter((f) => f.type !== 'heading' && f.required && !isAnswered(answers[f.id]))
    .map((f) => fieldIssue(`answers.${f.id}`, { text: `${f.label}: required.` }));
}
