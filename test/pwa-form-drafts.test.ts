import { describe, expect, it } from 'vitest';
import {
  acknowledge,
  changeAnswer,
  type DraftStorage,
  listDrafts,
  loadDraft,
  outgoing,
  reconcile,
  removeAllDrafts,
  removeDraft,
  storeDraft,
} from '../mobile-pwa/src/form-drafts.ts';
import {
  bmiOf,
  parseNumber,
  resumeStep,
  sectionsOf,
  unanswered,
  vitalsPartsOf,
} from '../mobile-pwa/src/form-sections.ts';
import type { TemplateField } from '../src/domain/chart/index.ts';
import { starters } from '../src/domain/chart/index.ts';

/**
 * The patient app's forms kept on the phone (issue 17): answers changed offline wait as pending
 * and go in one save at the version last saved; a newer version read from the clinic (saved from
 * another device) wins for every answer this phone has not changed; the saved copy read offline
 * (older) never undoes what the phone saved since; a change made while a save is on its way
 * stays pending. Sections start at headings, and a form opened again resumes where the answers
 * stop.
 */

/** localStorage on a Map, refusing writes when `full`. */
function memoryStorage(): DraftStorage & { full: boolean; map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    full: false,
    get length() {
      return map.size;
    },
    key: (i) => [...map.keys()][i] ?? null,
    getItem: (k) => map.get(k) ?? null,
    setItem(k, v) {
      if (this.full) throw new DOMException('full', 'QuotaExceededError');
      map.set(k, v);
    },
    removeItem: (k) => {
      map.delete(k);
    },
  };
}

const fields: TemplateField[] = [
  { id: 'name', type: 'short-text', label: 'Name', required: true },
  { id: 'h-health', type: 'heading', label: 'Your health', help: 'Tell us about your health.' },
  { id: 'pain', type: 'scale', label: 'Pain' },
  { id: 'allergies', type: 'long-text', label: 'Allergies' },
  { id: 'h-consent', type: 'heading', label: 'Consent' },
  { id: 'consent', type: 'yes-no', label: 'I consent', required: true },
  { id: 'signature', type: 'signature', label: 'Signature', required: true },
  { id: 'h-empty', type: 'heading', label: 'Nothing here' },
];

describe('forms kept on the phone', () => {
  it('keeps offline changes pending and sends them in one save at the version last saved', () => {
    const storage = memoryStorage();
    let draft = reconcile(loadDraft(storage, 'f1'), { id: 'f1', version: 3, answers: { name: 'Maya' } });
    expect(draft).toEqual({ formId: 'f1', version: 3, answers: { name: 'Maya' }, pending: [] });
    expect(outgoing(draft)).toBeNull();

    draft = changeAnswer(draft, 'pain', 4);
    draft = changeAnswer(draft, 'allergies', 'Penicillin');
    draft = changeAnswer(draft, 'pain', 6);
    draft = changeAnswer(draft, 'name', '');
    expect(storeDraft(storage, draft)).toBe(true);

    // The app is closed and opened again offline: the saved copy of the form (version 3) is read.
    const again = reconcile(loadDraft(storage, 'f1'), { id: 'f1', version: 3, answers: { name: 'Maya' } });
    expect(again.answers).toEqual({ pain: 6, allergies: 'Penicillin' });
    expect(outgoing(again)).toEqual({
      version: 3,
      answers: { pain: 6, allergies: 'Penicillin', name: null },
    });
  });

  it('takes a newer version from the clinic for what the phone did not change, keeping its own changes', () => {
    let draft = reconcile(null, { id: 'f1', version: 2, answers: { name: 'Maya', pain: 2 } });
    draft = changeAnswer(draft, 'allergies', 'None');
    draft = changeAnswer(draft, 'pain', undefined);
    const read = reconcile(draft, {
      id: 'f1',
      version: 5,
      answers: { name: 'Maya L', pain: 3, allergies: 'Nuts' },
    });
    expect(read.version).toBe(5);
    expect(read.answers).toEqual({ name: 'Maya L', allergies: 'None' });
    expect(read.pending).toEqual(['allergies', 'pain']);
    expect(outgoing(read)).toEqual({ version: 5, answers: { allergies: 'None', pain: null } });
  });

  it('never lets an older saved copy undo what the phone saved since', () => {
    let draft = reconcile(null, { id: 'f1', version: 1, answers: {} });
    draft = changeAnswer(draft, 'pain', 7);
    const sent = outgoing(draft)!;
    draft = acknowledge(draft, sent.answers, { version: 2, answers: { pain: 7 } });
    expect(draft).toMatchObject({ version: 2, answers: { pain: 7 }, pending: [] });
    // Offline, the service worker answers the copy it kept at version 1.
    expect(reconcile(draft, { id: 'f1', version: 1, answers: {} })).toBe(draft);
  });

  it('keeps a change made while a save is on its way pending, and takes what the clinic added', () => {
    let draft = reconcile(null, { id: 'f1', version: 1, answers: {} });
    draft = changeAnswer(draft, 'pain', 3);
    draft = changeAnswer(draft, 'vitals', { weightKg: 70, heightCm: 175 });
    const sent = outgoing(draft)!;
    draft = changeAnswer(draft, 'pain', 4);
    draft = changeAnswer(draft, 'allergies', 'Dust');
    draft = acknowledge(draft, sent.answers, {
      version: 2,
      answers: { pain: 3, vitals: { weightKg: 70, heightCm: 175, bmi: 22.9 } },
    });
    expect(draft.version).toBe(2);
    expect(draft.pending).toEqual(['pain', 'allergies']);
    expect(draft.answers).toEqual({
      pain: 4,
      vitals: { weightKg: 70, heightCm: 175, bmi: 22.9 },
      allergies: 'Dust',
    });
    expect(outgoing(draft)).toEqual({ version: 2, answers: { pain: 4, allergies: 'Dust' } });
  });

  it('says when the phone cannot keep the answers, ignores what is not a draft, and forgets every draft', () => {
    const storage = memoryStorage();
    const draft = changeAnswer(reconcile(null, { id: 'f1', version: 1, answers: {} }), 'pain', 1);
    storage.full = true;
    expect(storeDraft(storage, draft)).toBe(false);
    storage.full = false;
    storeDraft(storage, draft);
    storeDraft(storage, { ...draft, formId: 'f2' });
    storage.setItem('cb.lang', 'fr');
    storage.setItem('cb.form.broken', '{not json');
    expect(loadDraft(storage, 'broken')).toBeNull();
    expect(loadDraft(storage, 'f2')?.answers).toEqual({ pain: 1 });
    expect(listDrafts(storage).map((d) => d.formId)).toEqual(['f1', 'f2']);
    removeDraft(storage, 'f2');
    expect(loadDraft(storage, 'f2')).toBeNull();
    removeAllDrafts(storage);
    expect([...storage.map.keys()]).toEqual(['cb.lang']);
  });
});

