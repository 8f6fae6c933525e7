import { z } from 'zod';
import type { Db, DbCtx } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Key } from '../../lib/crypto.ts';
import { fieldIssue, validated, validationFailed } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { issueKey } from '../../lib/messages.ts';
import {
  GonePushSubscription,
  generateVapidKeys,
  PermanentPushError,
  type PushTransport,
} from '../../notify/push/index.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import {
  countPushFailure,
  countPushSubscriptionsOfPatient,
  deletePatientPushEndpoint,
  deletePushSubscription,
  deletePushSubscriptionsOfPatient,
  findPushSubscriptionOwner,
  hasPushSubscription,
  listPushSubscriptionsOfPatient,
  recordPushSuccess,
  upsertPushSubscription,
} from './notifications.repo.ts';
import { storedKey } from './stored-keys.ts';

/** What the browser's PushSubscription.toJSON() gives (expirationTime ignored). */
export const pushSubscriptionInput = z.object({
  endpoint: z.url(issueKey('push_endpoint_invalid')).max(2000),
  expirationTime: z.number().nullable().optional(),
  keys: z.strictObject({
    p256dh: z.string().regex(/^[A-Za-z0-9_-]{80,100}={0,2}$/, issueKey('push_p256dh_invalid')),
    auth: z.string().regex(/^[A-Za-z0-9_-]{16,32}={0,2}$/, issueKey('push_auth_invalid')),
  }),
});
export const pushEndpointInput = z.strictObject({ endpoint: z.string().min(1).max(2000) });

/**
 * The push services browsers subscribe with (Chrome/Edge via FCM, Firefox, Safari, Windows), by
 * host suffix. The server POSTs to whatever endpoint a patient saves, so only https on port 443 to
 * one of these is accepted: not the server itself, the clinic's network, or any other host a
 * resolver might map there (`localhost.`, `127.0.0.1.nip.io`). A trailing dot is refused.
 */
export const pushServiceHosts: readonly string[] = [
  'fcm.googleapis.com',
  'updates.push.services.mozilla.com',
  'push.services.mozilla.com',
  '.push.apple.com',
  '.notify.windows.com',
];

/** Whether the server may POST to `endpoint`: https, port 443, a known push service's host. */
export function isPushServiceEndpoint(endpoint: string): boolean {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  const host = url.hostname.toLowerCase();
  if (url.protocol !== 'https:' || url.port !== '' || url.username || url.password) return false;
  if (host.endsWith('.')) return false;
  return pushServiceHosts.some((h) =>
    h.startsWith('.') ? host.endsWith(h) && host.length > h.length : host === h,
  );
}

interface PushDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  transport: PushTransport;
  /** mailto: or https: contact for the push services (from --mail-from or the base URL). */
  subject: string;
  /** Tests only: accept http and local endpoints (a local push service). */
  allowLocalEndpoints?: boolean;
  /** Seals the VAPID private key in the database (stored-keys.ts). */
  secrets: Key;
}

/**
 * Web push for patients' installed apps: the VAPID key pair (made at first start, stored sealed in
 * the database, never logged), the subscriptions per patient, and sending one notification to every
 * device of a patient. A subscription the push service says is gone (404/410) is deleted.
 */
