import type { AccessEnds } from '../accounts/index.ts';
import { type BuildDeps, defineArea } from '../area.ts';
import type { Notifier } from '../notifications/index.ts';
import { appointmentsService } from './appointments.service.ts';
import { availabilityAdmin } from './availability-admin.service.ts';
import { calendarFeeds } from './calendar-feeds.ts';
import { findLastVisit, schedulingEraseStep } from './patient-erase.repo.ts';
import { schedulingMergeStep } from './patient-merge.repo.ts';
import { practitionersService } from './practitioners.service.ts';
import { schedulingJobs } from './scheduling.jobs.ts';
import { schedulingMessages } from './scheduling.messages.ts';
import { servicesService } from './services.service.ts';
import { slotSearch } from './slot-search.ts';
import { waitlistService } from './waitlist.service.ts';

export { appointmentOfPatient } from './appointment-of-patient.ts';
export {
  type Appointment,
  type AppointmentView,
  appointmentView,
  type CalendarEntry,
  type SeriesResult,
} from './appointment-view.ts';
export { insertAppointmentsInBulk, type NewAppointment } from './appointments.repo.ts';
export {
  type AppointmentStatus,
  appointmentStatuses,
  type BookingInput,
  bookingInput,
  type CancelInput,
  cancelInput,
  type MoveInput,
  moveInput,
  type SeriesInput,
  type SlotSearchInput,
  seriesInput,
  slotSearchInput,
  transitions,
} from './appointments.schema.ts';
export {
  type AppointmentsService,
  appointmentsService,
  type ConfirmationLine,
  type ConfirmationTarget,
} from './appointments.service.ts';
export { type AvailabilityAdmin, availabilityAdmin } from './availability-admin.service.ts';
export type { Booker } from './booking-rules.ts';
export { type CalendarFeeds, calendarFeeds } from './calendar-feeds.ts';
export { type CalendarEvent, calendarDocument, patientCalendarEvent } from './ical.ts';
export type {
  AppointmentImport,
  AppointmentImportOutcome,
  AppointmentImportRow,
  Refusal,
} from './import-appointments.ts';
export {
  type PractitionerProfileInput,
  parseDayHours,
  type Weekday,
  weekdays,
} from './practitioners.schema.ts';
export {
  type PractitionersService,
  type PractitionerView,
  practitionersService,
} from './practitioners.service.ts';
export {
  countAppointmentsByWeek,
  countAttendance,
  countBookingChannels,
  countNewAndReturning,
  measureUtilisation,
} from './reports.repo.ts';
export {
  APPOINTMENT_CHANGED,
  OFFER_FREED_TIME,
  SEND_REMINDER,
  schedulingJobs,
} from './scheduling.jobs.ts';
export { schedulingMessages } from './scheduling.messages.ts';
export { findServiceById, type Service } from './services.repo.ts';
export { type ServiceInput, serviceInput } from './services.schema.ts';
export { type ServicesService, servicesService } from './services.service.ts';
export { MAX_SEARCH_DAYS, type SlotSearch, slotSearch } from './slot-search.ts';
export {
  findSlots,
  type PractitionerAvailability,
  type Slot,
  type SlotQuery,
  type TimeRange,
  type WallInterval,
} from './slots.ts';
export type { WaitlistEntry } from './waitlist.repo.ts';
export { type WaitlistInput, waitlistInput } from './waitlist.schema.ts';
export { OFFERS_PER_SLOT, type WaitlistService, waitlistService } from './waitlist.service.ts';

/**
 * Scheduling: services offered, practitioners and their hours, time off and closures, slot
 * search, booking (never a double booking), the appointment lifecycle, reminders, the waiting
 * list and calendar feeds.
 */
export const schedulingArea = defineArea({
  name: 'scheduling',
  build(
    deps: BuildDeps<{
      notifications: { notifier: Notifier };
      staff: { accessEnds: Pick<AccessEnds, 'add'> };
    }>,
  ) {
    const { db, clock, audit, queue, clinic, publicUrl } = deps;
    const practitioners = practitionersService({ db, clock, audit });
    const appointments = appointmentsService({ db, clock, audit, queue, clinic, practitioners });
    const slots = slotSearch({ db, clock, clinic });
    const waitlist = waitlistService({ db, clock, audit, clinic, slots });
    const feeds = calendarFeeds({ db, clock, audit, clinic, baseUrl: publicUrl });
    deps.staff.accessEnds.add(feeds.endFor); // a feed ends with its practitioner's access
    const jobs = schedulingJobs({ db, clock, appointments, waitlist, notify: deps.notifications.notifier });
    return {
      services: {
        services: servicesService({ db, clock, audit }),
        practitioners,
        appointments,
        slots,
        calendarFeeds: feeds,
        waitlist,
        availabilityAdmin: availabilityAdmin({ db, clock, audit, clinic }),
      },
      jobs,
      messages: [schedulingMessages({ clock, appointments, clinic, baseUrl: publicUrl })],
      patientMerge: [schedulingMergeStep],
      patientErase: [{ ...schedulingEraseStep(() => clock.now()), lastVisit: findLastVisit }],
    };
  },
});
