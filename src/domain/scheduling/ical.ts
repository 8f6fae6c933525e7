import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';

/**
 * iCalendar documents through ical-generator (RFC 5545 escaping, folding and UTC times done by a
 * maintained library): one appointment for an email or a download, and practitioner feeds.
 * Times are written in UTC, which every calendar shows in its own zone.
 */
export interface CalendarEvent {
  id: string;
  start: Date;
  end: Date;
  summary: string;
  description?: string;
  location?: string;
  cancelled?: boolean;
  /** Increases with each change, so calendars replace the old copy. */
  sequence: number;
  updatedAt: Date;
}

export function calendarDocument(options: {
  name: string;
  events: CalendarEvent[];
  /** REQUEST for an invitation by email, CANCEL for a cancellation; none for feeds and downloads. */
  method?: 'request' | 'cancel';
  timeZone?: string;
}): string {
  const calendar = ical({
    name: options.name,
    prodId: { company: 'Clinicbox', product: 'Clinicbox', language: 'EN' },
    ...(options.method
      ? { method: options.method === 'cancel' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST }
      : {}),
  });
  for (const e of options.events) {
    calendar.createEvent({
      id: `${e.id}@clinicbox`,
      start: e.start,
      end: e.end,
      summary: e.summary,
      description: e.description ?? null,
      location: e.location ?? null,
      sequence: e.sequence,
      stamp: e.updatedAt,
      lastModified: e.updatedAt,
      status: e.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  return calendar.toString();
}

/** The patient's calendar entry for one appointment: the service and the clinic, nothing clinical. */
export function patientCalendarEvent(
  a: { id: string; startAt: Date; endAt: Date; status: string; version: number; updatedAt: Date },
  serviceName: string,
  clinic: { name: string; address: string },
): CalendarEvent {
  return {
    id: a.id,
    start: a.startAt,
    end: a.endAt,
    summary: `${serviceName} — ${clinic.name}`,
    location: clinic.address,
    cancelled: a.status === 'cancelled',
    sequence: a.version,
    updatedAt: a.updatedAt,
  };
}
