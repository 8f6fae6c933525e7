import type { App } from '../app.ts';
import { systemActor } from '../domain/audit/index.ts';
import { STAFF_PASSWORD, staffMember } from './signed-in.ts';

/** The password of seedClinic's staff members. */
export const PASSWORD = STAFF_PASSWORD;

export interface ClinicFixture {
  adminId: string;
  receptionId: string;
  practitionerIds: string[];
  serviceId: string;
  patientIds: string[];
}

/**
 * A small clinic for tests: an admin and a receptionist with passwords, practitioners with a
 * profile, the service and weekly hours, and patients. Built through the real services.
 */
export async function seedClinic(
  app: App,
  options: {
    timeZone?: string;
    practitioners?: number;
    patients?: number;
    /** Weekday hours for every practitioner (default Monday–Friday 09:00-12:00, 13:00-17:00). */
    hours?: string;
    service?: Partial<{
      durationMin: number;
      bufferBeforeMin: number;
      bufferAfterMin: number;
      requiresApproval: boolean;
      onlineBookable: boolean;
    }>;
    minNoticeMinutes?: number;
    cancellationWindowHours?: number;
  } = {},
): Promise<ClinicFixture> {
  const { clinic, patients } = app.deps;
  await clinic.update(systemActor, {
    ...(await clinic.get()),
    name: 'Riverside Physio',
    timeZone: options.timeZone ?? 'Europe/Paris',
    minNoticeMinutes: options.minNoticeMinutes ?? 0,
    cancellationWindowHours: options.cancellationWindowHours ?? 24,
  });
  const { account: admin } = await staffMember(app, 'admin', {
    email: 'ada@clinic.example',
    name: 'Ada Admin',
  });
  const { account: reception } = await staffMember(app, 'reception', {
    email: 'bo@clinic.example',
    name: 'Bo Reception',
  });
  const service = await addService(app, options.service);
  const hours = options.hours ?? '09:00-12:00, 13:00-17:00';
  const practitionerIds: string[] = [];
  for (let i = 1; i <= (options.practitioners ?? 2); i++) {
    const { account: p } = await staffMember(app, 'practitioner', {
      email: `p${i}@clinic.example`,
      name: `Practitioner ${i}`,
    });
    await savePractitionerProfile(app, p.id, `Dr P${i}`, [service.id], hours);
    practitionerIds.push(p.id);
  }
  const patientIds: string[] = [];
  for (let i = 1; i <= (options.patients ?? 3); i++) {
    const p = await patients.create(systemActor, {
      firstName: `Pat${i}`,
      lastName: `Ient${i}`,
      dateOfBirth: '1980-01-01',
      email: `patient${i}@example.org`,
    });
    patientIds.push(p.id);
  }
  return { adminId: admin.id, receptionId: reception.id, practitionerIds, serviceId: service.id, patientIds };
}

/**
 * The practitioner's profile as seedClinic saves it (a physiotherapist, bookable online), offering
 * `serviceIds`, with the same `hours` Monday to Friday and none at the weekend.
 */
export function savePractitionerProfile(
  app: App,
  practitionerId: string,
  displayName: string,
  serviceIds: string[],
  hours: string,
) {
  return app.deps.practitioners.save(systemActor, practitionerId, {
    displayName,
    title: 'Physiotherapist',
    bio: '',
    colour: '#3366cc',
    bookableOnline: true,
    serviceIds,
    hours: { 1: hours, 2: hours, 3: hours, 4: hours, 5: hours, 6: '', 7: '' },
  });
}

/** A service, made through the real services module: seedClinic's physiotherapy, with `fields` changed. */
export function addService(app: App, fields: Partial<Parameters<App['deps']['services']['create']>[1]> = {}) {
  return app.deps.services.create(systemActor, {
    name: 'Physiotherapy',
    description: 'A first assessment or a follow-up.',
    durationMin: 30,
    bufferBeforeMin: 0,
    bufferAfterMin: 0,
    onlineBookable: true,
    newPatientsAllowed: true,
    requiresApproval: false,
    ...fields,
  });
}

/**
 * Books the clinic's service for `patientId` at `start` (ISO), with its first practitioner unless
 * another is named, as its receptionist would; returns the appointment.
 */
export async function bookAppointment(
  app: App,
  clinic: ClinicFixture,
  patientId: string,
  start: string,
  practitionerId = clinic.practitionerIds[0]!,
) {
  const desk = { actor: { type: 'staff' as const, id: clinic.receptionId }, role: 'reception' as const };
  const { appointment } = await app.deps.appointments.book(desk, {
    serviceId: clinic.serviceId,
    practitionerId,
    start,
    patientId,
  });
  return appointment;
}
