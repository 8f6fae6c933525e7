import type { DraftField, TemplateDraft } from '../../../../views/pages/staff/settings/templates.tsx';
import {
  type FieldType,
  fieldTypes,
  type TemplateField,
  type TemplateKind,
  templateField,
  vitalsPartNames,
} from '../../../domain/chart/index.ts';
import type { FormFields } from '../../kit/form.ts';

/** A builder action besides saving: add a field of a type, move one up or down, remove one. */
export type BuilderAction =
  | { kind: 'add'; type: FieldType }
  | { kind: 'up' | 'down' | 'remove'; index: number }
  | { kind: 'save' }
  | { kind: 'show' };

const keys = ['id', 'label', 'help', 'unit', 'min', 'max', 'lines', 'minLabel', 'maxLabel', 'known'] as const;
const withLines = new Set<FieldType>(['single-choice', 'multiple-choice', 'table']);

/** A blank row of a type. */
export const blankField = (type: FieldType): DraftField => ({
  id: '',
  type,
  label: '',
  help: '',
  required: false,
  unit: '',
  min: '',
  max: '',
  lines: '',
  minLabel: '',
  maxLabel: '',
  known: '',
  parts: [...vitalsPartNames],
});

/** The builder's rows from a saved template version's fields. */
export function draftOf(fields: readonly TemplateField[]): DraftField[] {
  return fields.map((f) => {
    const row = blankField(f.type);
    row.id = f.id;
    row.label = f.label;
    row.help = f.help ?? '';
    row.required = 'required' in f && f.required === true;
    if (f.type === 'number') {
      row.unit = f.unit ?? '';
      row.min = f.min === undefined ? '' : String(f.min);
      row.max = f.max === undefined ? '' : String(f.max);
    }
    if (f.type === 'scale') {
      row.minLabel = f.minLabel ?? '';
      row.maxLabel = f.maxLabel ?? '';
    }
    if (f.type === 'vitals' && f.parts) row.parts = [...f.parts];
    const items =
      f.type === 'single-choice' || f.type === 'multiple-choice'
        ? f.options.map((o) => ({ id: o.value, label: o.label }))
        : f.type === 'table'
          ? f.columns
          : [];
    row.lines = items.map((i) => i.label).join('\n');
    row.known = items.length ? JSON.stringify(items) : '';
    return row;
  });
}

/** Reads the posted builder: the template's name, kind, base version, rows in order, and the action. */
export function readDraft(
  form: FormFields,
  kind: TemplateKind,
): { draft: TemplateDraft; action: BuilderAction } {
  const count = Math.min(Number.parseInt(form.text('count'), 10) || 0, 200);
  const fields: DraftField[] = [];
  for (let i = 0; i < count; i++) {
    const type = form.text(`f.${i}.type`) as FieldType;
    if (!fieldTypes.includes(type)) continue;
    const row = blankField(type);
    for (const key of keys) row[key] = form.text(`f.${i}.${key}`);
    row.required = form.checked(`f.${i}.required`);
    row.parts = vitalsPartNames.filter((p) => form.list(`f.${i}.parts`).includes(p));
    fields.push(row);
  }
  const baseVersion = Number.parseInt(form.text('baseVersion'), 10) || 0;
  return { draft: { name: form.text('name'), kind, baseVersion, fields }, action: actionOf(form) };
}

/** The button pressed; none (a stray post) only shows the page again: saving is always asked for. */
function actionOf(form: FormFields): BuilderAction {
  const [verb = '', arg = ''] = form.text('action').split(':');
  if (verb === 'add') {
    const type = form.text('addType') as FieldType;
    return { kind: 'add', type: fieldTypes.includes(type) ? type : 'short-text' };
  }
  if (verb === 'up' || verb === 'down' || verb === 'remove') return { kind: verb, index: Number(arg) };
  return verb === 'save' ? { kind: 'save' } : { kind: 'show' };
}

/** The rows after an action (a copy; an index out of range changes nothing). */
export function applyAction(fields: readonly DraftField[], action: BuilderAction): DraftField[] {
  const rows = [...fields];
  if (action.kind === 'add') rows.push(blankField(action.type));
  if (action.kind === 'save' || action.kind === 'show' || action.kind === 'add') return rows;
  const i = action.index;
  if (!Number.isInteger(i) || i < 0 || i >= rows.length) return rows;
  if (action.kind === 'remove') rows.splice(i, 1);
  const j = action.kind === 'up' ? i - 1 : action.kind === 'down' ? i + 1 : -1;
  if (j >= 0 && j < rows.length) [rows[i], rows[j]] = [rows[j]!, rows[i]!];
  return rows;
}

/** An id from a label: lowercase letters and digits joined by `-`, unique among `taken`. */
export function idFrom(label: string, taken: Set<string>, fallback: string): string {
  const base =
    label
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48) || fallback;
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

const numberOrUndefined = (text: string) => {
  const t = text.trim();
  return t === '' ? undefined : Number(t);
};

/**
 * The template fields the draft describes, as the domain takes them (it validates them again): new
 * rows get ids from their labels, choices and columns keep the ids they had. Rows without a label
 * are kept, for the domain to name what is missing.
 */
export function fieldsOf(draft: readonly DraftField[]): Record<string, unknown>[] {
  const taken = new Set(draft.map((f) => f.id).filter(Boolean));
  return draft.map((row, i) => {
    const field: Record<string, unknown> = {
      type: row.type,
      id: row.id || idFrom(row.label, taken, `field-${i + 1}`),
      label: row.label.trim(),
    };
    if (row.help.trim()) field.help = row.help.trim();
    if (row.type !== 'heading' && row.required) field.required = true;
    if (row.type === 'number') {
      if (row.unit.trim()) field.unit = row.unit.trim();
      const min = numberOrUndefined(row.min);
      const max = numberOrUndefined(row.max);
      if (min !== undefined) field.min = min;
      if (max !== undefined) field.max = max;
    }
    if (row.type === 'scale') {
      if (row.minLabel.trim()) field.minLabel = row.minLabel.trim();
      if (row.maxLabel.trim()) field.maxLabel = row.maxLabel.trim();
    }
    if (row.type === 'vitals' && row.parts.length < vitalsPartNames.length) field.parts = row.parts;
    if (withLines.has(row.type)) {
      const items = itemsOf(row);
      if (row.type === 'table') field.columns = items;
      else field.options = items.map((o) => ({ value: o.id, label: o.label }));
    }
    return field;
  });
}

/** A row's choices or columns: one per non-empty line, each keeping the id it had under its label. */
function itemsOf(row: DraftField): { id: string; label: string }[] {
  const known = new Map<string, string>();
  try {
    for (const k of JSON.parse(row.known || '[]') as { id: string; label: string }[])
      known.set(k.label, k.id);
  } catch {
    // A tampered `known` only loses the kept ids: new ones are made from the labels.
  }
  const labels = row.lines
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const taken = new Set(labels.map((l) => known.get(l)).filter((id): id is string => id !== undefined));
  return labels.map((label, i) => ({ id: known.get(label) ?? idFrom(label, taken, `item-${i + 1}`), label }));
}

/** The fields of the draft that are complete, for the preview; the others by index with what is missing. */
export function previewOf(draft: readonly DraftField[]): { fields: TemplateField[]; incomplete: number[] } {
  const fields: TemplateField[] = [];
  const incomplete: number[] = [];
  fieldsOf(draft).forEach((f, i) => {
    const parsed = templateField.safeParse(f);
    if (parsed.success) fields.push(parsed.data);
    else incomplete.push(i);
  });
  return { fields, incomplete };
}
