import type { TemplateField } from './chart.schema.ts';

type Of<T extends TemplateField['type']> = Extract<TemplateField, { type: T }>;
type Extra = { required?: boolean; help?: string };

/** Choices whose value is their label in lower case, hyphenated ('Post-operative' → 'post-operative'). */
export const choices = (...labels: string[]) =>
  labels.map((label) => ({
    value: label
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/-$/, ''),
    label,
  }));

/** A field answered with one of `options` (`single-choice`) or any of them (`multiple-choice`). */
export function choiceField<T extends 'single-choice' | 'multiple-choice'>(
  type: T,
  id: string,
  label: string,
  options: { value: string; label: string }[],
  extra: Extra = {},
): Of<T> {
  return { id, type, label, options, ...extra } as Of<T>;
}

/** A table field: rows of cells, its columns given as id → label, in order. */
export function tableField(
  id: string,
  label: string,
  columns: Record<string, string>,
  extra: Extra = {},
): Of<'table'> {
  return {
    id,
    type: 'table',
    label,
    columns: Object.entries(columns).map(([id, label]) => ({ id, label })),
    ...extra,
  };
}
