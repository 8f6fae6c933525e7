import type { StaffRole } from '../accounts/index.ts';
import type { Actor } from '../audit/index.ts';
import { auditingRefusals } from './access-refusals.ts';
import {
  calendarGrids,
  findAppointmentForNotification,
  findPatientForNotification,
  getAppointment,
  listCalendarGrid,
  listCalendarRange,
  listPatientAppointments,
  listPatientAppointmentsForStaff,
  listRequestedForInbox,
  listSeriesAppointmentsFor,
  patientAppointmentLists,
} from './appointment-queries.ts';
import type { AppointmentDeps, BookedListener, StatusListener } from './appointment-steps.ts';
import type { Appointment } from './appointments.repo.ts';
import { hasAppointmentWith } from './appointments.repo.ts';
import type {
  AppointmentStatus,
  BookingInput,
  CancelInput,
  MoveInput,
  SeriesInput,
} from './appointments.schema.ts';
import { bookAppointment } from './book-appointment.ts';
import { bookSeries } from './book-series.ts';
import type { Booker } from './booking-rules.ts';
import { cancelAppointment } from './cancel-appointment.ts';
import { type AppointmentImport, startAppointmentImport } from './import-appointments.ts';
import { moveAppointment } from './move-appointment.ts';
import type { PractitionersService } from './practitioners.service.ts';
import { setAppointmentStatus } from './set-appointment-status.ts';

export {
  type Appointment,
  type AppointmentEvent,
  type AppointmentView,
  appointmentView,
  type CalendarEntry,
  type SeriesResult,
} from './appointment-view.ts';
export type { Booker } from './booking-rules.ts';

/**
 * Booking, moving, cancelling and the appointment lifecycle: one use case per file, composed here.
 *
 * A double booking is impossible by construction: every change that puts an appointment on a
 * practitioner's timeline first takes that practitioner's lock inside the transaction
 * (`lockPractitioner`), and only then checks for overlap and writes. Two requests for one slot
 * therefore run one after the other; the second sees the first. Each change is audited and
 * enqueues its jobs (message, reminders, freed time) in the same transaction. A patient refused
 * an appointment or patient outside their family is audited (access-refusals.ts).
 */
