import { beforeAll, describe, expect, it } from 'vitest';
import type { TestBrowser } from '../../testing/browser.ts';
import { bothDialects } from '../../testing/db.ts';
import { messagesWorld } from '../../testing/messages-world.ts';
import { addDependant } from '../../testing/patient-browser.ts';
import { signedInAs, signedInPatient } from '../../testing/signed-in.ts';
import { until } from '../../testing/wait.ts';
import { systemActor } from '../audit/index.ts';

/*
 * Issue 15, items 16 and 17, driven as the clinic does: the receptionist books through the
 * appointments API, a guardian adds a family member in the app, and the messages are read where
 * they arrive (a real SMTP sink, an SMS gateway stand-in). A guardian is greeted by their own
 * name and told whose appointment it is (English and French, email and SMS); the email says how
 * to change the appointment: in the app while the clinic's settings allow it, else by phone.
 * The clock stands at Monday 2026-03-02 09:00Z (10:00 in Paris); the cancellation window is 24 h.
 */
describe.each(bothDialects)('who a message addresses and how to change it, on %s', (dialect) => {
  const world = messagesWorld(dialect);
  let desk: TestBrowser;
  let made = 0;
  beforeAll(async () => {
    const { app } = world;
    await app.deps.clinic.update(systemActor, {
      ...(await app.deps.clinic.get()),
      phone: '+44 20 7946 0000',
    });
    desk = await signedInAs(app, 'bo@clinic.example');
  });

  /** Books through the appointments API as the receptionist, at the world's next free slot unless told. */
  const book = async (patientId: string, start = world.nextStart(), practitioner = 0) => {
    const res = await desk.json('POST', '/api/v1/appointments', {
      serviceId: world.clinic.serviceId,
      practitionerId: world.clinic.practitionerIds[practitioner],
      start,
      patientId,
    });
    expect(res.status, await res.clone().text()).toBe(201);
  };
  /** A patient signed in to the app, with an email and a mobile number of their own. */
  const adult = async (firstName: string, language?: 'fr') => {
    made++;
    const { patient, browser } = await signedInPatient(world.app, {
      firstName,
      lastName: 'Family',
      dateOfBirth: '1985-02-02',
      email: `adult-${made}@example.org`,
      phone: `+4479112${String(made).padStart(5, '0')}`,
    });
    if (language) await browser.json('PATCH', '/api/v1/me', { preferredLanguage: language });
    return { id: patient.id, email: patient.email!, phone: patient.phone!, browser };
  };
  /** The guardian adds a child in the app, as the family screen does. */
  const child = (guardian: TestBrowser, firstName: string) =>
    addDependant(guardian, { firstName, lastName: 'Family', dateOfBirth: '2018-04-04' });
  const mailTo = (email: string) => until(`the email to ${email}`, async () => world.mailsTo(email)[0]);
  const smsTextTo = async (phone: string) =>
    JSON.parse((await until(`the SMS to ${phone}`, async () => world.smsTo(phone)[0])).body).text as string;

  it('greets the guardian and names the child in a child’s messages, by email and SMS, in English', async () => {
    const anna = await adult('Anna');
    const leo = await child(anna.browser, 'Leo');
    await book(leo);
    const mail = await mailTo(anna.email);
    expect(mail.text).toMatch(/^Hello Anna,\n\nThis confirms Leo’s appointment:\nPhysiotherapy with Dr P1\n/);
    expect(mail.text).not.toContain('Hello Leo');
    expect(await smsTextTo(anna.phone)).toMatch(/^Riverside Physio: appointment booked for .+\nFor Leo\.$/);
  });

  it('greets the guardian and names the child in French', async () => {
    const ines = await adult('Inès', 'fr');
    const zoe = await child(ines.browser, 'Zoé');
    await book(zoe);
    const mail = await mailTo(ines.email);
    expect(mail.subject).toBe('Riverside Physio : votre rendez-vous est pris');
    expect(mail.text).toMatch(/^Bonjour Inès,\n\nNous vous confirmons le rendez-vous de Zoé :\n/);
    expect(await smsTextTo(ines.phone)).toMatch(
      /^Riverside Physio : rendez-vous pris pour le .+\nPour Zoé\.$/,
    );
  });

  it('speaks to a patient about their own appointment, naming no one else', async () => {
    const mia = await adult('Mia');
    await book(mia.id);
    expect((await mailTo(mia.email)).text).toMatch(/^Hello Mia,\n\nThis confirms your appointment:\n/);
    const sms = await smsTextTo(mia.phone);
    expect(sms).toMatch(
      /^Riverside Physio: appointment booked for .+https:\/\/clinic\.example\/app\/#\/appointments$/,
    );
    expect(sms).not.toContain('For ');
  });

  it('links to the app while patients may still change it online, and says to call once they may not', async () => {
    const mia = await adult('Mia');
    await book(mia.id, '2026-03-09T09:00:00.000Z', 1); // a week ahead: before the 24 h window
    const early = (await mailTo(mia.email)).text!;
    expect(early).toContain(
      'Your appointments: https://clinic.example/app/#/appointments\nYou can change or cancel it in the app until Sunday, 8 March 2026 at 10:00',
    );
    expect(early).not.toContain('call');

    const tom = await adult('Tom');
    await book(tom.id, '2026-03-03T08:00:00.000Z', 1); // tomorrow 09:00 Paris: inside the window
    const late = (await mailTo(tom.email)).text!;
    expect(late).toContain('To change it, call +44 20 7946 0000.');
    expect(late).not.toContain('in the app until');
  });

  it('says to call when the clinic takes no online bookings (patients cannot move appointments)', async () => {
    const { clinic } = world.app.deps;
    const settings = await clinic.get();
    await clinic.update(systemActor, { ...settings, selfBooking: false });
    try {
      const lea = await adult('Léa', 'fr');
      await book(lea.id, world.nextStart(), 1);
      const mail = (await mailTo(lea.email)).text!;
      expect(mail).toContain('Pour le modifier, appelez le +44 20 7946 0000.');
      expect(mail).not.toContain('dans l’application jusqu’au');
    } finally {
      await clinic.update(systemActor, { ...settings, selfBooking: true });
    }
  });
});
