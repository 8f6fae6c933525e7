import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api.ts';
import { useApp } from './context.ts';
import {
  acknowledge,
  changeAnswer,
  type FormDraft,
  listDrafts,
  loadDraft,
  outgoing,
  reconcile,
  removeDraft,
  storeDraft,
} from './form-drafts.ts';
import {
  type FormJson,
  type FormSignature,
  getMyForm,
  isOpenForm,
  saveMyFormAnswers,
  submitMyForm,
} from './forms-api.ts';
import { type Loaded, useLoad } from './ui.tsx';

/**
 * One form as the patient fills it in: read from the clinic (or the service worker's saved copy
 * offline), its answers kept on this phone as they change (form-drafts.ts) and saved to the
 * clinic a moment after the last change, one save at a time. Offline, the changes wait on the
 * phone and go as soon as the clinic answers again (back online, back to the app). A save that
 * finds the form saved elsewhere first (409 version_conflict) reads it again and sends this
 * phone's changes over it. Sending the form saves what is pending first.
 */

/** How the answers stand: all at the clinic, waiting to go, going, kept on the phone offline, or refused. */
export type SaveState =
  | { state: 'idle' | 'saved' | 'waiting' | 'saving' | 'offline' }
  | { state: 'failed'; error: unknown };

/** How long after the last change a save goes. */
export const SAVE_DELAY_MS = 800;

const storage = () => localStorage;

export function useFormDraft(formId: string) {
  const app = useApp();
  const loaded: Loaded<{ form: FormJson }> = useLoad(() => getMyForm(formId), `form:${formId}`);
  const [draft, setDraft] = useState<FormDraft | null>(null);
  const [save, setSave] = useState<SaveState>({ state: 'idle' });
  const [stored, setStored] = useState(true);
  const current = useRef<FormDraft | null>(null);
  const syncing = useRef<Promise<boolean> | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const lastError = useRef<unknown>(null);

  const commit = (next: FormDraft) => {
    current.current = next;
    setDraft(next);
    setStored(storeDraft(storage(), next));
  };

  /** Reads the form again and puts this phone's pending changes over it (after a 409). */
  const readAgain = async () => {
    const fresh = await getMyForm(formId);
    commit(reconcile(current.current, fresh.data.form));
    return fresh.data.form;
  };

  const run = async (): Promise<boolean> => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const d = current.current;
      const out = d && outgoing(d);
      if (!d || !out) {
        setSave((s) => (s.state === 'idle' ? s : { state: 'saved' }));
        return true;
      }
      setSave({ state: 'saving' });
      try {
        const answer = await saveMyFormAnswers(formId, out.version, out.answers);
        commit(acknowledge(current.current ?? d, out.answers, answer.data.form));
        setSave({ state: 'saved' });
      } catch (error) {
        if (error instanceof ApiError && error.code === 'version_conflict') {
          try {
            await readAgain();
            continue;
          } catch (again) {
            return failed(again);
          }
        }
        if (error instanceof ApiError && error.code === 'form_submitted') {
          removeDraft(storage(), formId);
          current.current = null;
          loaded.reload();
        }
        return failed(error);
      }
    }
    return false;
  };

  const failed = (error: unknown): false => {
    lastError.current = error;
    if (error instanceof ApiError && error.code === 'offline') setSave({ state: 'offline' });
    else setSave({ state: 'failed', error });
    return false;
  };

  /** Saves what is pending (joining a save under way); true when the clinic has every answer. */
  const sync = useCallback((): Promise<boolean> => {
    clearTimeout(timer.current);
    if (!syncing.current) {
      syncing.current = run().finally(() => {
        syncing.current = null;
      });
    }
    return syncing.current.then((ok) => {
      // A change made as the last save came back: send it too.
      if (ok && current.current && outgoing(current.current)) return sync();
      return ok;
    });
  }, [formId]);

  // Each read of the form (at opening, and again when the app comes back online or to the
  // foreground) is reconciled with what this phone kept; what is still pending is sent.
  useEffect(() => {
    const form = loaded.data?.form;
    if (!form) return;
    if (!isOpenForm(form)) {
      removeDraft(storage(), formId);
      current.current = null;
      setDraft(null);
      return;
    }
    commit(reconcile(current.current ?? loadDraft(storage(), formId), form));
    if (current.current && outgoing(current.current)) {
      if (loaded.offline) setSave({ state: 'offline' });
      else sync();
    }
  }, [loaded.data]);

  // Back online: the changes kept on the phone go at once.
  useEffect(() => {
    if (app.online && current.current && outgoing(current.current)) sync();
  }, [app.online, app.refreshTick]);

  useEffect(() => {
    openForms.add(formId);
    return () => {
      openForms.delete(formId);
      clearTimeout(timer.current);
      // Left before the last change was saved: it goes from here.
      if (!syncing.current && current.current && outgoing(current.current)) sendKeptAnswers();
    };
  }, [formId]);

  /** One answer changed: kept on the phone now, saved a moment after the last change. */
  const change = (fieldId: string, value: unknown) => {
    const d = current.current;
    if (!d) return;
    commit(changeAnswer(d, fieldId, value));
    clearTimeout(timer.current);
    // Offline: kept on the phone; sent when the app is back online (the effect above).
    if (!app.online) {
      setSave({ state: 'offline' });
      return;
    }
    setSave({ state: 'waiting' });
    timer.current = setTimeout(() => {
      sync();
    }, SAVE_DELAY_MS);
  };

  /**
   * Sends the form with its signature: the pending answers first, then the submission (read
   * again and sent once more if it was saved elsewhere meanwhile). Throws an ApiError.
   */
  const submit = async (signature: FormSignature | null): Promise<FormJson> => {
    if (!(await sync())) {
      throw lastError.current instanceof ApiError ? lastError.current : new ApiError(0, 'offline', 'offline');
    }
    const send = () =>
      submitMyForm(formId, current.current?.version ?? loaded.data?.form.version ?? 1, signature);
    let answer: Awaited<ReturnType<typeof send>>;
    try {
      answer = await send();
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 'version_conflict')) throw error;
      await readAgain();
      if (!(await sync())) throw lastError.current ?? new ApiError(0, 'offline', 'offline');
      answer = await send();
    }
    removeDraft(storage(), formId);
    current.current = null;
    setDraft(null);
    loaded.reload();
    return answer.data.form;
  };

  return { loaded, draft, save, stored, change, sync, submit };
}