export function appointmentsService(
  given: AppointmentDeps & { practitioners: Pick<PractitionersService, 'list'> },
) {
  const bookedListeners: BookedListener[] = [];
  const confirmationLines: ConfirmationLine[] = [];
  const statusListeners: StatusListener[] = [];
  const deps: AppointmentDeps = { ...given, bookedListeners, statusListeners };
  const patientLists = patientAppointmentLists(given.db);
  const grids = calendarGrids(given.db);
  return {
    /** Adds a step to every booking and move, run in its transaction (areas listed later: a service's forms). */
    onBooked: (listener: BookedListener): void => {
      bookedListeners.push(listener);
    },
    /** Adds a step to every completion, no-show and late cancellation, run in its transaction (billing). */
    onStatusChanged: (listener: StatusListener): void => {
      statusListeners.push(listener);
    },
    /** Adds a line to the booking's confirmation (and a request's), said at send time (a service's forms to fill in). */
    addConfirmationLine: (line: ConfirmationLine): void => {
      confirmationLines.push(line);
    },
    /** The added lines for this appointment and reader, the empty ones left out (the confirmations' `formsToFill`). */
    confirmationLines: async (appointment: Appointment, target: ConfirmationTarget): Promise<string> =>
      (await Promise.all(confirmationLines.map((line) => line(appointment, target))))
        .filter(Boolean)
        .join('\n'),

    /** Books one appointment. With `idempotencyKey`, a repeat returns the first result. */
    book: (
      booker: Booker,
      input: BookingInput,
      options: { idempotencyKey?: string | null; seriesId?: string } = {},
    ) => auditingRefusals(deps, booker.actor, () => bookAppointment(deps, booker, input, options)),

    /**
     * Starts an import of future appointments from a CSV export (rows checked, then booked in
     * batches through the booking's insert; confirmations and reminders only with `notify`).
     */
    startImport: (actor: Actor, options: { notify: boolean }): Promise<AppointmentImport> =>
      startAppointmentImport({ ...deps, practitioners: given.practitioners }, actor, options),

    /** Books a weekly series in one transaction, reporting the occurrences that clash. Staff only. */
    bookSeries: (booker: Booker, input: SeriesInput) => bookSeries(deps, booker, input),

    /** Moves to a new start (and optionally another practitioner), with the same guarantees. */
    move: (booker: Booker, id: string, input: MoveInput) =>
      auditingRefusals(deps, booker.actor, () => moveAppointment(deps, booker, id, input)),

    /** Cancels; a patient's own cancellation must come before the window, a late one by staff is flagged. */
    cancel: (booker: Booker, id: string, input: CancelInput) =>
      auditingRefusals(deps, booker.actor, () => cancelAppointment(deps, booker, id, input)),

    /** Staff lifecycle steps: approve a request, arrived, completed, no-show (and their undo). */
    setStatus: (booker: Booker & { role: StaffRole }, id: string, to: AppointmentStatus, version?: number) =>
      setAppointmentStatus(deps, booker, id, to, version),

    /** One appointment, for its patient or for staff; the read is audited. */
    get: (booker: Booker, id: string) =>
      auditingRefusals(deps, booker.actor, () => getAppointment(deps, booker, id)),

    /** A patient's own appointments (newest first), with service and practitioner names; audited. */
    listForPatient: (booker: Booker) => listPatientAppointments(deps, booker, patientLists),
    /** One patient's appointments for staff (the chart); audited. */
    listOfPatient: (actor: Actor, patientId: string) =>
      listPatientAppointmentsForStaff(deps, actor, patientId),

    /** The open (or, with `cancelledFrom`, the cancelled-from-then-on) appointments of a series. */
    seriesAppointments: (seriesId: string, options: { cancelledFrom?: Date } = {}) =>
      listSeriesAppointmentsFor(deps, seriesId, options),

    /** A patient's first name for a message (read by the system, like forNotification). */
    patientForNotification: (id: string) => findPatientForNotification(deps, id),

    /** What a notification needs, read by the system (the message it sends is the record). */
    forNotification: (id: string) => findAppointmentForNotification(deps, id),

    /**
     * Whether a practitioner has seen a patient: an appointment with them, cancelled ones aside
     * (the chart's "only the notes of patients they have seen"). A yes or no, read by the system.
     */
    hasSeen: (practitionerId: string, patientId: string) =>
      hasAppointmentWith(deps.db.reader, practitionerId, patientId),

    /** Staff calendar: appointments overlapping [from, to) with patient and service names; audited as one read. */
    listRange: (
      actor: Actor,
      range: { from: Date; to: Date; practitionerIds?: string[]; includeCancelled?: boolean },
    ) => listCalendarRange(deps, actor, range),

    /**
     * Staff calendar grid: the practitioners' appointments overlapping [from, to), cancelled ones
     * aside, with what the grid draws (patient and service names); audited as one read.
     */
    listGrid: (actor: Actor, range: { from: Date; to: Date; practitionerIds: readonly string[] }) =>
      listCalendarGrid(deps, actor, range, grids),

    /** Requests awaiting approval that have not started yet, soonest first (the staff inbox); audited. */
    listRequested: (actor: Actor, filter: { practitionerIds?: string[] } = {}) =>
      listRequestedForInbox(deps, actor, filter),
  };
}

/** Who a confirmation is said to: their language and the channel it goes by. */
export interface ConfirmationTarget {
  language: 'en' | 'fr';
  channel: 'email' | 'sms' | 'push';
}

/** A line another area adds to a booking's confirmation ('' for none), worded for the target. */
export type ConfirmationLine = (appointment: Appointment, target: ConfirmationTarget) => Promise<string>;

export type AppointmentsService = ReturnType<typeof appointmentsService>;
