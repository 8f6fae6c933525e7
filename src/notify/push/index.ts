/**
 * Web push to installed patient apps: the `web-push` package encrypts the payload (aes128gcm,
 * RFC 8291) and signs the VAPID JWT (RFC 8292); the request itself goes through fetch, which
 * works the same under Node and Bun (web-push's own sender speaks HTTPS only, through Node's
 * https module), never following a redirect (one is a permanent failure). 404 and 410 mean the subscription is gone; other 4xx are permanent; 429, 5xx,
 * timeouts and network errors may be retried.
 */
export interface PushTarget {
  endpoint: string;
  p256dh: string;
  auth: string;
}

export interface VapidKeys {
  /** mailto: or https: contact the push service may use. */
  subject: string;
  publicKey: string;
  privateKey: string;
}

export interface PushTransport {
  send(
    target: PushTarget,
    payload: string,
    options: { vapid: VapidKeys; ttlSeconds?: number; timeoutMs?: number },
  ): Promise<{ providerId: string }>;
}

/** The push service says the subscription no longer exists (404/410): forget it. */
export class GonePushSubscription extends Error {
  override name = 'GonePushSubscription';
}

export class PermanentPushError extends Error {
  override name = 'PermanentPushError';
}

// web-push is loaded with the first push (start-up time and idle memory).
let lib: Promise<typeof import('web-push')> | undefined;
const webPush = async () => {
  lib ??= import('web-push');
  const mod = (await lib) as typeof import('web-push') & {
    default?: typeof import('web-push');
  };
  return mod.default ?? mod;
};

/** A new VAPID key pair (base64url), made once at first start and kept in the database. */
export async function generateVapidKeys(): Promise<{ publicKey: string; privateKey: string }> {
  return (await webPush()).generateVAPIDKeys();
}

export function webPushTransport(): PushTransport {
  return {
    async send(target, payload, options) {
      const details = (await webPush()).generateRequestDetails(
        { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } },
        payload,
        {
          vapidDetails: options.vapid,
          TTL: options.ttlSeconds ?? 86_400,
          contentEncoding: 'aes128gcm',
        },
      );
      let res: Response;
      try {
        res = await fetch(details.endpoint, {
          method: details.method,
          headers: details.headers as Record<string, string>,
          body: details.body as Uint8Array<ArrayBuffer>,
          // A push service never redirects; following one would let it point the server anywhere.
          redirect: 'manual',
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
      } catch (e) {
        throw new Error(`could not reach the push service (${(e as Error).message})`);
      }
      await res.arrayBuffer().catch(() => undefined);
      if ((res.status >= 300 && res.status < 400) || res.type === 'opaqueredirect') {
        throw new PermanentPushError(`the push service answered a redirect (${res.status}), not followed`);
      }
      if (res.status === 404 || res.status === 410) {
        throw new GonePushSubscription(`the push service no longer knows this subscription (${res.status})`);
      }
      if (res.status >= 400 && res.status < 500 && res.status !== 429) {
        throw new PermanentPushError(`the push service refused the message (${res.status})`);
      }
      if (!res.ok) throw new Error(`the push service answered ${res.status}`);
      return { providerId: res.headers.get('location') ?? `push-${res.status}` };
    },
  };
}
