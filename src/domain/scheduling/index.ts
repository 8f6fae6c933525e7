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
  APPOINTMENT_CHANGED,
  type Appointment,
  type AppointmentsService,
  type AppointmentView,
  appointmentsService,
  appointmentView,
  type Booker,
  type CalendarEntry,
  OFFER_FREED_TIME,
  SEND_REMINDER,
  type SeriesResult,
} from './appointments.service.ts';
export { type AvailabilityAdmin, availabilityAdmin } from './availability-admin.service.ts';
export { type CalendarFeeds, calendarFeeds } from './calendar-feeds.ts';
export { type CalendarEvent, calendarDocument, patientCalendarEvent } from './ical.ts';
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
export { schedulingJobs } from './scheduling.jobs.ts';
export { type ServiceInput, serviceInput } from './services.schema.ts';
export { type Service, type ServicesService, servicesService } from './services.service.ts';
export { MAX_SEARCH_DAYS, type SlotSearch, slotSearch } from './slot-search.ts';
export {
  findSlots,
  type PractitionerAvailability,
  type Slot,
  type SlotQuery,
  type TimeRange,
  type WallInterval,
} from './slots.ts';
export {
  OFFERS_PER_SLOT,
  type WaitlistEntry,
  type WaitlistInput,
  type WaitlistService,
  waitlistInput,
  waitlistService,
} from './waitlist.service.ts';
