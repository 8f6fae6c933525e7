import { eq, or } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';
import { countPointingAt } from '../../db/reassign.ts';
import { countWhere, deleteWhere, updateWhere } from '../../db/rows.ts';
import { definePatientEraseStep } from '../patient-erase.ts';

/**
 * The notifications area's part of erasing a patient: the devices its app gets push messages on
 * go; the message log keeps one row per message sent (for the counts, the SMS budget) with the
 * address it went to and the provider's answer cleared — also where the patient was a guardian's
 * contact for a dependant.
 */
export const notificationsEraseStep = definePatientEraseStep({
  area: 'notifications',
  deletes: ['push_subscriptions'],
  wipes: { deliveries: ['recipient', 'provider_id', 'last_error'] },
  keeps: {
    deliveries: [
      'id',
      'job_id',
      'patient_id',
      'staff_id',
      'contact_id',
      'channel',
      'message_type',
      'language',
      'status',
      'attempts',
      'sms_segments',
      'dedupe_key',
      'created_at',
      'updated_at',
      'sent_at',
    ],
  },
  async count(ctx, patientId) {
    const s = ctx.t.pushSubscriptions;
    return {
      messageAddresses: await countWhere(ctx, ctx.t.deliveries, theirDeliveries(ctx, patientId)),
      pushDevices: await countPointingAt(ctx, s, s.patientId, patientId),
    };
  },
  async erase(ctx, patientId) {
    const { deliveries: d, pushSubscriptions: s } = ctx.t;
    const theirs = theirDeliveries(ctx, patientId);
    const messageAddresses = await countWhere(ctx, d, theirs);
    await updateWhere(ctx, d, theirs, { recipient: '', providerId: null, lastError: null });
    return { messageAddresses, pushDevices: await deleteWhere(ctx, s, eq(s.patientId, patientId)) };
  },
});

/** The messages sent to the patient, or to them as a guardian's contact for a dependant. */
function theirDeliveries(ctx: DbCtx, patientId: string) {
  const d = ctx.t.deliveries;
  return or(eq(d.patientId, patientId), eq(d.contactId, patientId));
}
