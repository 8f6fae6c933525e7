import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, api, type ClinicJson, type MeJson, type PatientJson, SESSION_LOST } from './api.ts';
import { createI18n, pickLanguage } from './i18n.ts';
import { clearSavedData } from './service-worker.ts';

/**
 * The app's state, a hook per part: whether the network answers, the clinic and who is signed
 * in, reloading when the app comes back, the family, and the language. `main.tsx` composes them.
 */

/** The browser says it is online. */
export function useOnline(): boolean {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return online;
}

/** The signed-in patient's session (null: none), or a failure other than "not signed in". */
export async function loadMe(): Promise<MeJson | null> {
  try {
    return (await api.get<MeJson>('/api/v1/me')).data;
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return null;
    throw error;
  }
}

/** The clinic and the session, read at start (again with `start` after a failure). */
export function useBoot() {
  const [clinic, setClinic] = useState<ClinicJson | null>(null);
  const [me, setMe] = useState<MeJson | null | undefined>(undefined);
  const [failed, setFailed] = useState(false);
  const start = useCallback(async () => {
    setFailed(false);
    try {
      const [c, m] = await Promise.all([api.get<{ clinic: ClinicJson }>('/api/v1/clinic'), loadMe()]);
      setClinic(c.data.clinic);
      setMe(m);
    } catch {
      setFailed(true);
    }
  }, []);
  return { clinic, me, setMe, failed, start };
}

/**
 * A tick that changes when the app comes back to the foreground or online (screens read again
 * what they show); a session lost elsewhere signs the app out.
 */
export function useRefreshTick(sessionLost: () => void, retryMs: number | null = null): number {
  const [refreshTick, setRefreshTick] = useState(0);
  // Reads served from the saved copy while the browser says it is online (the first reads after
  // coming back can still miss the network): read again until one reaches the clinic.
  useEffect(() => {
    if (retryMs === null) return;
    const timer = setInterval(() => setRefreshTick((n) => n + 1), retryMs);
    return () => clearInterval(timer);
  }, [retryMs]);
  useEffect(() => {
    const lost = () => {
      clearSavedData();
      sessionLost();
    };
    const visible = () => document.visibilityState === 'visible' && setRefreshTick((n) => n + 1);
    window.addEventListener(SESSION_LOST, lost);
    document.addEventListener('visibilitychange', visible);
    window.addEventListener('online', visible);
    return () => {
      window.removeEventListener(SESSION_LOST, lost);
      document.removeEventListener('visibilitychange', visible);
      window.removeEventListener('online', visible);
    };
  }, []);
  return refreshTick;
}

/** The patient's dependants (read again when `version` or `refreshTick` changes), and for whom they were read. */
export function useDependents(patient: PatientJson | null, version: number, refreshTick: number) {
  const [dependents, setDependents] = useState<PatientJson[]>([]);
  const [loadedFor, setLoadedFor] = useState<string | null>(null);
  useEffect(() => {
    if (!patient) {
      setDependents([]);
      setLoadedFor(null);
      return;
    }
    api.get<{ dependents: PatientJson[] }>('/api/v1/me/dependents').then(
      (a) => {
        setDependents(a.data.dependents);
        setLoadedFor(patient.id);
      },
      () => {},
    );
  }, [patient?.id, version, refreshTick]);
  return { dependents, loadedFor };
}

/**
 * The app's language: the one chosen here, else the patient's, else the browser's; dates in the
 * patient's own variant of it (en-GB vs en-US), else the clinic's; times in the clinic's zone.
 */
export function useLanguage(chosen: string | null, patient: PatientJson | null, clinic: ClinicJson | null) {
  const lang = pickLanguage(chosen ?? patient?.preferredLanguage, navigator.languages);
  const locale =
    [...navigator.languages, clinic?.locale ?? ''].find((l) => l.toLowerCase().split('-')[0] === lang) ??
    lang;
  const i18n = useMemo(
    () => createI18n(lang, locale, clinic?.timeZone ?? 'UTC'),
    [lang, locale, clinic?.timeZone],
  );
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  return { lang, i18n };
}
