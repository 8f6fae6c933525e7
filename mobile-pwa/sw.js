/* Clinicbox patient app service worker.
 *  - The app shell is precached at install; build.ts replaces __PRECACHE__ with its file list and
 *    __VERSION__ with a hash of it, so every build that changes the shell installs a new worker.
 *    A new worker waits until the app says so (the "new version" prompt), then takes over.
 *  - The patient's own reads (profile, appointments, forms, …) go network-first; the last good answer is
 *    kept so the app still shows them offline, marked with X-Clinicbox-Offline. The app clears it
 *    at sign-out, and a 401 clears it too (signed out elsewhere).
 *  - Web push: shows the notification (it carries no health details) and opens its link. */
const VERSION = '__VERSION__';
const PRECACHE = __PRECACHE__;
const CACHE = `clinicbox-shell-${VERSION}`;
const API_CACHE = 'clinicbox-api';
const CACHED_READS = new Set([
  '/api/v1/me',
  '/api/v1/me/appointments',
  '/api/v1/me/dependents',
  '/api/v1/me/waitlist',
  '/api/v1/me/documents',
  '/api/v1/me/forms',
  '/api/v1/me/threads',
  '/api/v1/me/invoices',
  '/api/v1/clinic',
  '/api/v1/services',
  '/api/v1/practitioners',
]);
// One form with its template's fields and the answers saved: fillable offline (issue 17).
const CACHED_FORM = /^\/api\/v1\/me\/forms\/[^/]+$/;
// One conversation as last opened: readable offline (issue 19).
const CACHED_THREAD = /^\/api\/v1\/me\/threads\/[^/]+$/;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys.filter((k) => k.startsWith('clinicbox-shell-') && k !== CACHE).map((k) => caches.delete(k)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if (event.data?.type === 'SKIP_WAITING') self.skipWaiting();
  if (event.data?.type === 'CLEAR_DATA') event.waitUntil(caches.delete(API_CACHE));
});

const offlineAnswer = () =>
  new Response(JSON.stringify({ error: { code: 'offline', message: 'You are offline.' } }), {
    status: 503,
    headers: { 'Content-Type': 'application/json', 'X-Clinicbox-Offline': '1' },
  });

async function networkFirst(request) {
  const cache = await caches.open(API_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    else if (response.status === 401) await caches.delete(API_CACHE);
    return response;
  } catch {
    const hit = await cache.match(request);
    if (!hit) return offlineAnswer();
    const headers = new Headers(hit.headers);
    headers.set('X-Clinicbox-Offline', '1');
    return new Response(await hit.blob(), { status: hit.status, headers });
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (CACHED_READS.has(url.pathname) || CACHED_FORM.test(url.pathname) || CACHED_THREAD.test(url.pathname)) {
    event.respondWith(networkFirst(request));
    return;
  }
  if (!url.pathname.startsWith('/app/')) return;
  // The page and the manifest (named after the clinic, which may be renamed) from the network
  // first; the cached copies offline.
  if (request.mode === 'navigate' || url.pathname === '/app/manifest.webmanifest') {
    const fallback = request.mode === 'navigate' ? '/app/' : request;
    event.respondWith(fetch(request).catch(() => caches.match(fallback, { cacheName: CACHE })));
    return;
  }
  event.respondWith(caches.match(request, { cacheName: CACHE }).then((hit) => hit || fetch(request)));
});

self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { body: event.data ? event.data.text() : '' };
  }
  event.waitUntil(
    self.registration.showNotification(data.title || 'Your clinic', {
      body: data.body || '',
      icon: '/app/icon-192.png',
      badge: '/app/icon-192.png',
      data: { url: data.url || '/app/' },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const target = new URL(event.notification.data?.url || '/app/', self.location.origin);
  if (target.origin !== self.location.origin) return;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      const open = windows.find((w) => w.url.startsWith(`${self.location.origin}/app/`));
      // navigate() fails on a window this worker does not control: open a new one then.
      if (open)
        return open
          .navigate(target.href)
          .then((w) => (w ?? open).focus())
          .catch(() => self.clients.openWindow(target.href));
      return self.clients.openWindow(target.href);
    }),
  );
});

// The browser renewed the subscription (keys rotated, expired): subscribe again and tell the
// server, or reminders would stop without the patient knowing.
self.addEventListener('pushsubscriptionchange', (event) => {
  event.waitUntil(
    (async () => {
      let subscription = event.newSubscription;
      if (!subscription) {
        let key = event.oldSubscription?.options?.applicationServerKey;
        if (!key) {
          const answer = await fetch('/api/v1/push/public-key');
          const { publicKey } = await answer.json();
          const b64 = publicKey.replace(/-/g, '+').replace(/_/g, '/');
          key = Uint8Array.from(atob(b64.padEnd(Math.ceil(b64.length / 4) * 4, '=')), (c) => c.charCodeAt(0));
        }
        subscription = await self.registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: key,
        });
      }
      await fetch('/api/v1/me/push-subscriptions', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(subscription.toJSON()),
      });
    })(),
  );
});
