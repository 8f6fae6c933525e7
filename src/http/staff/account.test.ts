import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClinicStaffWorld, clinicStaffWorld } from '../../testing/clinic-staff-world.ts';

/**
 * The member's own account page over HTTP: where they are signed in reads in the clinic's time
 * (Paris here), like every other staff page, not in UTC. Runs on the suite's dialect.
 */
describe('your account', () => {
  let { app, desk } = {} as ClinicStaffWorld;
  beforeAll(async () => {
    ({ app, desk } = await clinicStaffWorld());
  });
  afterAll(() => app.destroy());

  it('says when each device signed in and was last active in the clinic’s time', async () => {
    // The clock stands at 09:00 UTC: 10:00 in Paris.
    const page = await desk.text(await desk.get('/staff/account'));
    expect(page).toContain('<th scope="col">Signed in</th>');
    expect(page).toContain('2 Mar 2026, 10:00');
    expect(page).not.toContain('2026-03-02 09:00');
  });
});
