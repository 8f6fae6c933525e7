/** @jsxImportSource preact */
import type { VNode } from 'preact';
import { useEffect } from 'preact/hooks';
import { useApp } from './context.ts';
import { FamilyField } from './fields.tsx';
import { useSendKeptAnswers } from './form-sync.ts';
import { navigate, type Route } from './router.ts';
import { AppointmentsScreen } from './screens/appointments.tsx';
import { BookScreen } from './screens/book.tsx';
import { DocumentsScreen } from './screens/documents.tsx';
import { FormScreen } from './screens/form-fill.tsx';
import { FormsScreen } from './screens/forms.tsx';
import { HomeScreen } from './screens/home.tsx';
import { InviteScreen } from './screens/invite.tsx';
import { InvoicesScreen } from './screens/invoices.tsx';
import { ThreadScreen } from './screens/message-thread.tsx';
import { MessagesScreen, NewMessageScreen, useUnreadMessages } from './screens/messages.tsx';
import { ProfileScreen } from './screens/profile.tsx';
import { RegisterScreen } from './screens/register.tsx';
import { SignInScreen } from './screens/sign-in.tsx';
import { WaitlistScreen } from './screens/waitlist.tsx';
import { OFFLINE_REASON_ID } from './ui.tsx';

const PUBLIC_PATHS = new Set(['/sign-in', '/invite']);

/** The app around the screens: the clinic's bar, the update and offline banners, the tabs. */
export function Shell(props: { route: Route; update: (() => void) | null }) {
  const app = useApp();
  const { t } = app.i18n;
  const { route } = props;
  const signedIn = app.me !== null;
  const registered = Boolean(app.me?.patient);
  const isPublic = PUBLIC_PATHS.has(route.path);
  // Forms' answers kept on the phone offline go to the clinic once it answers, whatever the screen.
  useSendKeptAnswers(registered);

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
        {registered && (
          <FamilyField
            class="switcher"
            label={t('viewing')}
            value={app.actingFor?.id ?? ''}
            onChange={app.setActingFor}
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
      {registered && <TabBar path={route.path} registered={registered} />}
    </>
  );
}

/** The screen of each path; those that read the route's query parameters are given them. */
const screens = new Map<string, (params: URLSearchParams) => VNode>([
  ['/sign-in', (params) => <SignInScreen params={params} />],
  ['/invite', (params) => <InviteScreen params={params} />],
  ['/register', () => <RegisterScreen />],
  ['/book', (params) => <BookScreen params={params} />],
  ['/appointments', () => <AppointmentsScreen />],
  ['/waitlist', (params) => <WaitlistScreen params={params} />],
  ['/profile', () => <ProfileScreen />],
  ['/documents', () => <DocumentsScreen />],
  ['/invoices', () => <InvoicesScreen />],
  ['/forms', () => <FormsScreen />],
  ['/form', (params) => <FormScreen params={params} />],
  ['/messages', () => <MessagesScreen />],
  ['/messages/new', () => <NewMessageScreen />],
]);

function CurrentScreen(props: { route: Route }) {
  const { path, params } = props.route;
  const screen = screens.get(path);
  if (screen) return screen(params);
  // `#/messages/<id>`: the link of a new-message notification.
  if (path.startsWith('/messages/')) return <ThreadScreen id={decodeURIComponent(path.slice(10))} />;
  return <HomeScreen />;
}

function TabBar(props: { path: string; registered: boolean }) {
  const { t } = useApp().i18n;
  const unread = useUnreadMessages(props.path, props.registered);
  const tabs = [
    ['/', 'navHome'],
    ['/book', 'navBook'],
    ['/appointments', 'navAppointments'],
    ['/messages', 'navMessages'],
    ['/profile', 'navProfile'],
  ] as const;
  return (
    <nav class="tabs" aria-label={t('appTitle')}>
      {tabs.map(([href, key]) => {
        const current =
          props.path === href ||
          (href === '/appointments' && props.path === '/waitlist') ||
          (href === '/messages' && props.path.startsWith('/messages/'));
        return (
          <a key={href} href={`#${href}`} aria-current={current ? 'page' : undefined}>
            {t(key)}
            {href === '/messages' && unread > 0 && (
              <span class="badge">
                {unread}
                <span class="visually-hidden"> {t('messagesUnreadBadge')}</span>
              </span>
            )}
          </a>
        );
      })}
    </nav>
  );
}
