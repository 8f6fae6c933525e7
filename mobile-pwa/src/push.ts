import { api } from './api.ts';

/** Web push is possible here and the patient has not refused it. */
export function canAskForPush(): boolean {
  return (
    'serviceWorker' in navigator &&
    'PushManager' in window &&
    'Notification' in window &&
    Notification.permission !== 'denied'
  );
}

export async function hasPushSubscription(): Promise<boolean> {
  if (!('serviceWorker' in navigator)) return false;
  const registration = await navigator.serviceWorker.getRegistration('/app/');
  return Boolean(await registration?.pushManager.getSubscription());
}

const fromBase64Url = (s: string): Uint8Array<ArrayBuffer> => {
  const b64 = s
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(s.length / 4) * 4, '=');
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
};

/** Asks the browser for permission, subscribes with the clinic's VAPID key and tells the server. */
export async function enablePush(): Promise<void> {
  if ((await Notification.requestPermission()) !== 'granted') throw new Error('not granted');
  const registration = await navigator.serviceWorker.ready;
  const { data } = await api.get<{ publicKey: string }>('/api/v1/push/public-key');
  const subscription = await registration.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: fromBase64Url(data.publicKey),
  });
  await api.post('/api/v1/me/push-subscriptions', subscription.toJSON());
}

/** Stops push on this phone: the server forgets it (when reachable) and the browser drops it. */
export async function disablePush(): Promise<void> {
  const registration = await navigator.serviceWorker?.getRegistration('/app/');
  const subscription = await registration?.pushManager.getSubscription();
  if (!subscription) return;
  await api.delete('/api/v1/me/push-subscriptions', { endpoint: subscription.endpoint }).catch(() => {});
  await subscription.unsubscribe();
}

/** Tells the server this phone's current subscription, if it has one. */
export async function resendPushSubscription(): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  const registration = await navigator.serviceWorker.getRegistration('/app/');
  const subscription = await registration?.pushManager.getSubscription();
  if (subscription) await api.post('/api/v1/me/push-subscriptions', subscription.toJSON());
}
