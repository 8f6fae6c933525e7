import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { seedClinic } from '../../testing/factories.ts';
import { signedInClinicStaff } from '../../testing/signed-in.ts';

/**
 * The main navigation says where the member is: `aria-current="page"` on a section's own page,
 * `"true"` anywhere inside it (a chart under Patients, Add a patient, a settings page), and Today
 * (`/staff`, which holds every section) on its own page only.
 */
describe('the staff navigation marks the section the page is in', () => {
  let app: TestApp;
  let patientId: string;
  beforeAll(async () => {
    app = await createTestApp({ config: { staffMfa: 'optional' } });
    patientId = (await seedClinic(app, { patients: 1 })).patientIds[0]!;
  });
  afterAll(() => app.destroy());

  /** Each main-navigation link's aria-current on the page at `path`, by label. */
  const currents = async (path: string) => {
    const { admin } = await signedInClinicStaff(app, 'admin');
    const html = await admin.text(await admin.get(path));
    const main = html.slice(html.indexOf('aria-label="Main"'), html.indexOf('</nav>'));
    const marks: Record<string, string> = {};
    for (const [, attrs, label] of main.matchAll(/<a href="[^"]+"([^>]*)>([^<]+)/g)) {
      const current = /aria-current="(\w+)"/.exec(attrs!)?.[1];
      if (current) marks[label!.trim()] = current;
    }
    return marks;
  };

  it('on a section, inside one, and on Today', async () => {
    expect(await currents('/staff/patients')).toEqual({ Patients: 'page' });
    expect(await currents(`/staff/patients/${patientId}`)).toEqual({ Patients: 'true' });
    expect(await currents('/staff/patients/new')).toEqual({ Patients: 'true' });
    expect(await currents('/staff/settings/services')).toEqual({ Settings: 'true' });
    expect(await currents('/staff')).toEqual({ Today: 'page' });
  });
});
