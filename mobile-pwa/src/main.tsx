/** @jsxImportSource preact */
/**
 * The patient app: sign in with a code (or a passkey), register, book, see, move and cancel
 * appointments, the waitlist, the profile and the family. Talks only to /api/v1 and imports only
 * types from src/ (DESIGN.md). State lives here and reaches the screens through AppContext.
 */
import { render } from 'preact';
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import {
  ApiError,
  api,
  type ClinicJson,
  type MeJson,
  type PatientJson,
  SESSION_LOST,
  setApiLanguage,
} from './api.ts';
import { AppContext, type AppState, useApp } from './context.ts';
import { createI18n, type Language, pickLanguage } from './i18n.ts';
import { resendPushSubscription } from './push.ts';
import { navigate, type Route, useRoute } from './router.ts';
import { AppointmentsScreen } from './screens/appointments.tsx';
import { BookScreen } from './screens/book.tsx';
import { HomeScreen } from './screens/home.tsx';
import { ProfileScreen } from './screens/profile.tsx';
import { RegisterScreen } from './screens/register.tsx';
import { InviteScreen, SignInScreen } from './screens/sign-in.tsx';
import { WaitlistScreen } from './screens/waitlist.tsx';
import { clearSavedData, registerServiceWorker } from './service-worker.ts';
import { OFFLINE_REASON_ID, SelectField } from './ui.tsx';
import './app.css';

const PUBLIC_PATHS = new Set(['/sign-in', '/invite']);

