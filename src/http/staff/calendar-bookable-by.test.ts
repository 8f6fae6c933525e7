import { describe, expect, it } from 'vitest';
import { bookAppointment, seedClinic } from '../../testing/factories.ts';
import { suiteApp } from '../../testing/lifecycle.ts';
import { signedInAs } from '../../testing/signed-in.ts';

/*
 * A practitioner may book and move only on their own calendar (issue 15, item 4): the panel's
 * Move "With" list and the booking form shown again after a refusal offer only them, not every
 * practitioner. Clock: Monday 2026-03-02 09:00Z; the clinic is in Paris.
 */
describe('what the calendar offers a practitioner to book with', () => {
  const app = suiteApp({ config: { staffMfa: 'optional' } });
  const htmx = { 'hx-request': 'true' };

  it('offers only the practitioner themself in the Move list and the refused booking form', async () => {
    const clinic = await seedClinic(app());
    const [own, other] = clinic.practitionerIds as [string, string];
    const appointment = await bookAppointment(
      app(),
      clinic,
      clinic.patientIds[0]!,
      '2026-03-03T08:00:00.000Z',
    );
    const p1 = await signedInAs(app(), 'p1@clinic.example');

    const panel = await p1.text(await p1.get(`/staff/appointments/${appointment.id}`, htmx));
    expect(panel).toContain('id="move-practitioner"');
    expect(panel).toContain(`value="${own}"`);
    expect(panel).not.toContain(`value="${other}"`);

    await p1.text(await p1.get('/staff/calendar/new', htmx));
    const refused = await p1.post(
      '/staff/appointments',
      { practitionerId: own, serviceId: clinic.serviceId, date: '2026-03-03', time: '09:00' },
      htmx,
    );
    expect(refused.status).toBeGreaterThanOrEqual(400);
    const form = await p1.text(refused);
    expect(form).toContain(`value="${own}"`);
    expect(form).not.toContain(`value="${other}"`);
  });
});
