import { afterAll, beforeAll } from 'vitest';
import { systemActor } from '../domain/audit/index.ts';
import type { Channel } from '../domain/notifications/index.ts';
import type { Booker } from '../domain/scheduling/index.ts';
import { type AppWithSinks, createAppWithSinks } from './app-with-sinks.ts';
import type { TestDialect } from './db.ts';
import { bookAppointment, type ClinicFixture, seedClinic } from './factories.ts';
import { signedInPatient } from './signed-in.ts';

/**
 * The world of the appointment messages tests (src/domain/notifications/notifications-*.test.ts
 * that send through the worker, and the reminders'), one per describe block: the app on `dialect`
 * with its worker, a real SMTP sink and an HTTP SMS gateway stand-in, and the clinic. The clock
 * stands at Monday 2026-03-02 09:00Z (10:00 in Paris); bookings are a week or more ahead unless a
 * test names its time. Each test makes patients of its own, so nothing another test does reaches
 * their messages.
 */
export function messagesWorld(dialect: TestDialect) {
  let app: AppWithSinks;
  let clinic: ClinicFixture;
  let desk: Booker;
  let slot = 0;
  let made = 0;
  beforeAll(async () => {
    app = await createAppWithSinks({
      dialect,
      mailTimeoutMs: 3000,
      config: { staffMfa: 'optional', baseUrl: 'https://clinic.example' },
    });
    clinic = await seedClinic(app);
    desk = { actor: { type: 'staff', id: clinic.receptionId }, role: 'reception' };
  });
  afterAll(() => app?.destroy());

  /**
   * A patient of the test's own, by email and SMS (Mia: English; Léa: French), with a browser
   * signed in to the patient app.
   */
  const newPatient = async (firstName: 'Mia' | 'Léa') => {
    made++;
    const { patient, browser } = await signedInPatient(app, {
      firstName,
      lastName: firstName === 'Mia' ? 'Stone' : 'Martin',
      dateOfBirth: '1990-05-05',
      email: `${firstName === 'Mia' ? 'mia' : 'lea'}-${made}@example.org`,
      phone: `+4479111${String(made).padStart(5, '0')}`,
    });
    if (firstName === 'Léa') await browser.json('PATCH', '/api/v1/me', { preferredLanguage: 'fr' });
    return { id: patient.id, email: patient.email!, phone: patient.phone!, browser };
  };
  /** A fresh free weekday slot per call: Mondays 9:00 Paris onwards, one a week per practitioner. */
  const nextStart = () => {
    const d = new Date(Date.UTC(2026, 2, 9 + 7 * Math.floor(slot / 6), 8, (slot % 6) * 30));
    slot++;
    return d.toISOString();
  };

  return {
    /** The app with its sinks (from the describe block's beforeAll on). */
    get app() {
      return app;
    },
    get clinic() {
      return clinic;
    },
    /** The clinic's receptionist, booking and cancelling. */
    get desk() {
      return desk;
    },
    newPatient,
    nextStart,
    /** Books for `patientId` as the receptionist would, at the next free slot unless told. */
    book: (patientId: string, start = nextStart()) => bookAppointment(app, clinic, patientId, start),
    /** The patient's delivery log. */
    deliveries: (patientId: string) => app.deps.notifications.deliveries.forPatient(systemActor, patientId),
    /** Dispatches the 24 h reminder of `appointment` to `patientId`, as the reminder job would. */
    remind: (
      appointment: Awaited<ReturnType<typeof bookAppointment>>,
      patientId: string,
      channels?: Channel[],
    ) =>
      app.db.tx((ctx) =>
        app.deps.notifications.notifier.dispatch(ctx, {
          type: 'appointment-reminder',
          to: { patientId },
          params: { appointmentId: appointment.id, hours: 24, startAt: appointment.start },
          key: `reminder:${appointment.id}:24:${appointment.start}`,
          ...(channels ? { channels } : {}),
        }),
      ),
    mailsTo: (addr: string) => app.mailsTo(addr),
    smsTo: (phone: string) => app.smsTo(phone),
  };
}
