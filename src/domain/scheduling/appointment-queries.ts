import type { Db } from '../../db/client.ts';
import { type VersionedRead, versionedRead } from '../../db/versioned-read.ts';
import { forbidden } from '../../lib/errors.ts';
import { listStaffByIds } from '../accounts/index.ts';
import type { Actor } from '../audit/index.ts';
import { findPatientContacts, patientScope } from '../patients/index.ts';
import { notFoundFor } from './access-refusals.ts';
import type { AppointmentDeps } from './appointment-steps.ts';
import {
  type Appointment,
  type AppointmentView,
  appointmentView,
  type CalendarEntry,
} from './appointment-view.ts';
import {
  type CalendarBlockRow,
  findAppointmentById,
  findAppointmentWithNames,
  listAppointmentsInRange,
  listAppointmentsOfPatients,
  listCalendarBlocks,
  listRequestedAppointments,
  listSeriesAppointments,
} from './appointments.repo.ts';
import { type Booker, isPatient } from './booking-rules.ts';
import { withPatientNames } from './with-patients.ts';

/**
 * Reading appointments: for a patient or staff (each read audited), and for the messages the
 * system sends (not audited: the message it sends is the record).
 */

type QueryDeps = Pick<AppointmentDeps, 'db' | 'clock' | 'audit'>;

/** One appointment, for its patient or for staff; the read is audited. */
export async function getAppointment(
  { db, clock, audit }: QueryDeps,
  booker: Booker,
  id: string,
): Promise<Appointment> {
  const a = await findAppointmentById(db.reader, id);
  if (
    !a ||
    (isPatient(booker) && !(await patientScope(db.reader, booker.actor.id, clock.now())).has(a.patientId))
  ) {
    throw notFoundFor(booker.actor, 'that_appointment', 'appointment', id);
  }
  await audit.recordRead(booker.actor, {
    action: 'appointment.read',
    entity: 'appointment',
    entityId: id,
    patientId: a.patientId,
  });
  return a;
}

/** What a patient's own list shows of each appointment. */
export type PatientAppointment = AppointmentView & { service: string; practitioner: string };

/**
 * The patients' lists kept in memory until an appointment, service or practitioner changes
 * (db/versioned-read.ts; each read is still audited), keyed by the patients they cover.
 */
export const patientAppointmentLists = (db: Db): VersionedRead<PatientAppointment[]> =>
  versionedRead(db, {
    name: 'appointments.patient-lists',
    tables: ['appointments', 'services', 'practitioner_profiles'],
    max: 5000,
  });

/** An appointment as the calendar grid draws it: its block, its service's and its patient's names. */
export type CalendarGridRow = CalendarBlockRow & { patient: { firstName: string; lastName: string } };

/**
 * The calendar's grids (a range of days of some practitioners) kept in memory until an
 * appointment, service or patient changes (db/versioned-read.ts; each read is still audited).
 */
export const calendarGrids = (db: Db): VersionedRead<CalendarGridRow[]> =>
  versionedRead(db, {
    name: 'appointments.calendar-grids',
    tables: ['appointments', 'services', 'patients'],
    max: 500,
  });

/** A patient's own appointments (newest first), with service and practitioner names; audited. */
export async function listPatientAppointments(
  { db, clock, audit }: QueryDeps,
  booker: Booker,
  lists: VersionedRead<PatientAppointment[]>,
): Promise<PatientAppointment[]> {
  if (!isPatient(booker)) throw forbidden();
  const scope = [...(await patientScope(db.reader, booker.actor.id, clock.now()))].sort();
  const list = await lists(scope.join(' '), async () =>
    (await listAppointmentsOfPatients(db.reader, scope)).map((r) => ({
      ...appointmentView(r.appointment),
      service: r.service.name,
      practitioner: r.practitioner.displayName,
    })),
  );
  const event = { action: 'appointment.list', entity: 'appointment', patientId: booker.actor.id };
  return audit.recordListRead(booker.actor, event, list);
}

