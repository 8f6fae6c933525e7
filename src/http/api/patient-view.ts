import { defaultClinicSettings, type QuietHours } from '../../domain/clinic/index.ts';
import type { Patient } from '../../domain/patients/index.ts';
import { quietHoursOf } from '../../domain/patients/index.ts';

/**
 * What a patient sees of their own record. `notifications` is the per-channel consent and the
 * SMS quiet hours in force (the clinic's unless the patient chose; null: none);
 * `messagesByEmail`/`messagesBySms` stay for older apps.
 */
export const patientView = (
  p: Patient,
  clinicQuietHours: QuietHours | null = defaultClinicSettings.smsQuietHours,
) => ({
  id: p.id,
  firstName: p.firstName,
  lastName: p.lastName,
  dateOfBirth: p.dateOfBirth,
  email: p.email,
  phone: p.phone,
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
