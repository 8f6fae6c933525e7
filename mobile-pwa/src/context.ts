import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ClinicJson, MeJson, PatientJson } from './api.ts';
import type { I18n, Language } from './i18n.ts';

/** What every screen may read: the clinic, the words, who is signed in and whom they act for. */
export interface AppState {
  clinic: ClinicJson;
  i18n: I18n;
  setLanguage(lang: Language): void;
  /** null: not signed in. */
  me: MeJson | null;
  /** The network answers: the browser is online and the last read was not a saved copy. */
  online: boolean;
  /** Reads report whether they came from the saved copy (offline) or the network. */
  reportServed(offline: boolean): void;
  /** Changes when the app comes back to the foreground or online: screens load again. */
  refreshTick: number;
  /** The signed-in patient and their dependants. */
  family: PatientJson[];
  /** The dependants have been read (until then `family` holds the patient alone). */
  familyLoaded: boolean;
  /** Whose appointments the app shows and books: the patient or a dependant. */
  actingFor: PatientJson | null;
  setActingFor(id: string): void;
  refreshMe(): Promise<MeJson | null>;
  signedOut(): Promise<void>;
}

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const state = useContext(AppContext);
  if (!state) throw new Error('useApp outside the app');
  return state;
}

/**
 * Whom a screen of the family switcher shows: `who`, the person acted for (or the patient), and
 * `dependant`, that same person when it is a dependant rather than the patient themself.
 */
export function shownPerson(app: AppState): {
  who: PatientJson | null | undefined;
  dependant: PatientJson | undefined;
} {
  const me = app.me?.patient;
  const who = app.actingFor ?? me;
  return { who, dependant: me && who && who.id !== me.id ? who : undefined };
}
