import { AppError, notFound, validated } from '../../lib/errors.ts';
import type { Actor } from '../audit/index.ts';
import { phoneForMessages } from './contact-changes.schema.ts';
import { findPatientById, type Patient, updatePatient } from './patients.repo.ts';
import { ownProfileInput } from './patients.schema.ts';
import type { PatientsDeps } from './patients.service.ts';
import { quietHoursColumn } from './quiet-hours-column.ts';
import { keepRecordChanges } from './record-history.ts';

/** How long after signing in a patient may change where messages go. */
const CHANNEL_CHANGE_WINDOW_MS = 15 * 60_000;

/**
 * A patient changes their own details: language and message choices any time; email and phone
 * (where messages go) only within 15 minutes of signing in, so a borrowed unlocked phone cannot
 * redirect messages — and a new one is used only once the code sent to it comes back
 * (contact-changes.ts); the answer still shows the verified contact.
 */
export async function updateOwnProfile(
  deps: PatientsDeps,
  actor: Actor & { id: string },
  input: unknown,
  session: { createdAt: Date },
): Promise<Patient> {
  const { clock } = deps;
  const { notifications, email, phone: typedPhone, ...data } = validated(ownProfileInput, input);
  // A phone must take its code by SMS: in international form, kept as E.164.
  const phone = typedPhone ? validated(phoneForMessages, { phone: typedPhone }).phone : typedPhone;
  // The notifications object and the older consent fields write the same columns.
  const set = {
    ...data,
    ...(notifications?.email !== undefined ? { messagesByEmail: notifications.email } : {}),
    ...(notifications?.sms !== undefined ? { messagesBySms: notifications.sms } : {}),
    ...(notifications?.push !== undefined ? { messagesByPush: notifications.push } : {}),
    ...(notifications?.quietHours !== undefined
      ? { quietHours: quietHoursColumn(notifications.quietHours) }
      : {}),
  };
  const changesChannel = phone !== undefined || email !== undefined;
  if (changesChannel && clock.now().getTime() - session.createdAt.getTime() > CHANNEL_CHANGE_WINDOW_MS) {
    throw new AppError('fresh_sign_in_required', 'contact_needs_fresh_sign_in', { status: 403 });
  }
  return deps.db.tx(async (ctx) => {
    const current = await findPatientById(ctx, actor.id);
    if (!current) throw notFound('that_patient');
    const patientId = actor.id;
    // Taking a contact away redirects nothing: done at once; a new one waits for its code.
    const cleared = { ...(email === null ? { email } : {}), ...(phone === null ? { phone } : {}) };
    const given = { email, phone };
    for (const channel of ['email', 'phone'] as const) {
      const value = given[channel];
      if (value === undefined) continue;
      await deps.contacts.request(ctx, actor, { patientId, channel, value, current: current[channel] });
    }
    const now = clock.now();
    const row = await updatePatient(ctx, patientId, { ...set, ...cleared, updatedAt: now });
    if (!row) throw notFound('that_patient');
    const fields = Object.keys({ ...set, ...cleared }) as (keyof Patient)[];
    await keepRecordChanges(ctx, actor, current, row, fields, now);
    await deps.audit.record(ctx, actor, {
      action: 'patient.update',
      entity: 'patient',
      entityId: patientId,
      patientId,
      details: { fields: Object.keys({ ...set, ...cleared }).join(',') },
    });
    return row;
  });
}