/** Dispatched on window once answers kept on the phone reached the clinic (lists read again). */
export const KEPT_ANSWERS_SENT = 'clinicbox:kept-answers-sent';

/** Forms open on screen: their screen saves them; the sending below leaves them alone. */
const openForms = new Set<string>();
let sending: Promise<void> | null = null;

/**
 * Sends the answers kept on this phone for every form not open on screen (the patient went back
 * to the list, or closed the app, before the network came back), one form after the other; stops
 * at the first that finds no network. A form sent meanwhile, or gone, loses its draft; a save
 * refused for its content (422) waits for the patient to open the form, which says why.
 */
export function sendKeptAnswers(): Promise<void> {
  sending ??= (async () => {
    let sent = 0;
    for (const draft of listDrafts(storage())) {
      if (openForms.has(draft.formId) || !outgoing(draft)) continue;
      if (!(await sendDraft(draft))) break;
      sent++;
    }
    if (sent) window.dispatchEvent(new Event(KEPT_ANSWERS_SENT));
  })().finally(() => {
    sending = null;
  });
  return sending;
}

/** One form's kept answers sent (read again after a 409); false when the network is missing. */
async function sendDraft(kept: FormDraft): Promise<boolean> {
  let draft = kept;
  for (let attempt = 0; attempt < 3; attempt++) {
    const out = outgoing(draft);
    if (!out) return true;
    try {
      const answer = await saveMyFormAnswers(draft.formId, out.version, out.answers);
      draft = acknowledge(draft, out.answers, answer.data.form);
      if (!openForms.has(draft.formId)) storeDraft(storage(), draft);
      return true;
    } catch (error) {
      if (!(error instanceof ApiError)) return true;
      if (error.code === 'offline') return false;
      if (error.code === 'form_submitted' || error.status === 404) {
        removeDraft(storage(), draft.formId);
        return true;
      }
      if (error.code !== 'version_conflict') return true;
      try {
        draft = reconcile(draft, (await getMyForm(draft.formId)).data.form);
      } catch {
        return false;
      }
    }
  }
  return true;
}

/** Sends the answers kept on the phone whenever the clinic answers again (back online, back to the app, signed in). */
export function useSendKeptAnswers(signedIn: boolean): void {
  const { online, refreshTick } = useApp();
  useEffect(() => {
    if (signedIn && online) sendKeptAnswers();
  }, [signedIn, online, refreshTick]);
}
