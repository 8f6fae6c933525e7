import { fieldIssue, validationFailed } from '../../lib/errors.ts';
import type { Appointment } from './appointment-view.ts';
import type { AppointmentsService } from './appointments.service.ts';

/**
 * The appointment an input names (`appointmentId`, for a note or a form of one visit) when it is
 * one of `patientId`'s; else a 422 on `appointmentId`. Read as the system reads one for a message.
 */
export async function appointmentOfPatient(
  appointments: Pick<AppointmentsService, 'forNotification'>,
  appointmentId: string,
  patientId: string,
): Promise<Appointment> {
  const appointment = (await appointments.forNotification(appointmentId))?.appointment;
  if (appointment?.patientId !== patientId)
    throw validationFailed([fieldIssue('appointmentId', 'Choose an appointment of this patient.')]);
  return appointment;
}
