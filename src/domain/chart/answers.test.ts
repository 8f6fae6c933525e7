import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/errors.ts';
import { mergeAnswers, missingRequired } from './answers.ts';
import { type TemplateField, templateFields } from './chart.schema.ts';
import { choiceField, choices, tableField } from './field-kit.ts';
import { canonicalJson } from './note-hash.ts';
import { starters } from './starters.ts';

const fields: TemplateField[] = [
  { id: 'h', type: 'heading', label: 'Section' },
  { id: 'short', type: 'short-text', label: 'Short', required: true },
  { id: 'long', type: 'long-text', label: 'Long' },
  { id: 'num', type: 'number', label: 'Range', unit: '°', min: 0, max: 180 },
  choiceField('single-choice', 'one', 'One', choices('A', 'B')),
  choiceField('multiple-choice', 'many', 'Many', choices('A', 'B')),
  { id: 'date', type: 'date', label: 'Date' },
  { id: 'yes', type: 'yes-no', label: 'Yes?' },
  { id: 'scale', type: 'scale', label: 'Pain' },
  { id: 'vitals', type: 'vitals', label: 'Vitals' },
  tableField('table', 'Table', { c1: 'C1', c2: 'C2' }),
  { id: 'sig', type: 'signature', label: 'Signature' },
];

/** The issues' paths of a refused merge (or [] when it passed). */
function refused(changes: Record<string, unknown>): string[] {
  try {
    mergeAnswers(fields, {}, changes);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return (error as AppError).issues!.map((i) => i.path);
  }
}

describe('answers to a template', () => {
  it('takes a good answer of every type, in the template’s order, computing BMI', () => {
    const good = {
      sig: { name: 'Dr P' },
      table: [{ c1: 'flexion', c2: '120' }, {}],
      vitals: { systolic: 120, diastolic: 80, weightKg: 70, heightCm: 175, bmi: 1 },
      scale: 0,
      yes: false,
      date: '2026-03-02',
      many: ['b', 'a'],
      one: 'a',
      num: 90.5,
      long: 'x'.repeat(20_000),
      short: 'ok',
    };
    const merged = mergeAnswers(fields, {}, good);
    expect(Object.keys(merged)).toEqual(fields.slice(1).map((f) => f.id));
    expect(merged.vitals).toEqual({ systolic: 120, diastolic: 80, weightKg: 70, heightCm: 175, bmi: 22.9 });
  });

  it('refuses a bad answer of every type, naming its field', () => {
    const bad: Record<string, unknown> = {
      h: 'a heading takes nothing',
      short: 'x'.repeat(501),
      long: 42,
      num: 181,
      one: 'c',
      many: ['a', 'a'],
      date: '02/03/2026',
      yes: 'yes',
      scale: 11,
      vitals: { systolic: 80, diastolic: 90 },
      table: [{ c3: 'no such column' }],
      sig: { name: '' },
      unknown: 1,
    };
    for (const [id, value] of Object.entries(bad)) {
      expect(refused({ [id]: value })[0], id).toMatch(new RegExp(`^answers\\.${id}`));
    }
    expect(refused(bad)).toHaveLength(Object.keys(bad).length);
  });

  it('merges over what was saved; null clears a field', () => {
    const saved = mergeAnswers(fields, {}, { short: 'a', long: 'b' });
    expect(mergeAnswers(fields, saved, { long: null, scale: 3 })).toEqual({ short: 'a', scale: 3 });
  });

  it('names the required fields left empty', () => {
    expect(missingRequired(fields, { short: '  ' }).map((i) => i.path)).toEqual(['answers.short']);
    expect(missingRequired(fields, { short: 'x' })).toEqual([]);
  });

  it('ships starters that are valid templates', () => {
    for (const s of starters) expect(templateFields.safeParse(s.fields).success, s.key).toBe(true);
    expect(new Set(starters.map((s) => s.key)).size).toBe(starters.length);
  });

  it('hashes a canonical form: the same content in any key order gives the same text', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [1, { e: 3, f: 2 }] }, b: 1 }),
    );
    expect(canonicalJson({ at: new Date('2026-03-02T09:00:00Z') })).toBe('{"at":"2026-03-02T09:00:00.000Z"}');
  });
});
