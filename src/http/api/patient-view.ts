import type { QuietHours } from '../../domain/clinic/index.ts';
import type { Patient } from '../../domain/patients/index.ts';
import { quietHoursOf } from '../../domain/patients/index.ts';
import type { HttpDeps } from '../types.ts';

/** A patient record as the API shows it to staff (and the start of the patient's own view). */
export const patientRecordView = (p: Patient) => ({
  id: p.id,
  firstName: p.firstName,
  lastName: p.lastName,
  dateOfBirth: p.dateOfBirth,
  email: p.email,
  phone: p.phone,
});

/**
 * What a patient sees of their own record. `notifications` is the per-channel consent and the
 * SMS quiet hours in force (the clinic's unless the patient chose; null: none);
 * `messagesByEmail`/`messagesBySms` stay for older apps.
 */
export const patientView = (p: Patient, clinicQuietHours: QuietHours | null) => ({
  ...patientRecordView(p),
  preferredLanguage: p.preferredLanguage,
  messagesByEmail: p.messagesByEmail,
  messagesBySms: p.messagesBySms,
  notifications: {
    email: p.messagesByEmail,
    sms: p.messagesBySms,
    push: p.messagesByPush,
    quietHours: quietHoursOf(p.quietHours, clinicQuietHours),
  },
});

/** A record as its patient sees it (patientView), with the clinic's SMS quiet hours in force. */
export async function ownView(deps: HttpDeps, record: Patient) {
  const { smsQuietHours } = await deps.clinic.get();
  return patientView(record, smsQuietHours);
}

/**
 * A registered patient's `me` answer (after a sign-in links their record, a new contact is
 * confirmed, or they read or change their profile): their record as they see it.
 */
export async function registeredMe(deps: HttpDeps, record: Patient) {
  return { patient: await ownView(deps, record), registrationRequired: false };
}
