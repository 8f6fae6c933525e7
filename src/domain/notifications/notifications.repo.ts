import { and, desc, eq, isNull, like, lt, ne, notLike, or, type SQL, sql } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';
import {
  deleteWhere,
  findRow,
  firstRow,
  hasRow,
  pageOfRows,
  updateRow,
  updateWhere,
  upsertRow,
} from '../../db/rows.ts';
import type { Channel, Language, MessageTemplate } from './messages.ts';

/**
 * Every query of the notifications area's own tables: deliveries, sms_usage, message_templates
 * and push_subscriptions. Each takes the reader or a transaction's ctx first; no rules here.
 */

export type Delivery = typeof import('../../db/schema/sqlite.ts').deliveries.$inferSelect;
export type NewDelivery = typeof import('../../db/schema/sqlite.ts').deliveries.$inferInsert;
export type PushSubscription = typeof import('../../db/schema/sqlite.ts').pushSubscriptions.$inferSelect;
export type NewPushSubscription = typeof import('../../db/schema/sqlite.ts').pushSubscriptions.$inferInsert;

// ---------------------------------------------------------------- deliveries

/** Inserts a delivery; null when its dedupe key was used already. */
export async function insertDelivery(ctx: DbCtx, values: NewDelivery): Promise<string | null> {
  const d = ctx.t.deliveries;
  const inserted = await ctx.db.insert(d).values(values).onConflictDoNothing().returning({ id: d.id });
  return inserted[0]?.id ?? null;
}

/** Sets columns of one delivery (the caller sets `updatedAt` when it should move). */
export function updateDelivery(ctx: DbCtx, id: string, set: Partial<Delivery>): Promise<void> {
  return updateWhere(ctx, ctx.t.deliveries, eq(ctx.t.deliveries.id, id), set);
}

/** Counts one more try at the delivery. */
export function countDeliveryAttempt(ctx: DbCtx, id: string, now: Date): Promise<void> {
  const d = ctx.t.deliveries;
  return updateWhere(ctx, d, eq(d.id, id), { attempts: sql`${d.attempts} + 1`, updatedAt: now });
}

/** One delivery, or null. */
export function findDeliveryById(ctx: DbCtx, id: string): Promise<Delivery | null> {
  const d = ctx.t.deliveries;
  return findRow(ctx, d, eq(d.id, id));
}

/** Deletes finished deliveries created before `before`; answers how many. */
export function deleteFinishedDeliveriesBefore(ctx: DbCtx, before: Date): Promise<number> {
  const d = ctx.t.deliveries;
  return deleteWhere(ctx, d, and(lt(d.createdAt, before), ne(d.status, 'queued')));
}

/** One patient's deliveries, newest first. */
export function listDeliveriesOfPatient(ctx: DbCtx, patientId: string, limit: number): Promise<Delivery[]> {
  const d = ctx.t.deliveries;
  return ctx.db
    .select()
    .from(d)
    .where(eq(d.patientId, patientId))
    .orderBy(desc(d.createdAt), desc(d.id))
    .limit(limit);
}

/**
 * The last delivery of `messageType` to `patientId` that was sent, among those dispatched with one
 * of `keyPrefixes` (the dispatcher's key starts each one's dedupe key: an invoice's emails are
 * `invoice-issued:<id>:…` and `invoice-send:<id>:…`), or null. Reads the patient's deliveries
 * only (their index). A prefix may not hold LIKE's wildcards.
 */
export function findLastSentDelivery(
  ctx: DbCtx,
  query: { patientId: string; messageType: string; keyPrefixes: readonly string[] },
): Promise<Pick<Delivery, 'sentAt' | 'recipient' | 'channel'> | null> {
  const d = ctx.t.deliveries;
  if (query.keyPrefixes.length === 0 || query.keyPrefixes.some((p) => /[%_\\]/.test(p)))
    throw new Error('findLastSentDelivery: key prefixes without %, _ or \\ only');
  return firstRow(
    ctx.db
      .select({ sentAt: d.sentAt, recipient: d.recipient, channel: d.channel })
      .from(d)
      .where(
        and(
          eq(d.patientId, query.patientId),
          eq(d.messageType, query.messageType),
          eq(d.status, 'sent'),
          or(...query.keyPrefixes.map((p) => like(d.dedupeKey, `${p}%`))),
        ),
      )
      .orderBy(desc(d.sentAt), desc(d.id))
      .limit(1),
  );
}

/** How the reason of a delivery that went nowhere starts (no provider of its channel: the log driver). */
export const NOT_SENT_PREFIX = 'not sent (';

