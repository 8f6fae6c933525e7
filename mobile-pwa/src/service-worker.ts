import { removeAllDrafts } from './form-drafts.ts';

/**
 * Registers the service worker and reports a new version once it is installed and waiting, so
 * the app can ask before switching (a silent switch mid-booking would reload under the patient).
 */
export function registerServiceWorker(onUpdateReady: (apply: () => void) => void): void {
  if (!('serviceWorker' in navigator)) return;
  const apply = (worker: ServiceWorker) => () => {
    navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
    worker.postMessage({ type: 'SKIP_WAITING' });
  };
  navigator.serviceWorker
    .register('/app/sw.js', { scope: '/app/' })
    .then((registration) => {
      const offer = () => {
        if (registration.waiting && navigator.serviceWorker.controller)
          onUpdateReady(apply(registration.waiting));
      };
      offer();
      registration.addEventListener('updatefound', () => {
        registration.installing?.addEventListener('statechange', offer);
      });
      // A phone keeps the app open for days: look for a new version when it comes back to it.
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'visible') registration.update().catch(() => {});
      });
    })
    .catch(() => {
      // No service worker (private mode, plain http on a LAN address): the app still works online.
    });
}

/** Forgets the saved copies of the patient's data and forms' unsent answers (sign-out on a shared phone). */
export async function clearSavedData(): Promise<void> {
  removeAllDrafts(localStorage);
  if ('caches' in window) await caches.delete('clinicbox-api').catch(() => false);
}
