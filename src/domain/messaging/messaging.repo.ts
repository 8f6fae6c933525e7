import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';
import {
  countWhere,
  deleteWhere,
  findRow,
  insertRow,
  rowsWhereIn,
  updateRow,
  upsertRow,
} from '../../db/rows.ts';

/**
 * Every query of the messaging area's tables (message_threads, thread_messages,
 * message_attachments, thread_reads, quick_replies, messaging_settings, staff_message_alerts,
 * unmatched_sms, inbound_sms_seen); no other file names them. No rules here.
 */
type Tables = typeof import('../../db/schema/sqlite.ts');
export type ThreadRow = Tables['messageThreads']['$inferSelect'];
export type NewThreadRow = Tables['messageThreads']['$inferInsert'];
export type MessageRow = Tables['threadMessages']['$inferSelect'];
export type NewMessageRow = Tables['threadMessages']['$inferInsert'];
export type QuickReplyRow = Tables['quickReplies']['$inferSelect'];
export type SettingsRow = Tables['messagingSettings']['$inferSelect'];
export type UnmatchedSmsRow = Tables['unmatchedSms']['$inferSelect'];
type ThreadChanges = Partial<Omit<NewThreadRow, 'id' | 'patientId'>>;

// ------------------------------------------------------------------- threads

export function insertThread(ctx: DbCtx, values: NewThreadRow): Promise<ThreadRow> {
  return insertRow(ctx, ctx.t.messageThreads, values);
}

export function findThreadById(ctx: DbCtx, id: string): Promise<ThreadRow | null> {
  return findRow(ctx, ctx.t.messageThreads, eq(ctx.t.messageThreads.id, id));
}

export function updateThread(ctx: DbCtx, id: string, changes: ThreadChanges): Promise<ThreadRow | null> {
  return updateRow(ctx, ctx.t.messageThreads, eq(ctx.t.messageThreads.id, id), changes);
}

/** The threads of these patients, latest message first. */
export function listThreadsOfPatients(ctx: DbCtx, patientIds: readonly string[]): Promise<ThreadRow[]> {
  const t = ctx.t.messageThreads;
  return rowsWhereIn(ctx, t, t.patientId, patientIds, [desc(t.lastMessageAt), asc(t.id)]);
}

/** What the staff list is filtered by (each optional). */
export interface ThreadFilter {
  status?: 'open' | 'closed' | undefined;
  /** A staff id, or null: unassigned (the front desk). */
  assignee?: string | null | undefined;
  patientId?: string | undefined;
  limit: number;
}

/** Threads for staff, latest message first. */
export function listThreads(ctx: DbCtx, filter: ThreadFilter): Promise<ThreadRow[]> {
  const t = ctx.t.messageThreads;
  const where: SQL[] = [];
  if (filter.status) where.push(eq(t.status, filter.status));
  if (filter.assignee === null) where.push(isNull(t.assignedTo));
  else if (filter.assignee !== undefined) where.push(eq(t.assignedTo, filter.assignee));
  if (filter.patientId) where.push(eq(t.patientId, filter.patientId));
  return ctx.db
    .select()
    .from(t)
    .where(and(...where))
    .orderBy(desc(t.lastMessageAt), asc(t.id))
    .limit(filter.limit);
}

/** The patient's latest open thread (where an SMS reply lands), or null. */
export function findLatestOpenThread(ctx: DbCtx, patientId: string): Promise<ThreadRow | null> {
  const t = ctx.t.messageThreads;
  return ctx.db
    .select()
    .from(t)
    .where(and(eq(t.patientId, patientId), eq(t.status, 'open')))
    .orderBy(desc(t.lastMessageAt), asc(t.id))
    .limit(1)
    .then((rows) => rows[0] ?? null);
}

// ------------------------------------------------------------------- messages

export function insertMessage(ctx: DbCtx, values: NewMessageRow): Promise<MessageRow> {
  return insertRow(ctx, ctx.t.threadMessages, values);
}

export function findMessageById(ctx: DbCtx, id: string): Promise<MessageRow | null> {
  return findRow(ctx, ctx.t.threadMessages, eq(ctx.t.threadMessages.id, id));
}

/** A thread's messages, oldest first. */
export function listMessagesOfThread(ctx: DbCtx, threadId: string): Promise<MessageRow[]> {
  const m = ctx.t.threadMessages;
  return ctx.db.select().from(m).where(eq(m.threadId, threadId)).orderBy(asc(m.createdAt), asc(m.id));
}

