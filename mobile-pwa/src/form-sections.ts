import { isEmptyAnswer } from './form-drafts.ts';
import type { Answers, TemplateField } from './forms-api.ts';

/**
 * A form shown a section at a time: a heading field starts a section (its label is the section's
 * title, its help the text to read first); fields before the first heading make a section of their
 * own. Signature fields are not asked in the sections: the form is signed when it is sent.
 */
export interface FormSection {
  /** The heading's label; null for the fields before the first heading. */
  title: string | null;
  help: string | null;
  fields: TemplateField[];
}

export function sectionsOf(fields: readonly TemplateField[]): FormSection[] {
  const sections: FormSection[] = [];
  let current: FormSection = { title: null, help: null, fields: [] };
  for (const field of fields) {
    if (field.type === 'heading') {
      sections.push(current);
      current = { title: field.label, help: field.help ?? null, fields: [] };
    } else if (field.type !== 'signature') {
      current.fields.push(field);
    }
  }
  sections.push(current);
  return sections.filter((s) => s.fields.length > 0 || s.help);
}

/**
 * Where a form opened again resumes: the section of the first question after the last one
 * answered (the sign step when none is left); the first section when nothing is answered.
 */
export function resumeStep(sections: readonly FormSection[], answers: Answers): number {
  const asked = sections.flatMap((s, step) => s.fields.map((f) => ({ id: f.id, step })));
  let last = -1;
  asked.forEach((q, i) => {
    if (!isEmptyAnswer(answers[q.id])) last = i;
  });
  if (last < 0) return 0;
  return asked[last + 1]?.step ?? sections.length;
}

/** The section's required questions with no answer. */
export function unanswered(section: FormSection, answers: Answers): TemplateField[] {
  return section.fields.filter((f) => 'required' in f && f.required && isEmptyAnswer(answers[f.id]));
}

/** The step of a field's section (the first one when it is not asked in a section). */
export function stepOf(sections: readonly FormSection[], fieldId: string): number {
  const i = sections.findIndex((s) => s.fields.some((f) => f.id === fieldId));
  return Math.max(0, i);
}

/**
 * A number as typed on a phone ("72,5" in French): the number, or null when the text is not one.
 * Empty text is `undefined` (no answer).
 */
export function parseNumber(text: string): number | null | undefined {
  const t = text.trim().replace(',', '.');
  if (t === '') return undefined;
  if (!/^-?\d+(\.\d+)?$/.test(t)) return null;
  return Number(t);
}

/** Vitals as the server takes them: whole numbers for blood pressure and pulse. */
export const vitalsParts = [
  { key: 'systolic', min: 40, max: 300, whole: true, part: 'bloodPressure' },
  { key: 'diastolic', min: 20, max: 200, whole: true, part: 'bloodPressure' },
  { key: 'pulse', min: 20, max: 300, whole: true, part: 'pulse' },
  { key: 'weightKg', min: 0.5, max: 500, whole: false, part: 'weight' },
  { key: 'heightCm', min: 20, max: 300, whole: false, part: 'height' },
] as const;
export type VitalsKey = (typeof vitalsParts)[number]['key'];

/** The numbers a vitals question asks for: the field's `parts` (all when it names none). */
export const vitalsPartsOf = (field: object) => {
  const parts = 'parts' in field && Array.isArray(field.parts) ? (field.parts as string[]) : null;
  return vitalsParts.filter((v) => !parts || parts.includes(v.part));
};

/** BMI (kg/m², one decimal) from weight and height, as the server computes it. */
export function bmiOf(v: { weightKg?: unknown; heightCm?: unknown }): number | null {
  if (typeof v.weightKg !== 'number' || typeof v.heightCm !== 'number' || v.heightCm <= 0) return null;
  return Math.round((v.weightKg / (v.heightCm / 100) ** 2) * 10) / 10;
}
