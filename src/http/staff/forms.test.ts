import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import type { TestBrowser } from '../../testing/browser.ts';
import { bothDialects } from '../../testing/db.ts';
import { bookAppointment, type ClinicFixture, seedClinic } from '../../testing/factories.ts';
import { patientBrowser } from '../../testing/patient-browser.ts';
import { patientOnRecord, signedInClinicStaff } from '../../testing/signed-in.ts';

/*
 * Issue 17, patients' forms on the staff pages: the chart's Forms section (send a form; statuses
 * for everyone, answers for clinical roles only), a submitted form's page and "Mark reviewed", the
 * Inbox's "Forms to review" (clinical roles), and a service's forms chosen in its settings.
 */
describe.each(bothDialects)('forms on the staff pages, on %s', (dialect) => {
  let app: TestApp;
  let clinic: ClinicFixture;
  let doctor: TestBrowser;
  let desk: TestBrowser;
  let admin: TestBrowser;

  beforeAll(async () => {
    app = await createTestApp({ dialect, now: '2026-03-02T09:00:00.000Z', config: { staffMfa: 'optional' } });
    clinic = await seedClinic(app, { patients: 1 });
    ({ doctor, desk, admin } = await signedInClinicStaff(app, 'doctor', 'desk', 'admin'));
  });
  afterAll(() => app.destroy());

  const templateId = async (name: string) =>
    (
      (await (await doctor.get('/api/v1/templates?kind=form')).json()) as {
        templates: { id: string; name: string }[];
      }
    ).templates.find((t) => t.name === name)!.id;

  it('sends a form from the chart; the desk sees its status, clinical staff its answers; the Inbox lists it to review', async () => {
    const patient = await patientOnRecord(app, { firstName: 'Iris', lastName: 'Moreau' });
    const chart = `/staff/patients/${patient.id}`;
    const page = await desk.text(await desk.get(chart));
    expect(page).toContain('id="h-forms"');
    expect(page).toContain('No form was sent to this patient yet.');
    const sent = await desk.post(`${chart}/forms`, {
      templateId: await templateId('Privacy consent'),
      appointmentId: '',
    });
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe(`${chart}?forms=sent#forms`);
    const refused = await desk.post(`${chart}/forms`, { templateId: 'nope', appointmentId: '' });
    expect(refused.status).toBe(422);
    expect(await desk.text(refused)).toContain('Choose a form template.');

    const [form] = await app.deps.forms.listOwn({ type: 'patient', id: patient.id });
    const browser = await patientBrowser(app, patient.id);
    await browser.json('PUT', `/api/v1/me/forms/${form!.id}/answers`, {
      version: 1,
      answers: { records: true, 'gp-letters': false },
    });
    const submitted = await browser.json('POST', `/api/v1/me/forms/${form!.id}/submit`, {
      version: 2,
      signature: { kind: 'typed', name: 'Iris Moreau', agreed: true },
    });
    expect(submitted.status).toBe(200);

    const deskChart = await desk.text(await desk.get(chart));
    expect(deskChart).toContain('Submitted, to review');
    expect(deskChart).not.toContain(`${chart}/forms/${form!.id}`);
    expect((await desk.get(`${chart}/forms/${form!.id}`)).status).toBe(403);
    const deskInbox = await desk.text(await desk.get('/staff/inbox'));
    expect(deskInbox).not.toContain('Forms to review');

    const doctorChart = await doctor.text(await doctor.get(chart));
    expect(doctorChart).toContain(`${chart}/forms/${form!.id}`);
    const formPage = await doctor.text(await doctor.get(`${chart}/forms/${form!.id}`));
    expect(formPage).toContain('I agree that the clinic keeps my health records');
    expect(formPage).toContain('Iris Moreau (typed, agreement ticked)');
    const inbox = await doctor.text(await doctor.get('/staff/inbox'));
    expect(inbox).toContain('Forms to review (1)');
    expect(inbox).toContain('Iris Moreau');

    const reviewed = await doctor.post(`${chart}/forms/${form!.id}/review`, { back: 'inbox' });
    expect(reviewed.status).toBe(303);
    expect(reviewed.headers.get('location')).toBe('/staff/inbox?notice=form-reviewed#h-forms-review');
    expect(await doctor.text(await doctor.get('/staff/inbox'))).toContain('Forms to review (0)');
  });

  it('a service sends the forms ticked in its settings with each booking', async () => {
    const consent = await templateId('Treatment consent');
    const servicePage = `/staff/settings/services/${clinic.serviceId}`;
    const page = await admin.text(await admin.get(servicePage));
    expect(page).toContain('Forms sent with each booking');
    const saved = await admin.post(servicePage, {
      name: 'Physiotherapy',
      description: '',
      durationMin: '30',
      bufferBeforeMin: '0',
      bufferAfterMin: '0',
      onlineBookable: 'on',
      newPatientsAllowed: 'on',
      reminderHours: '',
      defaultNoteTemplateId: '',
      formTemplateIds: consent,
    });
    expect(saved.status).toBe(303);
    expect(await app.deps.forms.ofService({ type: 'staff', id: clinic.adminId }, clinic.serviceId)).toEqual([
      consent,
    ]);
    expect(await admin.text(await admin.get(servicePage))).toMatch(new RegExp(`value="${consent}" checked`));

    const a = await bookAppointment(app, clinic, clinic.patientIds[0]!, '2026-03-04T09:00:00.000Z');
    const forms = await app.deps.forms.listOwn({ type: 'patient', id: clinic.patientIds[0]! });
    expect(forms.map((f) => [f.name, f.appointmentId])).toEqual([['Treatment consent', a.id]]);
  });
});