/** How many messages patients wrote (as `authorId`, or to `patientId`'s threads) since `since`: the rate limit. */
export async function countPatientMessagesSince(
  ctx: DbCtx,
  who: { authorId: string; patientId: string },
  since: Date,
): Promise<number> {
  const m = ctx.t.threadMessages;
  const theirsSince = and(
    inArray(m.authorKind, ['patient', 'guardian', 'sms']),
    or(eq(m.authorId, who.authorId), eq(m.patientId, who.patientId)),
    gt(m.createdAt, since),
  );
  return countWhere(ctx, m, theirsSince);
}

// ------------------------------------------------------------------- attachments

export async function insertAttachments(
  ctx: DbCtx,
  messageId: string,
  documentIds: readonly string[],
): Promise<void> {
  for (const documentId of documentIds) {
    await ctx.db.insert(ctx.t.messageAttachments).values({ messageId, documentId });
  }
}

/** The documents attached to these messages, by message. */
export async function listAttachments(
  ctx: DbCtx,
  messageIds: readonly string[],
): Promise<Map<string, string[]>> {
  const a = ctx.t.messageAttachments;
  const out = new Map<string, string[]>();
  if (messageIds.length === 0) return out;
  const rows = await ctx.db
    .select()
    .from(a)
    .where(inArray(a.messageId, [...messageIds]))
    .orderBy(asc(a.documentId));
  for (const r of rows) out.set(r.messageId, [...(out.get(r.messageId) ?? []), r.documentId]);
  return out;
}

// ------------------------------------------------------------------- read markers

/** Sets how far `readerId` has read `threadId` (never backwards). */
export async function markThreadRead(
  ctx: DbCtx,
  threadId: string,
  readerId: string,
  readerKind: 'patient' | 'staff',
  at: Date,
): Promise<void> {
  const r = ctx.t.threadReads;
  await upsertRow(ctx, r, { threadId, readerId, readerKind, readAt: at }, [r.threadId, r.readerId], {
    readAt: at,
  });
}

/** When `readerId` last read each of these threads. */
export async function findReadMarkers(
  ctx: DbCtx,
  threadIds: readonly string[],
  readerId: string,
): Promise<Map<string, Date>> {
  const r = ctx.t.threadReads;
  if (threadIds.length === 0) return new Map();
  const rows = await ctx.db
    .select()
    .from(r)
    .where(and(eq(r.readerId, readerId), inArray(r.threadId, [...threadIds])));
  return new Map(rows.map((row) => [row.threadId, row.readAt]));
}

/** Threads of these patients with a staff message `readerId` has not read. */
export async function countUnreadForPatient(
  ctx: DbCtx,
  patientIds: readonly string[],
  readerId: string,
): Promise<number> {
  const t = ctx.t.messageThreads;
  const r = ctx.t.threadReads;
  if (patientIds.length === 0) return 0;
  const [row] = await ctx.db
    .select({ n: sql<number>`count(*)` })
    .from(t)
    .leftJoin(r, and(eq(r.threadId, t.id), eq(r.readerId, readerId)))
    .where(
      and(
        inArray(t.patientId, [...patientIds]),
        isNotNull(t.lastStaffAt),
        or(isNull(r.readAt), gt(t.lastStaffAt, r.readAt)),
      ),
    );
  return Number(row?.n ?? 0);
}

/** Open threads with a patient message `staffId` has not read: assigned to them, and unassigned. */
export async function countUnreadForStaff(
  ctx: DbCtx,
  staffId: string,
): Promise<{ mine: number; unassigned: number }> {
  const t = ctx.t.messageThreads;
  const r = ctx.t.threadReads;
  const rows = await ctx.db
    .select({
      mine: sql<number>`case when ${t.assignedTo} is null then 0 else 1 end`,
      n: sql<number>`count(*)`,
    })
    .from(t)
    .leftJoin(r, and(eq(r.threadId, t.id), eq(r.readerId, staffId)))
    .where(
      and(
        eq(t.status, 'open'),
        or(isNull(t.assignedTo), eq(t.assignedTo, staffId)),
        isNotNull(t.lastPatientAt),
        or(isNull(r.readAt), gt(t.lastPatientAt, r.readAt)),
      ),
    )
    .groupBy(sql`case when ${t.assignedTo} is null then 0 else 1 end`);
  const out = { mine: 0, unassigned: 0 };
  for (const row of rows) out[Number(row.mine) === 1 ? 'mine' : 'unassigned'] = Number(row.n);
  return out;
}

// ------------------------------------------------------------------- quick replies

