import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppWithSinks, createAppWithSinks } from '../../testing/app-with-sinks.ts';
import { testBrowser } from '../../testing/browser.ts';
import { bothDialects } from '../../testing/db.ts';
import { seedClinic } from '../../testing/factories.ts';
import { registerPatient } from '../../testing/patient-browser.ts';
import { until } from '../../testing/wait.ts';
import { TERMS_VERSION } from './index.ts';

/** Issue 17: the terms a patient accepts when registering are kept on their record, with their version and time. */
describe.each(bothDialects)('the terms accepted at registration, on %s', (dialect) => {
  let app: AppWithSinks;
  beforeAll(async () => {
    app = await createAppWithSinks({ dialect, now: '2026-12-04T10:00:00.000Z' });
    await seedClinic(app, { patients: 0 });
  });
  afterAll(() => app.destroy());

  it('are stored with their version and the time', async () => {
    const browser = testBrowser(app.http);
    const email = 'new.patient@example.org';
    expect((await browser.json('POST', '/api/v1/auth/start', { email })).status).toBe(202);
    const mail = await until('the code', async () => app.mailsTo(email)[0]);
    const code = /\b(\d{6})\b/.exec(mail.text ?? '')![1]!;
    expect((await browser.json('POST', '/api/v1/auth/verify', { email, code })).status).toBe(200);
    const res = await registerPatient(browser, {
      firstName: 'Nia',
      lastName: 'Berg',
      dateOfBirth: '1991-04-02',
    });
    expect(res.status).toBe(201);
    const { id } = ((await res.json()) as { patient: { id: string } }).patient;
    const { patients } = app.db.reader.t;
    const [row] = await app.db.reader.db.select().from(patients).where(eq(patients.id, id));
    expect(row).toMatchObject({
      termsVersion: TERMS_VERSION,
      termsAcceptedAt: new Date('2026-12-04T10:00:00.000Z'),
    });
  });
});
