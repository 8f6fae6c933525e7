import { describe, expect, it } from 'vitest';
import { systemActor } from '../domain/audit/index.ts';
import { testBrowser } from '../testing/browser.ts';
import { seedClinic } from '../testing/factories.ts';
import { suiteApp } from '../testing/lifecycle.ts';
import { signedInPatient } from '../testing/signed-in.ts';

/** The API says its errors (lib/messages.ts) in the request's language: French when asked, else English. */
describe('API messages in French', () => {
  const app = suiteApp();

  it('answers validation errors in French when the request asks for it, in English otherwise', async () => {
    const browser = testBrowser(app().http);
    const french = await browser.json(
      'POST',
      '/api/v1/auth/start',
      { email: 'nope' },
      { 'accept-language': 'fr-FR,fr;q=0.9,en;q=0.5' },
    );
    expect(french.status).toBe(422);
    expect(await french.json()).toEqual({
      error: {
        code: 'validation_failed',
        message: 'Certains champs ne sont pas valides.',
        issues: [{ path: 'email', message: 'Saisissez une adresse e-mail valide.', code: 'email_invalid' }],
      },
    });
    const english = await browser.json(
      'POST',
      '/api/v1/auth/start',
      { email: 'nope' },
      { 'accept-language': 'de-DE' },
    );
    expect(await english.json()).toEqual({
      error: {
        code: 'validation_failed',
        message: 'Some fields are not valid.',
        issues: [{ path: 'email', message: 'Enter a valid email address.', code: 'email_invalid' }],
      },
    });
  });

  it('keeps a message that has no key as it was raised, without a code', async () => {
    const res = await testBrowser(app().http).json(
      'POST',
      '/api/v1/auth/start',
      { email: 'a@example.org', phone: '+33612345678' },
      { 'accept-language': 'fr' },
    );
    const { issues } = (await res.json()).error;
    expect(issues).toContainEqual({ path: '', message: 'Unrecognized key: "phone"' });
  });

  it('answers a wrong code, registration_required and a missing appointment in French', async () => {
    const patient = testBrowser(app().http);
    const fr = { 'accept-language': 'fr' };
    const wrong = await patient.json(
      'POST',
      '/api/v1/auth/verify',
      { email: 'maya@example.org', code: '000000' },
      fr,
    );
    expect((await wrong.json()).error).toEqual({
      code: 'code_invalid',
      message: 'Ce code n’est pas bon ou a expiré. Demandez-en un nouveau.',
    });

    const issued = await app().deps.patientSignIn.issueCode('email:maya@example.org', true, null);
    expect(
      (await patient.json('POST', '/api/v1/auth/verify', { email: 'maya@example.org', code: issued!.code }))
        .status,
    ).toBe(200);
    const early = await patient.get('/api/v1/appointments/00000000-0000-4000-8000-000000000000', fr);
    expect((await early.json()).error).toEqual({
      code: 'registration_required',
      message: 'Terminez d’abord votre inscription.',
    });
    const registered = await patient.json('POST', '/api/v1/me/registration', {
      firstName: 'Maya',
      lastName: 'Lind',
      dateOfBirth: '1990-10-10',
      acceptTerms: true,
    });
    expect(registered.status).toBe(201);
    const missing = await patient.get('/api/v1/appointments/00000000-0000-4000-8000-000000000000', fr);
    expect(missing.status).toBe(404);
    expect((await missing.json()).error).toEqual({
      code: 'not_found',
      message: 'Ce rendez-vous est introuvable.',
    });
    const inEnglish = await patient.get('/api/v1/appointments/00000000-0000-4000-8000-000000000000');
    expect((await inEnglish.json()).error.message).toBe('That appointment was not found.');
  });

  it('says an appointment’s status in the message’s language', async () => {
    const clinic = await seedClinic(app());
    const { patient, browser } = await signedInPatient(app());
    const staff = {
      actor: { ...systemActor, type: 'staff' as const, id: clinic.adminId },
      role: 'admin' as const,
    };
    const { appointment } = await app().deps.appointments.book(staff, {
      serviceId: clinic.serviceId,
      practitionerId: clinic.practitionerIds[0]!,
      start: '2026-03-04T08:00:00Z',
      patientId: patient.id,
    });
    await app().deps.appointments.setStatus(staff, appointment.id, 'no_show');
    const cancel = (headers: Record<string, string>) =>
      browser.json('POST', `/api/v1/appointments/${appointment.id}/cancel`, {}, headers);
    expect((await (await cancel({ 'accept-language': 'fr' })).json()).error).toEqual({
      code: 'invalid_status',
      message: 'Un rendez-vous manqué ne peut pas être annulé.',
    });
    expect((await (await cancel({})).json()).error).toEqual({
      code: 'invalid_status',
      message: 'A no-show appointment cannot be cancelled.',
    });
  });
});