/** One patient's appointments for staff (the chart), audited as one read of the list. */
export async function listPatientAppointmentsForStaff(
  { db, audit }: QueryDeps,
  actor: Actor,
  patientId: string,
) {
  const rows = await listAppointmentsOfPatients(db.reader, [patientId]);
  await audit.recordListRead(actor, { action: 'appointment.list', entity: 'appointment', patientId }, rows);
  return rows.map((r) => ({ ...appointmentView(r.appointment), service: r.service.name }));
}

/** The open (or, with `cancelledFrom`, the cancelled-from-then-on) appointments of a series. */
export function listSeriesAppointmentsFor(
  { db }: QueryDeps,
  seriesId: string,
  options: { cancelledFrom?: Date } = {},
): Promise<Appointment[]> {
  return listSeriesAppointments(db.reader, seriesId, options);
}

/** A patient's first name for a message (read by the system, like forNotification). */
export async function findPatientForNotification({ db }: QueryDeps, id: string) {
  const contact = (await findPatientContacts(db.reader, [id])).get(id);
  return contact ? { firstName: contact.firstName } : null;
}

/** What a notification needs, read by the system (the message it sends is the record). */
export async function findAppointmentForNotification({ db }: QueryDeps, id: string) {
  const found = await findAppointmentWithNames(db.reader, id);
  if (!found) return null;
  const { appointment, service, practitioner } = found;
  const [patient, [staff]] = await Promise.all([
    findPatientContacts(db.reader, [appointment.patientId]).then((m) => m.get(appointment.patientId)),
    listStaffByIds(db.reader, [appointment.practitionerId]),
  ]);
  if (!patient || !staff) return null;
  return {
    appointment,
    patient,
    service,
    practitioner: { displayName: practitioner.displayName, email: staff.email },
  };
}

/** Staff calendar: appointments overlapping [from, to) with patient and service names; audited as one read. */
export async function listCalendarRange(
  { db, audit }: QueryDeps,
  actor: Actor,
  range: { from: Date; to: Date; practitionerIds?: string[]; includeCancelled?: boolean },
): Promise<CalendarEntry[]> {
  const rows = await withPatientNames(
    db.reader,
    await listAppointmentsInRange(db.reader, range),
    (r) => r.appointment.patientId,
  );
  const details = { from: range.from.toISOString(), to: range.to.toISOString() };
  return audit.recordListRead(actor, { action: 'appointment.list', entity: 'appointment', details }, rows);
}

/**
 * The staff calendar grid's appointments of `practitionerIds` overlapping [from, to), cancelled
 * ones aside, with the patient's name: only what the grid draws. Audited as listCalendarRange's
 * read is (the same action and details).
 */
export async function listCalendarGrid(
  { db, audit }: QueryDeps,
  actor: Actor,
  range: { from: Date; to: Date; practitionerIds: readonly string[] },
  grids: VersionedRead<CalendarGridRow[]>,
): Promise<CalendarGridRow[]> {
  const key = `${range.from.toISOString()} ${range.to.toISOString()} ${range.practitionerIds.join(' ')}`;
  const rows = await grids(key, async () =>
    withPatientNames(db.reader, await listCalendarBlocks(db.reader, range), (r) => r.patientId),
  );
  const details = { from: range.from.toISOString(), to: range.to.toISOString() };
  return audit.recordListRead(actor, { action: 'appointment.list', entity: 'appointment', details }, rows);
}

/**
 * Requests awaiting approval that have not started yet, soonest first, with patient and
 * service names (the staff inbox); audited as one read.
 */
export async function listRequestedForInbox(
  { db, clock, audit }: QueryDeps,
  actor: Actor,
  filter: { practitionerIds?: string[] } = {},
): Promise<CalendarEntry[]> {
  const rows = await withPatientNames(
    db.reader,
    await listRequestedAppointments(db.reader, {
      after: clock.now(),
      practitionerIds: filter.practitionerIds,
      limit: 200,
    }),
    (r) => r.appointment.patientId,
  );
  const details = { status: 'requested' };
  return audit.recordListRead(actor, { action: 'appointment.list', entity: 'appointment', details }, rows);
}