function useOnline(): boolean {
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

async function loadMe(): Promise<MeJson | null> {
  try {
    return (await api.get<MeJson>('/api/v1/me')).data;
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return null;
    throw error;
  }
}

function Root() {
  const route = useRoute();
  const online = useOnline();
  const [clinic, setClinic] = useState<ClinicJson | null>(null);
  const [me, setMe] = useState<MeJson | null | undefined>(undefined);
  const [failed, setFailed] = useState(false);
  const [dependents, setDependents] = useState<PatientJson[]>([]);
  const [actingId, setActingId] = useState<string | null>(() => localStorage.getItem('cb.actingFor'));
  const [chosenLanguage, setChosenLanguage] = useState<string | null>(() => localStorage.getItem('cb.lang'));
  const [update, setUpdate] = useState<(() => void) | null>(null);
  const [familyVersion, setFamilyVersion] = useState(0);
  const [familyLoadedFor, setFamilyLoadedFor] = useState<string | null>(null);
  const [refreshTick, setRefreshTick] = useState(0);
  // The last read came from the phone's saved copy: the clinic is out of reach even if the
  // browser says it is online (weak signal, captive portal, server down).
  const [servedOffline, setServedOffline] = useState(false);

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
  useEffect(() => {
    start();
    registerServiceWorker((apply) => setUpdate(() => apply));
  }, [start]);

  useEffect(() => {
    const lost = () => {
      clearSavedData();
      setMe(null);
    };
    // Back to an app left open for hours: fetch again what the screen shows.
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

  const patient = me?.patient ?? null;
  useEffect(() => {
    if (!patient) {
      setDependents([]);
      setFamilyLoadedFor(null);
      return;
    }
    api.get<{ dependents: PatientJson[] }>('/api/v1/me/dependents').then(
      (a) => {
        setDependents(a.data.dependents);
        setFamilyLoadedFor(patient.id);
      },
      () => {},
    );
  }, [patient?.id, familyVersion, refreshTick]);
  // This phone's push subscription is told to the server again at each start (idempotent), so a
  // subscription the browser renewed while the app was closed keeps working.
  useEffect(() => {
    if (patient) resendPushSubscription().catch(() => {});
  }, [patient?.id]);

  const lang = pickLanguage(chosenLanguage ?? patient?.preferredLanguage, navigator.languages);
  setApiLanguage(lang);
  // Dates in the patient's own variant of the language (en-GB vs en-US), else the clinic's.
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

  const family = patient ? [patient, ...dependents] : [];
  const familyLoaded = Boolean(patient) && familyLoadedFor === patient?.id;
  const actingFor = family.find((p) => p.id === actingId) ?? patient;

  const state: AppState | null =
    clinic && me !== undefined
      ? {
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
          familyLoaded,
          actingFor,
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
        }
      : null;

  if (!state) {
    const t = createI18n(lang, lang, 'UTC').t;
    return (
      <main id="main" class="boot">
        {failed ? (
          <>
            <p role="alert">{t('networkError')}</p>
            <button type="button" class="btn primary" onClick={start}>
              {t('retry')}
            </button>
          </>
        ) : (
          <p role="status">{t('loading')}</p>
        )}
      </main>
    );
  }

  return (
    <AppContext.Provider value={state}>
      <Shell route={route} update={update} />
    </AppContext.Provider>
  );
}

function Shell(props: { route: Route; update: (() => void) | null }) {
  const app = useApp();
  const { t } = app.i18n;
  const { route } = props;
  const signedIn = app.me !== null;
  const registered = Boolean(app.me?.patient);
  const isPublic = PUBLIC_PATHS.has(route.path);

  // Where the patient must go first: sign in, then register.
  let redirect: string | null = null;
  if (!signedIn && !isPublic) redirect = '/sign-in';
  else if (signedIn && !registered && route.path !== '/register' && !isPublic) redirect = '/register';
  else if (signedIn && registered && (route.path === '/register' || route.path === '/sign-in'))
    redirect = '/';
  useEffect(() => {
    if (!redirect) return;
    const next = redirect === '/sign-in' && route.path !== '/' ? `${route.path}?${route.params}` : undefined;
    navigate(redirect, { next });
  }, [redirect, route.path]);

  return (
    <>
      {/* A button, not an anchor: "#main" would be taken for a route. */}
      <button type="button" class="skip" onClick={() => document.getElementById('main')?.focus()}>
        {t('skip')}
      </button>
      <header class="bar">
        <span class="clinic-name">{app.clinic.name}</span>
        {registered && app.family.length > 1 && (
          <SelectField
            class="switcher"
            label={t('viewing')}
            value={app.actingFor?.id ?? ''}
            onChange={app.setActingFor}
            options={app.family.map((p, i) => ({
              value: p.id,
              label: i === 0 ? `${t('me')} (${p.firstName})` : `${p.firstName} ${p.lastName}`,
            }))}
          />
        )}
      </header>
      {props.update && (
        <div class="banner update" role="status">
          <span>{t('newVersion')}</span>
          <button type="button" class="btn plain" onClick={props.update}>
            {t('reload')}
          </button>
        </div>
      )}
      {!app.online && (
        <div class="banner offline" role="status" id={OFFLINE_REASON_ID}>
          {t('offlineBanner')}
        </div>
      )}
      <main id="main" tabIndex={-1}>
        {redirect ? null : <CurrentScreen route={route} />}
      </main>
      {registered && <TabBar path={route.path} />}
    </>
  );
}

function CurrentScreen(props: { route: Route }) {
  const { path, params } = props.route;
  switch (path) {
    case '/sign-in':
      return <SignInScreen params={params} />;
    case '/invite':
      return <InviteScreen params={params} />;
    case '/register':
      return <RegisterScreen />;
    case '/book':
      return <BookScreen params={params} />;
    case '/appointments':
      return <AppointmentsScreen />;
    case '/waitlist':
      return <WaitlistScreen params={params} />;
    case '/profile':
      return <ProfileScreen />;
    default:
      return <HomeScreen />;
  }
}

function TabBar(props: { path: string }) {
  const { t } = useApp().i18n;
  const tabs = [
    ['/', 'navHome'],
    ['/book', 'navBook'],
    ['/appointments', 'navAppointments'],
    ['/profile', 'navProfile'],
  ] as const;
  return (
    <nav class="tabs" aria-label={t('appTitle')}>
      {tabs.map(([href, key]) => {
        const current = props.path === href || (href === '/appointments' && props.path === '/waitlist');
        return (
          <a key={href} href={`#${href}`} aria-current={current ? 'page' : undefined}>
            {t(key)}
          </a>
        );
      })}
    </nav>
  );
}

const root = document.getElementById('app');
if (root) render(<Root />, root);
