/* Clinicbox patient app service worker (placeholder): precaches the app shell, serves it offline.
 * build.ts replaces __PRECACHE__ with the shell's file list and __VERSION__ with a hash of it,
 * so every build that changes the shell installs a new worker and drops the old cache. */
const VERSION = '__VERSION__';
const PRECACHE = __PRECACHE__;
const CACHE = `clinicbox-shell-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
  );
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

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !url.pathname.startsWith('/app/')) return;
  if (request.mode === 'navigate') {
    // Network first for pages, the cached shell when offline.
    event.respondWith(fetch(request).catch(() => caches.match('/app/', { cacheName: CACHE })));
    return;
  }
  event.respondWith(caches.match(request, { cacheName: CACHE }).then((hit) => hit || fetch(request)));
});