export interface DeliveryFilter {
  /** A stored status, or 'not-sent': skipped because no provider of the channel is configured. */
  status?: Delivery['status'] | 'not-sent' | undefined;
  channel?: Channel | undefined;
}

/** 'skipped' and 'not-sent' are both stored as skipped; the reason tells them apart. */
const statusWhere = (ctx: DbCtx, status: DeliveryFilter['status']): SQL | undefined => {
  const d = ctx.t.deliveries;
  if (!status) return undefined;
  if (status === 'not-sent') return and(eq(d.status, 'skipped'), like(d.lastError, `${NOT_SENT_PREFIX}%`));
  if (status === 'skipped') {
    return and(eq(d.status, 'skipped'), or(isNull(d.lastError), notLike(d.lastError, `${NOT_SENT_PREFIX}%`)));
  }
  return eq(d.status, status);
};

const deliveryWhere = (ctx: DbCtx, filter: DeliveryFilter): SQL | undefined => {
  const d = ctx.t.deliveries;
  return and(statusWhere(ctx, filter.status), filter.channel ? eq(d.channel, filter.channel) : undefined);
};

/**
 * Deliveries an older version logged as sent while only its log driver had them (provider id
 * `log-<n>`): marked as not sent, with why. Answers how many.
 */
export async function relabelLoggedDeliveries(
  ctx: DbCtx,
  reasons: Record<'email' | 'sms', string>,
): Promise<number> {
  const d = ctx.t.deliveries;
  let n = 0;
  for (const channel of ['email', 'sms'] as const) {
    const rows = await ctx.db
      .update(d)
      .set({ status: 'skipped', lastError: reasons[channel], providerId: null, sentAt: null })
      .where(and(eq(d.status, 'sent'), eq(d.channel, channel), like(d.providerId, 'log-%')))
      .returning({ id: d.id });
    n += rows.length;
  }
  return n;
}

/** A page of deliveries by status and channel, newest first, and how many match in all. */
export async function listDeliveriesPage(
  ctx: DbCtx,
  filter: DeliveryFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: Delivery[]; total: number }> {
  const d = ctx.t.deliveries;
  return pageOfRows(ctx, d, deliveryWhere(ctx, filter), [desc(d.createdAt), desc(d.id)], page);
}

// ---------------------------------------------------------------- SMS usage

/** Records the delivery's SMS segments unless recorded already; false when they were. */
export async function claimDeliverySegments(
  ctx: DbCtx,
  deliveryId: string,
  segments: number,
): Promise<boolean> {
  const d = ctx.t.deliveries;
  const unclaimed = and(eq(d.id, deliveryId), isNull(d.smsSegments));
  return (await updateRow(ctx, d, unclaimed, { smsSegments: segments })) !== null;
}

/** Forgets the delivery's recorded segments (it was not counted after all). */
export function clearDeliverySegments(ctx: DbCtx, deliveryId: string): Promise<void> {
  const d = ctx.t.deliveries;
  return updateWhere(ctx, d, eq(d.id, deliveryId), { smsSegments: null });
}

/**
 * Adds `segments` to the month's count (the month's row is made first), in one conditional
 * update: with `limit`, only while the total stays within it. False when nothing was added.
 */
export async function addSmsSegments(
  ctx: DbCtx,
  month: string,
  segments: number,
  limit: number | null,
): Promise<boolean> {
  const u = ctx.t.smsUsage;
  await ctx.db.insert(u).values({ month, segments: 0 }).onConflictDoNothing();
  const added = sql`${u.segments} + ${segments}`;
  const within = limit !== null ? sql`${added} <= ${limit}` : undefined;
  return (await updateRow(ctx, u, and(eq(u.month, month), within), { segments: added })) !== null;
}

/** The segments counted against `month`'s budget ("YYYY-MM"; 0 when none). */
export async function monthSegments(ctx: DbCtx, month: string): Promise<number> {
  const u = ctx.t.smsUsage;
  const [row] = await ctx.db.select({ segments: u.segments }).from(u).where(eq(u.month, month));
  return row?.segments ?? 0;
}

// ---------------------------------------------------------------- message templates

export interface TemplateRowKey {
  type: string;
  channel: Channel;
  language: Language;
}

const templateWhere = (ctx: DbCtx, key: TemplateRowKey) => {
  const m = ctx.t.messageTemplates;
  return and(eq(m.messageType, key.type), eq(m.channel, key.channel), eq(m.language, key.language));
};

/** The clinic's own wording for the key, or null. */
export async function findTemplate(ctx: DbCtx, key: TemplateRowKey): Promise<MessageTemplate | null> {
  const row = await findRow(ctx, ctx.t.messageTemplates, templateWhere(ctx, key));
  return row ? { subject: row.subject ?? undefined, body: row.body } : null;
}

