import type { Answers } from './answers.ts';
import type { TemplateField } from './chart.schema.ts';

/**
 * What the notes' full-text index holds and how a search is read. The index holds words only: the
 * text answers, the labels of the choices made, table cells, a signer's name, and the addenda —
 * accents and case folded, so "Élodie" is found by "elodie". Numbers, dates and yes/no are left
 * out (they are not what one searches notes for, and a bare "12" would match half the chart).
 */

/** Lowercase, without accents (NFKD, marks dropped): both the index and the query are folded alike. */
export const folded = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();

/** The words of one answer, by its field's type. */
function answerText(field: TemplateField, value: unknown): string[] {
  if (value === null || value === undefined) return [];
  switch (field.type) {
    case 'short-text':
    case 'long-text':
      return typeof value === 'string' ? [value] : [];
    case 'single-choice':
    case 'multiple-choice': {
      const chosen = Array.isArray(value) ? value : [value];
      return field.options.filter((o) => chosen.includes(o.value)).map((o) => o.label);
    }
    case 'table':
      return Array.isArray(value)
        ? value.flatMap((row) =>
            row && typeof row === 'object' ? Object.values(row).filter((v) => typeof v === 'string') : [],
          )
        : [];
    case 'signature':
      return typeof value === 'object' && typeof (value as { name?: unknown }).name === 'string'
        ? [(value as { name: string }).name]
        : [];
    default:
      return [];
  }
}

/** A note's searchable text: its answers' words (in the template's order), then its addenda. */
export function searchText(
  fields: readonly TemplateField[],
  answers: Answers,
  addenda: string[] = [],
): string {
  const parts = fields.flatMap((f) => answerText(f, answers[f.id]));
  return folded([...parts, ...addenda].join('\n'));
}

/** At most this many words of a query are used. */
const maxTerms = 8;

/**
 * A query's words (letters and digits, folded), each matched as a word's beginning ("knee" finds
 * "knees"); every word must be there. Empty when the query has none.
 */
export function searchTerms(query: string): string[] {
  return [...new Set(folded(query).match(/[\p{L}\p{N}]+/gu) ?? [])].slice(0, maxTerms);
}
