import type { Appointment } from './appointments.repo.ts';
import type { AppointmentStatus } from './appointments.schema.ts';

export type { Appointment } from './appointments.repo.ts';

/** An appointment on the staff calendar or in the inbox, with patient and service names. */
export interface CalendarEntry {
  appointment: Appointment;
  patient: { firstName: string; lastName: string };
  service: { name: string };
}

/** The appointment as the API shows it. */
export interface AppointmentView {
  id: string;
  patientId: string;
  practitionerId: string;
  serviceId: string;
  roomId: string | null;
  start: string;
  end: string;
  status: AppointmentStatus;
  cancelledBy: 'patient' | 'clinic' | null;
  lateCancel: boolean;
  seriesId: string | null;
  /** The reason for the visit given at booking, or null. */
  reason: string | null;
  version: number;
}

export const appointmentView = (a: Appointment): AppointmentView => ({
  id: a.id,
  patientId: a.patientId,
  practitionerId: a.practitionerId,
  serviceId: a.serviceId,
  roomId: a.roomId,
  start: a.startAt.toISOString(),
  end: a.endAt.toISOString(),
  status: a.status,
  cancelledBy: a.cancelledBy,
  lateCancel: a.lateCancel,
  seriesId: a.seriesId,
  reason: a.visitReason,
  version: a.version,
});

/** What happened to an appointment, as its change message tells it. */
export type AppointmentEvent = 'booked' | 'requested' | 'moved' | 'cancelled' | 'approved';

export interface SeriesResult {
  seriesId: string;
  created: AppointmentView[];
  /** Occurrences not booked, and why (each reported, none silently dropped). */
  conflicts: { start: string; code: string; message: string }[];
}
