import { AppError, notFound, validated } from '../../lib/errors.ts';
import type { Actor } from '../audit/index.ts';
import { type Patient, updatePatient } from './patients.repo.ts';
import { ownProfileInput } from './patients.schema.ts';
import type { PatientsDeps } from './patients.service.ts';
import { quietHoursColumn } from './quiet-hours-column.ts';

/** How long after signing in a patient may change where messages go. */
const CHANNEL_CHANGE_WINDOW_MS = 15 * 60_000;

/**
 * A patient changes their own details: language any time; email and phone (where messages go)
 * only within 15 minutes of signing in, so a borrowed unlocked phone cannot redirect messages.
 */
export async function updateOwnProfile(
  deps: PatientsDeps,
  actor: Actor & { id: string },
  input: unknown,
  session: { createdAt: Date },
): Promise<Patient> {
  const { clock } = deps;
  const { notifications, ...data } = validated(ownProfileInput, input);
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
  const changesChannel = data.phone !== undefined || data.email !== undefined;
  if (changesChannel && clock.now().getTime() - session.createdAt.getTime() > CHANNEL_CHANGE_WINDOW_MS) {
    throw new AppError('fresh_sign_in_required', 'contact_needs_fresh_sign_in', { status: 403 });
  }
  return deps.db.tx(async (ctx) => {
    const row = await updatePatient(ctx, actor.id, { ...set, updatedAt: clock.now() });
    if (!row) throw notFound('that_patient');
    await deps.audit.record(ctx, actor, {
      action: 'patient.update',
      entity: 'patient',
      entityId: actor.id,
      patientId: actor.id,
      details: { fields: Object.keys(set).join(',') },
    });
    return row;
  });
}