/** The keys of every template the clinic changed. */
export async function listTemplateKeys(
  ctx: DbCtx,
): Promise<{ messageType: string; channel: Channel; language: string }[]> {
  const m = ctx.t.messageTemplates;
  return ctx.db.select({ messageType: m.messageType, channel: m.channel, language: m.language }).from(m);
}

/** Saves the clinic's wording for the key, replacing any earlier. */
export async function upsertTemplate(
  ctx: DbCtx,
  key: TemplateRowKey,
  values: { subject: string | null; body: string; updatedBy: string | null; updatedAt: Date },
): Promise<void> {
  const m = ctx.t.messageTemplates;
  await upsertRow(
    ctx,
    m,
    { messageType: key.type, channel: key.channel, language: key.language, ...values },
    [m.messageType, m.channel, m.language],
    values,
  );
}

/** Deletes the clinic's wording for the key (the shipped one applies again). */
export async function deleteTemplate(ctx: DbCtx, key: TemplateRowKey): Promise<void> {
  await deleteWhere(ctx, ctx.t.messageTemplates, templateWhere(ctx, key));
}

// ---------------------------------------------------------------- push subscriptions

/** Whose device the endpoint is, if it is saved. */
export function findPushSubscriptionOwner(
  ctx: DbCtx,
  endpoint: string,
): Promise<{ patientId: string } | null> {
  const p = ctx.t.pushSubscriptions;
  return firstRow(ctx.db.select({ patientId: p.patientId }).from(p).where(eq(p.endpoint, endpoint)));
}

/**
 * Saves a subscription, or gives its endpoint's row to `values.patientId` with the new keys (one
 * statement for both: concurrent saves of one endpoint meet at its unique index). Answers the id.
 */
export async function upsertPushSubscription(ctx: DbCtx, values: NewPushSubscription): Promise<string> {
  const p = ctx.t.pushSubscriptions;
  const [row] = await ctx.db
    .insert(p)
    .values(values)
    .onConflictDoUpdate({
      target: p.endpoint,
      set: { patientId: values.patientId, p256dh: values.p256dh, auth: values.auth, failures: 0 },
    })
    .returning({ id: p.id });
  return row!.id;
}

/** Deletes every subscription of the patient; answers how many. */
export function deletePushSubscriptionsOfPatient(ctx: DbCtx, patientId: string): Promise<number> {
  const p = ctx.t.pushSubscriptions;
  return deleteWhere(ctx, p, eq(p.patientId, patientId));
}

/** Deletes the endpoint's subscription if it is the patient's; answers how many (none or one). */
export function deletePatientPushEndpoint(ctx: DbCtx, patientId: string, endpoint: string): Promise<number> {
  const p = ctx.t.pushSubscriptions;
  return deleteWhere(ctx, p, and(eq(p.endpoint, endpoint), eq(p.patientId, patientId)));
}

/** Deletes one subscription (its push service says it is gone). */
export async function deletePushSubscription(ctx: DbCtx, id: string): Promise<void> {
  const p = ctx.t.pushSubscriptions;
  await deleteWhere(ctx, p, eq(p.id, id));
}

/** Every device subscription of the patient. */
export function listPushSubscriptionsOfPatient(ctx: DbCtx, patientId: string): Promise<PushSubscription[]> {
  const p = ctx.t.pushSubscriptions;
  return ctx.db.select().from(p).where(eq(p.patientId, patientId));
}

/** How many devices the patient subscribed. */
export async function countPushSubscriptionsOfPatient(ctx: DbCtx, patientId: string): Promise<number> {
  const p = ctx.t.pushSubscriptions;
  return (await ctx.db.select({ id: p.id }).from(p).where(eq(p.patientId, patientId))).length;
}

/** Whether the patient has at least one device subscribed. */
export function hasPushSubscription(ctx: DbCtx, patientId: string): Promise<boolean> {
  const p = ctx.t.pushSubscriptions;
  return hasRow(ctx, p, eq(p.patientId, patientId));
}

/** A push the device's service took: the failure count starts again. */
export function recordPushSuccess(ctx: DbCtx, id: string, now: Date): Promise<void> {
  const p = ctx.t.pushSubscriptions;
  return updateWhere(ctx, p, eq(p.id, id), { lastSuccessAt: now, failures: 0 });
}

/** One more failed push to the device. */
export function countPushFailure(ctx: DbCtx, id: string): Promise<void> {
  const p = ctx.t.pushSubscriptions;
  return updateWhere(ctx, p, eq(p.id, id), { failures: sql`${p.failures} + 1` });
}
