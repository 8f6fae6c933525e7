import type { Context } from 'hono';
import { DateTime } from 'luxon';
import { actorOf } from '../middleware/staff-auth.ts';
import type { AppEnv, HttpDeps } from '../types.ts';

const day = 86_400_000;

/**
 * The patient's appointments a record (a document, a note) may belong to: those of the last 30
 * days and the next `daysAhead`, plus `keep` (the one the record names already), newest first, as
 * "Tue 1 Dec 2026, 09:30 · Physiotherapy". Read as one audited list of the patient's appointments.
 */
export async function appointmentChoices(
  deps: HttpDeps,
  c: Context<AppEnv>,
  patientId: string,
  clinic: { timeZone: string; locale: string },
  window: { daysAhead: number; keep?: string | null | undefined },
): Promise<{ id: string; name: string }[]> {
  const now = deps.clock.now().getTime();
  const all = await deps.appointments.listOfPatient(actorOf(c), patientId);
  return all
    .filter(
      (a) =>
        a.id === window.keep ||
        (Date.parse(a.start) >= now - 30 * day && Date.parse(a.start) < now + window.daysAhead * day),
    )
    .sort((a, b) => Date.parse(b.start) - Date.parse(a.start))
    .map((a) => ({
      id: a.id,
      name: `${DateTime.fromISO(a.start, { zone: clinic.timeZone }).setLocale(clinic.locale).toFormat('ccc d LLL yyyy, HH:mm')} · ${a.service}`,
    }));
}
