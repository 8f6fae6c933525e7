import { describe, expect, it } from 'vitest';
import { testBrowser } from '../../testing/browser.ts';
import { bothDialects } from '../../testing/db.ts';
import { messagesWorld } from '../../testing/messages-world.ts';
import { addPatientLogin, patientOnRecord, signedInPatient } from '../../testing/signed-in.ts';
import { until } from '../../testing/wait.ts';
import { systemActor } from '../audit/index.ts';

/** Messages in the language of whoever receives them: the patient, or each of a dependant's guardians. */
describe.each(bothDialects)('the language of messages on %s', (dialect) => {
  const world = messagesWorld(dialect);
  const { newPatient, book, remind, deliveries, mailsTo, smsTo } = world;

  it('sends a known patient’s sign-in code in their language', async () => {
    const { app } = world;
    const lea = await newPatient('Léa');
    await addPatientLogin(app, lea.id, `email:${lea.email}`);
    const before = mailsTo(lea.email).length;
    const res = await testBrowser(app.http).json('POST', '/api/v1/auth/start', { email: lea.email });
    expect(res.status).toBe(202);
    const mail = await until('the code', async () => mailsTo(lea.email)[before]);
    expect(mail.subject).toBe('Riverside Physio : votre code de connexion');
    const { rows } = await app.deps.notifications.deliveries.list(systemActor, {});
    expect(rows.find((d) => d.messageType === 'sign-in-code' && d.recipient === lea.email)).toMatchObject({
      patientId: lea.id,
      language: 'fr',
    });
  });

  it('writes in the patient’s language, and falls back to English for one without templates', async () => {
    const lea = await newPatient('Léa');
    await book(lea.id);
    const mail = await until('the French email', async () => mailsTo(lea.email)[0]);
    expect(mail.subject).toBe('Riverside Physio : votre rendez-vous est pris');
    expect(mail.text).toContain('lundi'); // the time in French too
    const sms1 = await until('the French SMS', async () => smsTo(lea.phone)[0]);
    expect(JSON.parse(sms1.body).text).toContain('rendez-vous pris pour le');
    await lea.browser.json('PATCH', '/api/v1/me', { preferredLanguage: 'de' });
    const before = mailsTo(lea.email).length;
    await book(lea.id);
    const german = await until('the English fallback', async () => mailsTo(lea.email)[before]);
    expect(german.subject).toBe('Riverside Physio: Your appointment is booked');
    await lea.browser.json('PATCH', '/api/v1/me', { preferredLanguage: 'fr' });
  });

  it('sends a dependant’s messages to each guardian, by the guardian’s channels and in their language', async () => {
    const { app } = world;
    const sam = (
      await patientOnRecord(app, {
        firstName: 'Sam',
        lastName: 'Reed',
        email: 'sam@example.org',
        phone: '+447911123457',
      })
    ).id;
    const { patient: inesRecord, browser: inesPhone } = await signedInPatient(app, {
      firstName: 'Inès',
      lastName: 'Reed',
      dateOfBirth: '1982-04-04',
      email: 'ines@example.org',
    });
    const ines = inesRecord.id;
    await inesPhone.json('PATCH', '/api/v1/me', { preferredLanguage: 'fr' });
    const tom = await app.deps.patientFamily.addDependent(
      { type: 'patient', id: sam },
      { firstName: 'Tom', lastName: 'Reed', dateOfBirth: '2015-06-06' },
    );
    await app.db.tx((ctx) =>
      ctx.db
        .insert(ctx.t.patientGuardians)
        .values({ guardianId: ines, dependentId: tom.id, createdAt: app.clock.now() }),
    );
    const a = await book(tom.id);
    const mail = await until('the guardian’s email', async () => mailsTo('sam@example.org')[0]);
    expect(mail.subject).toBe('Riverside Physio: Your appointment is booked');
    // The guardian is greeted, and the dependant named (issue 15, item 16).
    expect(mail.text).toContain('Hello Sam,\n\nThis confirms Tom’s appointment:');
    expect(mail.text).not.toContain('Hello Tom');
    expect(mail.attachments.map((x) => x.filename)).toEqual(['appointment.ics']);
    const french = await until('the other guardian’s email', async () => mailsTo('ines@example.org')[0]);
    expect(french.subject).toBe('Riverside Physio : votre rendez-vous est pris');
    expect(french.text).toContain('Bonjour Inès,\n\nNous vous confirmons le rendez-vous de Tom :');
    const sms = await until('the guardian’s SMS', async () => smsTo('+447911123457')[0]);
    expect(JSON.parse(sms.body).text).toMatch(/^Riverside Physio: appointment booked for .+\nFor Tom\.$/);
    const rows = await until('one delivery per guardian and channel, sent', async () => {
      const r = await deliveries(tom.id);
      return r.length === 3 && r.every((d) => d.status === 'sent') && r;
    });
    expect(rows.map((d) => [d.channel, d.recipient, d.language]).sort()).toEqual([
      ['email', 'ines@example.org', 'fr'],
      ['email', 'sam@example.org', 'en'],
      ['sms', '+447911123457', 'en'],
    ]);
    // Reminders too.
    await remind(a, tom.id);
    const reminder = await until('the reminder to the guardian', async () =>
      mailsTo('sam@example.org').find((m) => m.subject?.includes('reminder')),
    );
    expect(reminder.text).toContain('Hello Sam,\n\nA reminder of Tom’s appointment:');
    await until('the reminder SMS to the guardian', async () =>
      smsTo('+447911123457').find((r) => JSON.parse(r.body).text.includes('reminder')),
    );
    await until('the French reminder', async () =>
      mailsTo('ines@example.org').find((m) => m.subject?.includes('rappel')),
    );
  });
});
