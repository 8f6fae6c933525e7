import type { Db, DbCtx } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import type { Channel } from './messages.ts';
import {
  countDeliveryAttempt,
  type Delivery,
  deleteFinishedDeliveriesBefore,
  findDeliveryById,
  listDeliveriesOfPatient,
  listDeliveriesPage,
  NOT_SENT_PREFIX,
  relabelLoggedDeliveries,
  updateDelivery,
} from './notifications.repo.ts';

export type { Delivery };
export type DeliveryStatus = Delivery['status'];
export const deliveryStatuses: readonly DeliveryStatus[] = ['queued', 'sent', 'failed', 'skipped'];

/**
 * What the log shows of a delivery: its status, except that one skipped because no provider of
 * its channel is configured (only the log driver had it) is 'not-sent' — neither "sent" nor a
 * skip the recipient chose (quiet hours, consent).
 */
export type DeliveryState = DeliveryStatus | 'not-sent';
export const deliveryStates: readonly DeliveryState[] = ['queued', 'sent', 'failed', 'skipped', 'not-sent'];

/** Why a message went nowhere, as the log says it: "not sent (no SMS provider)". */
export const notSentReason = (why: string): string => `${NOT_SENT_PREFIX}${why})`;

export const deliveryStateOf = (d: Pick<Delivery, 'status' | 'lastError'>): DeliveryState =>
  d.status === 'skipped' && d.lastError?.startsWith(NOT_SENT_PREFIX) ? 'not-sent' : d.status;

/** What the log drivers answer: the reasons given to rows an older version logged as sent. */
const loggedReasons = { email: notSentReason('no email server'), sms: notSentReason('no SMS provider') };

/**
 * The delivery log: rows are written by the dispatcher in the transaction that enqueues each
 * message's job, and moved along by the job (attempts, provider id, error, sent or failed).
 * Reading it shows who was written to: each read is audited.
 */
export function deliveryLog(deps: { db: Db; clock: Clock; audit: AuditService }) {
  const { db, clock, audit } = deps;

  const update = (id: string, set: Partial<Delivery>) =>
    db.tx((ctx) => updateDelivery(ctx, id, { ...set, updatedAt: clock.now() }));

  return {
    /** Deletes finished entries created before `before` (queued ones stay until their job ends). */
    prune: (before: Date): Promise<number> => db.tx((ctx) => deleteFinishedDeliveriesBefore(ctx, before)),

    get: (id: string): Promise<Delivery | null> => findDeliveryById(db.reader, id),

    /** Counts one more try (before it is made, so a crash mid-send still shows). */
    attempt: (id: string): Promise<void> => db.tx((ctx) => countDeliveryAttempt(ctx, id, clock.now())),
    sent: (id: string, providerId: string) => update(id, { status: 'sent', providerId, sentAt: clock.now() }),
    /** A try failed; `final` when no retry will follow. */
    failed: (id: string, error: string, final: boolean) =>
      update(id, { lastError: error.slice(0, 500), ...(final ? { status: 'failed' as const } : {}) }),
    skipped: (id: string, reason: string) => update(id, { status: 'skipped', lastError: reason }),
    /** Nothing left the machine: no provider of the channel is configured (`why`: "no SMS provider"). */
    notSent: (id: string, why: string) => update(id, { status: 'skipped', lastError: notSentReason(why) }),
    /** Rows an older version logged as sent while only the log driver had them: not sent. */
    relabelLogged: (): Promise<number> => db.tx((ctx) => relabelLoggedDeliveries(ctx, loggedReasons)),
    /** Sets who it is for and in which language, once known (a sign-in code's patient). */
    async setPatient(ctx: DbCtx, id: string, patientId: string | null, language?: string) {
      await updateDelivery(ctx, id, { patientId, ...(language ? { language } : {}) });
    },
    /** The address it goes to now (the contact changed it since the message was queued). */
    setRecipient: (id: string, recipient: string) => update(id, { recipient }),

    /** One patient's messages, newest first (their chart). Audited. */
    async forPatient(actor: Actor, patientId: string, limit = 50): Promise<Delivery[]> {
      const rows = await listDeliveriesOfPatient(db.reader, patientId, limit);
      await audit.recordRead(actor, {
        action: 'deliveries.read',
        entity: 'patient',
        entityId: patientId,
        patientId,
        details: { rows: rows.length },
      });
      return rows;
    },

    /** Every message, newest first, by status and channel, a page at a time. Audited. */
    async list(
      actor: Actor,
      filter: { status?: DeliveryState; channel?: Channel; page?: number; pageSize?: number },
    ): Promise<{ rows: Delivery[]; total: number; page: number; pageSize: number }> {
      const pageSize = Math.min(Math.max(filter.pageSize ?? 50, 1), 200);
      const page = Math.max(filter.page ?? 1, 1);
      const { rows, total } = await listDeliveriesPage(
        db.reader,
        { status: filter.status, channel: filter.channel },
        { limit: pageSize, offset: (page - 1) * pageSize },
      );
      await audit.recordRead(actor, {
        action: 'deliveries.list',
        entity: 'delivery',
        details: { rows: rows.length, page, status: filter.status ?? null, channel: filter.channel ?? null },
      });
      return { rows, total, page, pageSize };
    },
  };
}

export type DeliveryLog = ReturnType<typeof deliveryLog>;
