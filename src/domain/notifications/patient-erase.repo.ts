import { eq, or } from 'drizzle-orm';
import { countPointingAt, countWhere } from '../../db/reassign.ts';
import { deleteWhere, updateWhere } from '../../db/rows.ts';
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
    const { deliveries: d, pushSubscriptions: s } = ctx.t;
    return {
      messageAddresses: await countWhere(ctx, d, or(eq(d.patientId, patientId), eq(d.contactId, patientId))),
      pushDevices: await countPointingAt(ctx, s, s.patientId, patientId),
    };
  },
  async erase(ctx, patientId) {
    const { deliveries: d, pushSubscriptions: s } = ctx.t;
    const theirs = or(eq(d.patientId, patientId), eq(d.contactId, patientId));
    const messageAddresses = await countWhere(ctx, d, theirs);
    await updateWhere(ctx, d, theirs, { recipient: '', providerId: null, lastError: null });
    return { messageAddresses, pushDevices: await deleteWhere(ctx, s, eq(s.patientId, patientId)) };
  },
});
