import { api, type PatientAppointmentJson } from '../api.ts';
import { useApp } from '../context.ts';
import { useLoad } from '../ui.tsx';

const OPEN = new Set(['requested', 'booked', 'arrived']);

/** Open and not over yet: what "upcoming" means everywhere in the app. */
export const isUpcoming = (a: PatientAppointmentJson, now = Date.now()) =>
  OPEN.has(a.status) && Date.parse(a.end) > now;

/** Cancelled, and its time still to come: neither upcoming nor past. */
export const isCancelledAhead = (a: PatientAppointmentJson, now = Date.now()) =>
  a.status === 'cancelled' && Date.parse(a.end) > now;

/** Upcoming and cancelled-ahead soonest first; the rest (past) newest first. */
export function splitAppointments(all: PatientAppointmentJson[], patientId: string | undefined) {
  const mine = all.filter((a) => a.patientId === patientId);
  const soonest = (a: PatientAppointmentJson, b: PatientAppointmentJson) => a.start.localeCompare(b.start);
  const upcoming = mine.filter((a) => isUpcoming(a)).sort(soonest);
  const cancelled = mine.filter((a) => isCancelledAhead(a)).sort(soonest);
  const past = mine
    .filter((a) => !isUpcoming(a) && !isCancelledAhead(a))
    .sort((a, b) => b.start.localeCompare(a.start));
  return { upcoming, cancelled, past };
}

/** The appointments of whoever the family switcher shows: loaded, and split into upcoming and past. */
export function useMyAppointments() {
  const app = useApp();
  const loaded = useLoad(
    () => api.get<{ appointments: PatientAppointmentJson[] }>('/api/v1/me/appointments'),
    'appointments',
  );
  return { loaded, ...splitAppointments(loaded.data?.appointments ?? [], app.actingFor?.id) };
}
