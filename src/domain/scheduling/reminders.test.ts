import { describe, expect, it } from 'vitest';
import type { Job } from '../../jobs/index.ts';
import { suiteDialect } from '../../testing/db.ts';
import { jobsDone } from '../../testing/jobs.ts';
import { messagesWorld } from '../../testing/messages-world.ts';
import { SEND_REMINDER } from './scheduling.jobs.ts';

/*
 * Reminders with a fixed clock (Monday 2026-03-02 09:00Z) and a real SMTP sink: scheduled at
 * booking (24 h and 2 h before by default), moved with the appointment, cancelled with it, never
 * for a time already past, and never sent for an appointment that changed.
 */
describe('reminders', () => {
  const world = messagesWorld(suiteDialect());

  const reminderJobs = async (appointmentId: string) =>
    (await world.app.deps.jobs.admin.list({ name: SEND_REMINDER.name, limit: 500 })).filter(
      (j: Job) => (j.payload as { appointmentId: string }).appointmentId === appointmentId,
    );
  const queuedTimes = async (id: string) =>
    (await reminderJobs(id))
      .filter((j) => j.status === 'queued')
      .map((j) => new Date(j.runAt).toISOString())
      .sort();
  const book = (start: string, patient = 0) => world.book(world.clinic.patientIds[patient]!, start);

  it('schedules 24 h and 2 h before at booking, and moves them with the appointment', async () => {
    const a = await book('2026-03-04T08:00:00.000Z');
    expect(await queuedTimes(a.id)).toEqual(['2026-03-03T08:00:00.000Z', '2026-03-04T06:00:00.000Z']);
    await world.app.deps.appointments.move(world.desk, a.id, { start: '2026-03-05T13:00:00.000Z' });
    expect(await queuedTimes(a.id)).toEqual(['2026-03-04T13:00:00.000Z', '2026-03-05T11:00:00.000Z']);
    expect((await reminderJobs(a.id)).filter((j) => j.status === 'cancelled')).toHaveLength(2);
  });

  it('cancels them with the appointment, and skips the offsets already past', async () => {
    const a = await book('2026-03-06T08:00:00.000Z');
    await world.app.deps.appointments.cancel(world.desk, a.id, { by: 'clinic' });
    expect(await queuedTimes(a.id)).toEqual([]);
    const soon = await book('2026-03-02T12:00:00.000Z'); // in 3 hours: only the 2-hour reminder
    expect(await queuedTimes(soon.id)).toEqual(['2026-03-02T10:00:00.000Z']);
  });

  it('sends when due, once; and a reminder for an appointment that changed sends nothing', async () => {
    const a = await book('2026-03-09T08:00:00.000Z', 1);
    const moved = await book('2026-03-09T10:00:00.000Z', 2);
    await world.app.deps.appointments.move(world.desk, moved.id, { start: '2026-03-10T10:00:00.000Z' });
    // A stray reminder for the old time (as if its cancellation had been missed) must not send.
    await world.app.db.tx((ctx) =>
      world.app.deps.jobs.queue.enqueue(
        ctx,
        SEND_REMINDER,
        { appointmentId: moved.id, hours: 24, startAt: '2026-03-09T10:00:00.000Z' },
        { runAt: new Date('2026-03-08T10:00:00.000Z') },
      ),
    );
    const before = world.app.smtp.messages.length;
    world.app.clock.set('2026-03-08T10:30:00.000Z'); // past the 24-hour reminders of both Monday bookings
    // The due reminders, and the message jobs each dispatches (enqueued before it counts as done).
    await jobsDone(world.app);
    // Booking and change emails of these tests arrive too; only reminders count here.
    const sent = world.app.smtp.messages.slice(before).filter((m) => /reminder/.test(m.subject ?? ''));
    expect(sent.map((m) => [JSON.stringify(m.to).includes('patient2@example.org'), m.subject])).toEqual([
      [true, 'Riverside Physio: A reminder of your appointment'],
    ]);
    expect(sent[0]!.text).toContain('Monday, 9 March 2026');
    expect(await queuedTimes(a.id)).toEqual(['2026-03-09T06:00:00.000Z']);
    world.app.clock.set('2026-03-02T09:00:00.000Z');
  });
});