describe('forms a section at a time', () => {
  it('starts a section at each heading, leaves signatures to the last step and skips empty sections', () => {
    const sections = sectionsOf(fields);
    expect(sections.map((s) => [s.title, s.help, s.fields.map((f) => f.id)])).toEqual([
      [null, null, ['name']],
      ['Your health', 'Tell us about your health.', ['pain', 'allergies']],
      ['Consent', null, ['consent']],
    ]);
    expect(unanswered(sections[2]!, {}).map((f) => f.id)).toEqual(['consent']);
    expect(unanswered(sections[1]!, {})).toEqual([]);
  });

  it('resumes where the answers stop', () => {
    const sections = sectionsOf(fields);
    expect(resumeStep(sections, {})).toBe(0);
    expect(resumeStep(sections, { name: 'Maya' })).toBe(1);
    expect(resumeStep(sections, { name: 'Maya', pain: 3 })).toBe(1);
    expect(resumeStep(sections, { name: 'Maya', pain: 3, allergies: 'None' })).toBe(2);
    // Answers that stop in the middle resume after the last one, whatever was skipped before it.
    expect(resumeStep(sections, { allergies: 'None' })).toBe(2);
    expect(resumeStep(sections, { consent: true })).toBe(3);
    expect(resumeStep(sections, { name: '  ', pain: [] })).toBe(0);
  });

  it('reads numbers as typed on a phone, and computes the BMI as the clinic does', () => {
    expect(parseNumber('72,5')).toBe(72.5);
    expect(parseNumber(' 80 ')).toBe(80);
    expect(parseNumber('')).toBeUndefined();
    expect(parseNumber('7 kg')).toBeNull();
    expect(parseNumber('1e3')).toBeNull();
    expect(bmiOf({ weightKg: 70, heightCm: 175 })).toBe(22.9);
    expect(bmiOf({ weightKg: 70 })).toBeNull();
  });

  it('asks a vitals question only for the measurements its field names (all when none)', () => {
    const keys = (field: TemplateField) => vitalsPartsOf(field).map((p) => p.key);
    expect(keys({ id: 'v', type: 'vitals', label: 'Vitals' })).toEqual([
      'systolic',
      'diastolic',
      'pulse',
      'weightKg',
      'heightCm',
    ]);
    // The medical history starter asks for height and weight, not blood pressure.
    const intake = starters.find((s) => s.key === 'medical-history')!;
    const heightWeight = intake.fields.find((f) => f.type === 'vitals')!;
    expect(keys(heightWeight)).toEqual(['weightKg', 'heightCm']);
  });
});
