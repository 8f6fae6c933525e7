import { eq, or } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';
import { countPointingAt, reassignColumn } from '../../db/reassign.ts';
import { countWhere } from '../../db/rows.ts';
import { definePatientMergeStep } from '../patient-merge.ts';

/**
 * The notifications area's part of a patient merge: the message log (deliveries about the record,
 * or sent by its consents as a guardian's) and the devices its app gets push messages on move to
 * the record kept.
 */
export const notificationsMergeStep = definePatientMergeStep({
  area: 'notifications',
  columns: ['deliveries.patient_id', 'deliveries.contact_id', 'push_subscriptions.patient_id'],
  async count(ctx: DbCtx, fromId: string) {
    const { deliveries: d, pushSubscriptions: s } = ctx.t;
    return {
      messages: await countWhere(ctx, d, or(eq(d.patientId, fromId), eq(d.contactId, fromId))),
      pushDevices: await countPointingAt(ctx, s, s.patientId, fromId),
    };
  },
  async move(ctx: DbCtx, fromId: string, toId: string) {
    const { deliveries: d, pushSubscriptions: s } = ctx.t;
    const messages = await countWhere(ctx, d, or(eq(d.patientId, fromId), eq(d.contactId, fromId)));
    await reassignColumn(ctx, d, d.patientId, fromId, toId);
    await reassignColumn(ctx, d, d.contactId, fromId, toId);
    return { messages, pushDevices: await reassignColumn(ctx, s, s.patientId, fromId, toId) };
  },
});
