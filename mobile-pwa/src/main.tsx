/** @jsxImportSource preact */
/**
 * The patient app: sign in with a code (or a passkey), register, book, see, move and cancel
 * appointments, the waitlist, the profile and the family. Talks only to /api/v1 and imports only
 * types from src/ (DESIGN.md). State lives here (app-state.ts) and reaches the screens through
 * AppContext.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { setApiLanguage } from './api.ts';
import { loadMe, useBoot, useDependents, useLanguage, useOnline, useRefreshTick } from './app-state.ts';
import { AppContext, type AppState } from './context.ts';
import { createI18n, type Language } from './i18n.ts';
import { resendPushSubscription } from './push.ts';
import { navigate, useRoute } from './router.ts';
import { clearSavedData, registerServiceWorker } from './service-worker.ts';
import { Shell } from './shell.tsx';
import './app.css';

function Root() {
  const route = useRoute();
  const online = useOnline();
  const { clinic, me, setMe, failed, start } = useBoot();
  const [actingId, setActingId] = useState<string | null>(() => localStorage.getItem('cb.actingFor'));
  const [chosenLanguage, setChosenLanguage] = useState<string | null>(() => localStorage.getItem('cb.lang'));
  const [update, setUpdate] = useState<(() => void) | null>(null);
  const [familyVersion, setFamilyVersion] = useState(0);
  // The last read came from the phone's saved copy: the clinic is out of reach even if the
  // browser says it is online (weak signal, captive portal, server down).
  const [servedOffline, setServedOffline] = useState(false);
  useEffect(() => {
    start();
    registerServiceWorker((apply) => setUpdate(() => apply));
  }, [start]);
  const refreshTick = useRefreshTick(() => setMe(null), online && servedOffline ? 3000 : null);

  const patient = me?.patient ?? null;
  const { dependents, loadedFor } = useDependents(patient, familyVersion, refreshTick);
  // This phone's push subscription is told to the server again at each start (idempotent), so a
  // subscription the browser renewed while the app was closed keeps working.
  useEffect(() => {
    if (patient) resendPushSubscription().catch(() => {});
  }, [patient?.id]);
  const { lang, i18n } = useLanguage(chosenLanguage, patient, clinic);
  setApiLanguage(lang);

  if (!clinic || me === undefined) return <Boot lang={lang} failed={failed} retry={start} />;

  const family = patient ? [patient, ...dependents] : [];
  const state: AppState = {
    clinic,
    i18n,
    setLanguage: (l: Language) => {
      localStorage.setItem('cb.lang', l);
      setChosenLanguage(l);
    },
    me,
    online: online && !servedOffline,
    reportServed: setServedOffline,
    refreshTick,
    family,
    familyLoaded: Boolean(patient) && loadedFor === patient?.id,
    actingFor: family.find((p) => p.id === actingId) ?? patient,
    setActingFor: (id) => {
      localStorage.setItem('cb.actingFor', id);
      setActingId(id);
    },
    refreshMe: async () => {
      const m = await loadMe();
      setMe(m);
      setFamilyVersion((n) => n + 1);
      return m;
    },
    signedOut: async () => {
      await clearSavedData();
      localStorage.removeItem('cb.actingFor');
      setActingId(null);
      setMe(null);
      navigate('/sign-in');
    },
  };
  return (
    <AppContext.Provider value={state}>
      <Shell route={route} update={update} />
    </AppContext.Provider>
  );
}

/** Before the clinic and the session are read: loading, or the failure with a retry. */
function Boot(props: { lang: Language; failed: boolean; retry: () => void }) {
  const t = createI18n(props.lang, props.lang, 'UTC').t;
  return (
    <main id="main" class="boot">
      {props.failed ? (
        <>
          <p role="alert">{t('networkError')}</p>
          <button type="button" class="btn primary" onClick={props.retry}>
            {t('retry')}
          </button>
        </>
      ) : (
        <p role="status">{t('loading')}</p>
      )}
    </main>
  );
}

const root = document.getElementById('app');
if (root) render(<Root />, root);
