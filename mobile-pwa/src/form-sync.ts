import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api.ts';
import { useApp } from './context.ts';
import {
  acknowledge,
  changeAnswer,
  type FormDraft,
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

  useEffect(() => () => clearTimeout(timer.current), []);

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