export function patientPush(deps: PushDeps) {
  const { db, audit } = deps;
  const vapid = storedKey(deps, 'push.vapid', generateVapidKeys);

  return {
    publicKey: async (): Promise<string> => (await vapid()).publicKey,

    /** Saves the device's subscription; the same endpoint again answers the same id. */
    async subscribe(actor: Actor & { id: string }, input: unknown, userAgent: string | null) {
      const s = validated(pushSubscriptionInput, input);
      if (!deps.allowLocalEndpoints && !isPushServiceEndpoint(s.endpoint)) {
        throw validationFailed([fieldIssue('endpoint', 'push_endpoint_not_push_service')]);
      }
      return db.tx(async (ctx) => {
        const before = await findPushSubscriptionOwner(ctx, s.endpoint);
        const id = newId();
        // One statement for both cases: two devices' (or two tabs') POSTs at once on PostgreSQL
        // meet at the unique endpoint instead of failing on it.
        const savedId = await upsertPushSubscription(ctx, {
          id,
          patientId: actor.id,
          endpoint: s.endpoint,
          p256dh: s.keys.p256dh,
          auth: s.keys.auth,
          userAgent: userAgent?.slice(0, 300) ?? null,
          createdAt: deps.clock.now(),
        });
        const created = savedId === id;
        if (created || (before && before.patientId !== actor.id)) {
          // A device that moves to another patient (a shared phone) is a change of who gets what.
          await audit.record(ctx, actor, {
            action: created ? 'patient.push-subscribe' : 'patient.push-subscription-moved',
            entity: 'push_subscription',
            entityId: savedId,
            patientId: actor.id,
            ...(created ? {} : { details: { fromPatientId: before!.patientId } }),
          });
        }
        return { id: savedId, created };
      });
    },

    /** Forgets every device of the patient ("sign out everywhere"); answers how many. */
    async unsubscribeAll(actor: Actor, patientId: string): Promise<number> {
      return db.tx(async (ctx) => {
        const gone = await deletePushSubscriptionsOfPatient(ctx, patientId);
        if (gone) {
          await audit.record(ctx, actor, {
            action: 'patient.push-unsubscribe-all',
            entity: 'push_subscription',
            patientId,
            details: { devices: gone },
          });
        }
        return gone;
      });
    },

    /** Forgets the device (only the patient's own). */
    async unsubscribe(actor: Actor & { id: string }, input: unknown): Promise<void> {
      const { endpoint } = validated(pushEndpointInput, input);
      await db.tx((ctx) => deletePatientPushEndpoint(ctx, actor.id, endpoint));
    },

    /** How many devices get the patient's push notifications (their chart). */
    countDevices: (patientId: string): Promise<number> =>
      countPushSubscriptionsOfPatient(db.reader, patientId),

    hasDevices: (ctx: DbCtx, patientId: string): Promise<boolean> => hasPushSubscription(ctx, patientId),

    sendToPatient: (patientId: string, message: PushMessage) =>
      sendToPatientDevices(deps, vapid, patientId, message),
  };
}

export type PatientPush = ReturnType<typeof patientPush>;

interface PushMessage {
  title: string;
  body: string;
  url: string;
}

/**
 * Sends to every device of the patient. Sent when one device took it; a device that is gone
 * is deleted; when none is left the message fails for good; when the rest only failed for
 * now (5xx, timeout) it throws for the job to retry.
 */
async function sendToPatientDevices(
  deps: PushDeps,
  vapid: () => Promise<{ publicKey: string; privateKey: string }>,
  patientId: string,
  message: PushMessage,
): Promise<{ providerId: string }> {
  const { db, clock, transport } = deps;
  const subs = await listPushSubscriptionsOfPatient(db.reader, patientId);
  if (subs.length === 0) throw new PermanentPushError('the patient has no device subscribed to push');
  const keys = await vapid();
  const payload = JSON.stringify(message);
  let sent = 0;
  let retry: Error | null = null;
  for (const s of subs) {
    try {
      // Saved before the allowlist (or edited in the database): never POSTed to.
      if (!deps.allowLocalEndpoints && !isPushServiceEndpoint(s.endpoint)) {
        throw new GonePushSubscription('not a push service’s endpoint');
      }
      await transport.send(s, payload, { vapid: { subject: deps.subject, ...keys } });
      sent++;
      await db.tx((ctx) => recordPushSuccess(ctx, s.id, clock.now()));
    } catch (e) {
      await db.tx((ctx) =>
        e instanceof GonePushSubscription ? deletePushSubscription(ctx, s.id) : countPushFailure(ctx, s.id),
      );
      if (!(e instanceof GonePushSubscription) && !(e instanceof PermanentPushError)) retry = e as Error;
    }
  }
  if (sent > 0) return { providerId: `push:${sent}/${subs.length}` };
  if (retry) throw retry;
  throw new PermanentPushError('no device took the notification (subscriptions gone or refused)');
}
