import { eq, inArray } from 'drizzle-orm';
import { countPointingAt } from '../../db/reassign.ts';
import { deleteWhere } from '../../db/rows.ts';
import { definePatientEraseStep } from '../patient-erase.ts';

/**
 * The messaging area's part of erasing a patient: their threads and every message in them
 * (with attachments' links and read markers; the documents are the documents area's). Messages
 * are correspondence about the patient's care, so any message counts as clinical content: a plain
 * erase is refused and the record restricted, and the purge after the retention period deletes
 * them. An inbound SMS that staff assigned to one of the messages loses its link, not its row.
 */
export const messagingEraseStep = definePatientEraseStep({
  area: 'messaging',
  deletes: ['message_threads', 'thread_messages'],
  async clinical(ctx, patientId) {
    const m = ctx.t.threadMessages;
    return { messages: await countPointingAt(ctx, m, m.patientId, patientId) };
  },
  async count(ctx, patientId) {
    const t = ctx.t.messageThreads;
    const m = ctx.t.threadMessages;
    return {
      threads: await countPointingAt(ctx, t, t.patientId, patientId),
      messages: await countPointingAt(ctx, m, m.patientId, patientId),
    };
  },
  async erase(ctx, patientId) {
    const t = ctx.t.messageThreads;
    const m = ctx.t.threadMessages;
    const theirMessages = ctx.db.select({ id: m.id }).from(m).where(eq(m.patientId, patientId));
    const theirThreads = ctx.db.select({ id: t.id }).from(t).where(eq(t.patientId, patientId));
    await ctx.db
      .update(ctx.t.unmatchedSms)
      .set({ messageId: null })
      .where(inArray(ctx.t.unmatchedSms.messageId, theirMessages));
    await deleteWhere(
      ctx,
      ctx.t.messageAttachments,
      inArray(ctx.t.messageAttachments.messageId, theirMessages),
    );
    await deleteWhere(ctx, ctx.t.threadReads, inArray(ctx.t.threadReads.threadId, theirThreads));
    await deleteWhere(ctx, ctx.t.threadReads, eq(ctx.t.threadReads.readerId, patientId));
    const messages = await deleteWhere(ctx, m, eq(m.patientId, patientId));
    const threads = await deleteWhere(ctx, t, eq(t.patientId, patientId));
    return { threads, messages };
  },
});