export function listQuickReplies(ctx: DbCtx): Promise<QuickReplyRow[]> {
  const q = ctx.t.quickReplies;
  return ctx.db.select().from(q).orderBy(asc(q.title), asc(q.id));
}

export function findQuickReply(ctx: DbCtx, id: string): Promise<QuickReplyRow | null> {
  return findRow(ctx, ctx.t.quickReplies, eq(ctx.t.quickReplies.id, id));
}

export function insertQuickReply(ctx: DbCtx, values: QuickReplyRow): Promise<QuickReplyRow> {
  return insertRow(ctx, ctx.t.quickReplies, values);
}

export function updateQuickReply(
  ctx: DbCtx,
  id: string,
  changes: { title: string; text: string; updatedAt: Date },
): Promise<QuickReplyRow | null> {
  return updateRow(ctx, ctx.t.quickReplies, eq(ctx.t.quickReplies.id, id), changes);
}

export function deleteQuickReply(ctx: DbCtx, id: string): Promise<number> {
  return deleteWhere(ctx, ctx.t.quickReplies, eq(ctx.t.quickReplies.id, id));
}

// ------------------------------------------------------------------- settings and alerts

export function findSettings(ctx: DbCtx): Promise<SettingsRow | null> {
  return findRow(ctx, ctx.t.messagingSettings, eq(ctx.t.messagingSettings.id, 'clinic'));
}

export async function saveSettings(ctx: DbCtx, values: Omit<SettingsRow, 'id'>): Promise<void> {
  const s = ctx.t.messagingSettings;
  await upsertRow(ctx, s, { id: 'clinic', ...values }, s.id, values);
}

export async function findStaffEmailAlert(ctx: DbCtx, staffId: string): Promise<boolean> {
  const a = ctx.t.staffMessageAlerts;
  const row = await findRow(ctx, a, eq(a.staffId, staffId));
  return row?.email ?? false;
}

export async function saveStaffEmailAlert(
  ctx: DbCtx,
  staffId: string,
  email: boolean,
  at: Date,
): Promise<void> {
  const a = ctx.t.staffMessageAlerts;
  await upsertRow(ctx, a, { staffId, email, updatedAt: at }, a.staffId, { email, updatedAt: at });
}

/** The staff members who asked for an email when a patient writes. */
export async function listStaffWithEmailAlerts(ctx: DbCtx): Promise<string[]> {
  const a = ctx.t.staffMessageAlerts;
  const rows = await ctx.db
    .select({ id: a.staffId })
    .from(a)
    .where(eq(a.email, true))
    .orderBy(asc(a.staffId));
  return rows.map((r) => r.id);
}

// ------------------------------------------------------------------- inbound SMS

/** Records an inbound SMS's provider id; false when it was seen before (a provider's retry). */
export async function markInboundSeen(
  ctx: DbCtx,
  provider: string,
  providerId: string,
  at: Date,
): Promise<boolean> {
  const s = ctx.t.inboundSmsSeen;
  const rows = await ctx.db
    .insert(s)
    .values({ provider, providerId, receivedAt: at })
    .onConflictDoNothing()
    .returning({ one: s.provider });
  return rows.length > 0;
}

export function insertUnmatchedSms(ctx: DbCtx, values: UnmatchedSmsRow): Promise<UnmatchedSmsRow> {
  return insertRow(ctx, ctx.t.unmatchedSms, values);
}

export function findUnmatchedSms(ctx: DbCtx, id: string): Promise<UnmatchedSmsRow | null> {
  return findRow(ctx, ctx.t.unmatchedSms, eq(ctx.t.unmatchedSms.id, id));
}

/** Inbound SMS from unknown numbers not yet assigned, newest first. */
export function listOpenUnmatchedSms(ctx: DbCtx, limit: number): Promise<UnmatchedSmsRow[]> {
  const u = ctx.t.unmatchedSms;
  return ctx.db
    .select()
    .from(u)
    .where(isNull(u.resolvedAt))
    .orderBy(desc(u.receivedAt), asc(u.id))
    .limit(limit);
}

/** Marks an unmatched SMS assigned (null when it was already). */
export function resolveUnmatchedSms(
  ctx: DbCtx,
  id: string,
  changes: { messageId: string; resolvedAt: Date; resolvedBy: string },
): Promise<UnmatchedSmsRow | null> {
  const u = ctx.t.unmatchedSms;
  return updateRow(ctx, u, and(eq(u.id, id), isNull(u.resolvedAt)), changes);
}
