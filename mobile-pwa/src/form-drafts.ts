import type { Answers } from './forms-api.ts';

/**
 * A form's answers kept on this phone until the form is sent, so it can be filled in offline and
 * a closed app loses nothing. Each change is written to localStorage at once (as the app's other
 * choices are) and marked pending until the server has it; a save sends only the pending answers
 * at the version the draft was last saved at. A read of the form (from the network, or the
 * service worker's saved copy offline) is reconciled with the draft: a newer version on the server
 * (saved from another device) wins for every answer this phone has not changed since.
 * No DOM here: the tests run it on a Map.
 */

/** What the drafts need of localStorage. */
export type DraftStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'>;

export interface FormDraft {
  formId: string;
  /** The server's version these answers were last saved at, or read at. */
  version: number;
  /** Every answer as the patient sees it: the saved ones with this phone's changes over them. */
  answers: Answers;
  /** Fields changed on this phone that the server does not have yet (in the order changed). */
  pending: string[];
}

const PREFIX = 'cb.form.';
const keyOf = (formId: string) => `${PREFIX}${formId}`;

export function loadDraft(storage: DraftStorage, formId: string): FormDraft | null {
  try {
    const raw = storage.getItem(keyOf(formId));
    if (!raw) return null;
    const draft = JSON.parse(raw) as FormDraft;
    if (draft.formId !== formId || typeof draft.version !== 'number' || !Array.isArray(draft.pending))
      return null;
    return draft;
  } catch {
    return null;
  }
}

/** Writes the draft; false when the phone refused (storage full, private mode). */
export function storeDraft(storage: DraftStorage, draft: FormDraft): boolean {
  try {
    storage.setItem(keyOf(draft.formId), JSON.stringify(draft));
    return true;
  } catch {
    return false;
  }
}

export function removeDraft(storage: DraftStorage, formId: string): void {
  storage.removeItem(keyOf(formId));
}

/** Every draft kept on this phone. */
export function listDrafts(storage: DraftStorage): FormDraft[] {
  const drafts: FormDraft[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    const draft = key?.startsWith(PREFIX) ? loadDraft(storage, key.slice(PREFIX.length)) : null;
    if (draft) drafts.push(draft);
  }
  return drafts;
}

/** Forgets every form's draft (signing out of a shared phone). */
export function removeAllDrafts(storage: DraftStorage): void {
  const keys: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key?.startsWith(PREFIX)) keys.push(key);
  }
  for (const key of keys) storage.removeItem(key);
}

/** Whether a value says nothing (cleared): nothing, empty text, an empty list or object. */
export function isEmptyAnswer(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

/** `answers` with this draft's pending changes over them (a pending field with no answer is cleared). */
function withPending(answers: Answers, draft: FormDraft): Answers {
  const out: Answers = { ...answers };
  for (const id of draft.pending) {
    if (draft.answers[id] === undefined) delete out[id];
    else out[id] = draft.answers[id];
  }
  return out;
}

/**
 * The draft to show after reading the form from the server. No draft: the server's answers. A
 * newer version on the server: its answers, with this phone's pending changes over them. The same
 * or an older version (the saved copy read offline is older than what this phone saved since):
 * the draft as it is.
 */
export function reconcile(
  draft: FormDraft | null,
  server: { id: string; version: number; answers: Answers },
): FormDraft {
  if (!draft)
    return { formId: server.id, version: server.version, answers: { ...server.answers }, pending: [] };
  if (server.version <= draft.version) return draft;
  return { ...draft, version: server.version, answers: withPending(server.answers, draft) };
}

/** The draft with one answer changed (an empty one clears it), marked to be sent. */
export function changeAnswer(draft: FormDraft, fieldId: string, value: unknown): FormDraft {
  const answers = { ...draft.answers };
  if (isEmptyAnswer(value)) delete answers[fieldId];
  else answers[fieldId] = value;
  const pending = draft.pending.includes(fieldId) ? draft.pending : [...draft.pending, fieldId];
  return { ...draft, answers, pending };
}

/** What a save sends: the version and the pending answers (null clears one); null when nothing is pending. */
export function outgoing(draft: FormDraft): { version: number; answers: Answers } | null {
  if (draft.pending.length === 0) return null;
  const answers: Answers = {};
  for (const id of draft.pending) answers[id] = draft.answers[id] ?? null;
  return { version: draft.version, answers };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The draft once the server saved `sent` at `saved.version`: the server's answers (it may have
 * added to them: a BMI from height and weight), with what changed on this phone while the save
 * was on its way still pending over them.
 */
export function acknowledge(
  draft: FormDraft,
  sent: Answers,
  saved: { version: number; answers?: Answers | undefined },
): FormDraft {
  const pending = draft.pending.filter((id) => !(id in sent) || !same(draft.answers[id], sent[id]));
  const still = { ...draft, pending };
  return { ...still, version: saved.version, answers: withPending(saved.answers ?? draft.answers, still) };
}
