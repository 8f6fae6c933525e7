import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditRow } from '../../src/domain/audit/index.ts';
import { createTestApp, type TestApp } from '../../src/testing/app.ts';
import { booking, TUE_0900 } from '../../src/testing/booking-api-world.ts';
import type { TestBrowser } from '../../src/testing/browser.ts';
import { bookAppointment, type ClinicFixture, seedClinic } from '../../src/testing/factories.ts';
import { patientBrowser } from '../../src/testing/patient-browser.ts';

/*
 * A signed-in patient probes another patient's appointment and waitlist entry by id, through the
 * patient API. Each refusal answers 404 (whether the thing exists stays unknown to them) and
 * leaves an audit row naming who asked and for what — and nothing of the other patient's data.
 * The clock stands at Monday 2026-03-02 09:00Z; Tuesday 09:00 Paris is 08:00Z.
 */
const TUE_1000 = '2026-03-03T09:00:00.000Z';

describe('a patient refused another patient’s resources', () => {
  let app: TestApp;
  let clinic: ClinicFixture;
  let patientA: string;
  let patientB: string;
  let browserA: TestBrowser;

  beforeEach(async () => {
    app = await createTestApp();
    clinic = await seedClinic(app, { patients: 2 });
    [patientA, patientB] = clinic.patientIds as [string, string];
    browserA = await patientBrowser(app, patientA);
  });
  afterEach(() => app.destroy());

  /** The audit rows patient A left with action access.refused. */
  const refusalsBy = async (patientId: string): Promise<AuditRow[]> =>
    (await app.deps.audit.list({ actorId: patientId })).filter((r) => r.action === 'access.refused');

  const expectRefusal = (row: AuditRow | undefined, entity: string, entityId: string) => {
    expect(row).toMatchObject({ actorType: 'patient', actorId: patientA, entity, entityId });
    // The row names the thing asked for, never its owner or contents.
    expect(row!.patientId).toBeNull();
    expect(JSON.stringify(row!.details ?? {})).not.toContain(patientB);
  };

  it('reading, downloading, rescheduling or cancelling B’s appointment: 404 and one audit row each', async () => {
    const theirs = await bookAppointment(app, clinic, patientB, TUE_0900);
    const attempts: [string, () => Promise<Response>][] = [
      ['GET', () => browserA.get(`/api/v1/appointments/${theirs.id}`)],
      ['GET ics', () => browserA.get(`/api/v1/appointments/${theirs.id}/calendar.ics`)],
      [
        'reschedule',
        () =>
          browserA.json('POST', `/api/v1/appointments/${theirs.id}/reschedule`, {
            start: TUE_1000,
            version: theirs.version,
          }),
      ],
      [
        'cancel',
        () => browserA.json('POST', `/api/v1/appointments/${theirs.id}/cancel`, { version: theirs.version }),
      ],
    ];
    for (const [what, attempt] of attempts) {
      const res = await attempt();
      expect(res.status, what).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code, what).toBe('not_found');
    }
    const rows = await refusalsBy(patientA);
    expect(rows).toHaveLength(attempts.length);
    for (const row of rows) expectRefusal(row, 'appointment', theirs.id);
    // Nothing changed: B's appointment is still booked at its time.
    const desk = { actor: { type: 'staff' as const, id: clinic.receptionId }, role: 'reception' as const };
    expect(await app.deps.appointments.get(desk, theirs.id)).toMatchObject({
      status: 'booked',
      startAt: new Date(TUE_0900),
    });
  });

  it('an id that does not exist is refused the same way (a probe), and A’s own appointment is not', async () => {
    const own = await bookAppointment(app, clinic, patientA, TUE_1000);
    expect((await browserA.get(`/api/v1/appointments/${own.id}`)).status).toBe(200);
    const res = await browserA.get('/api/v1/appointments/00000000-guess');
    expect(res.status).toBe(404);
    const rows = await refusalsBy(patientA);
    expect(rows).toHaveLength(1);
    expectRefusal(rows[0], 'appointment', '00000000-guess');
  });

  it('booking for B, or putting B on or off the waitlist: 404 and an audit row', async () => {
    const forB = await browserA.json(
      'POST',
      '/api/v1/appointments',
      booking(clinic, clinic.practitionerIds[0]!, TUE_0900, patientB),
    );
    expect(forB.status).toBe(404);
    const joinForB = await browserA.json('POST', '/api/v1/waitlist', {
      patientId: patientB,
      serviceId: clinic.serviceId,
      from: '2026-03-03',
      to: '2026-03-06',
    });
    expect(joinForB.status).toBe(404);
    const entryOfB = await patientBrowser(app, patientB).then((b) =>
      b.json('POST', '/api/v1/waitlist', {
        serviceId: clinic.serviceId,
        from: '2026-03-03',
        to: '2026-03-06',
      }),
    );
    expect(entryOfB.status).toBe(201);
    const { entry } = (await entryOfB.json()) as { entry: { id: string } };
    expect((await browserA.json('DELETE', `/api/v1/waitlist/${entry.id}`)).status).toBe(404);

    const rows = (await refusalsBy(patientA)).reverse();
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ entity: 'patient', entityId: patientB });
    expect(rows[1]).toMatchObject({ entity: 'patient', entityId: patientB });
    expectRefusal(rows[2], 'waitlist', entry.id);
    // B is still waiting.
    const waiting = await app.deps.waitlist.listForPatient({ type: 'patient', id: patientB });
    expect(waiting.map((w) => w.id)).toEqual([entry.id]);
  });
});
