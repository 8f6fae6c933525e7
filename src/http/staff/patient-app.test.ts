import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { testBrowser } from '../../testing/browser.ts';
import { seedClinic } from '../../testing/factories.ts';
import { signedInAs } from '../../testing/signed-in.ts';

describe('the patient app page for staff', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ config: { staffMfa: 'optional', baseUrl: 'https://riverside.example' } });
    await seedClinic(app, { practitioners: 1, patients: 0 });
  });
  afterAll(() => app.destroy());

  it('gives any staff member the public link and a QR poster naming the clinic', async () => {
    const reception = await signedInAs(app, 'bo@clinic.example');
    const today = await reception.text(await reception.get('/staff'));
    expect(today).toContain('href="/staff/patient-app"');

    const res = await reception.get('/staff/patient-app');
    expect(res.status).toBe(200);
    const html = await reception.text(res);
    expect(html).toContain('<a href="https://riverside.example/app/">https://riverside.example/app/</a>');
    expect(html).toContain('Riverside Physio');
    expect(html).not.toContain('No public address is set');
    expect(html).toMatch(
      /<div class="qr poster-qr" role="img" aria-label="QR code for https:\/\/riverside\.example\/app\/"><svg [^>]*viewBox=/,
    );
  });

  it('warns when no public URL is set, since the link is then only the address in use', async () => {
    const local = await createTestApp({ config: { staffMfa: 'optional', baseUrl: '' } });
    try {
      await seedClinic(local, { practitioners: 1, patients: 0 });
      const desk = await signedInAs(local, 'bo@clinic.example');
      const html = await desk.text(await desk.get('/staff/patient-app'));
      expect(html).toContain('No public address is set');
      expect(html).toContain('<a href="http://localhost/app/">');
    } finally {
      await local.destroy();
    }
  });

  it('is for signed-in staff only', async () => {
    const res = await testBrowser(app.http).get('/staff/patient-app');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/staff\/login/);
  });
});
