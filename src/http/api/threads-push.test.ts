import { describe, expect, it } from 'vitest';
import { bothDialects } from '../../testing/db.ts';
import { decrypt } from '../../testing/peers/push-service.ts';
import { pushWorld } from '../../testing/push-world.ts';
import { signedInAs, signedInPatient } from '../../testing/signed-in.ts';

const MARKER = 'MARKER-stitches-out-friday';

/*
 * Issue 19: a staff reply reaches the patient's phone as a web push that says only that there is
 * a new message from the clinic, with a link to the thread — never the message's text.
 */
describe.each(bothDialects)('a new message pushed to the patient’s phone, on %s', (dialect) => {
  const w = pushWorld(dialect, { staffMfa: 'optional' });

  it('says there is a message and links to it, never the text', async () => {
    const { patient, browser: phone } = await signedInPatient(w().app, {
      firstName: 'Zoé',
      lastName: 'Roux',
      dateOfBirth: '1992-02-02',
    });
    const sub = w().push.subscription('/push/zoe');
    expect((await phone.json('POST', '/api/v1/me/push-subscriptions', sub.json)).status).toBe(201);
    const doctor = await signedInAs(w().app, 'p1@clinic.example');
    const res = await doctor.json('POST', `/api/v1/patients/${patient.id}/threads`, {
      subject: 'After your visit',
      text: `Hello Zoé, ${MARKER}.`,
    });
    expect(res.status).toBe(201);
    const threadId = ((await res.json()) as { thread: { id: string } }).thread.id;
    const [req] = await w().push.waitFor(1);
    const payload = JSON.parse(decrypt(req!.body, sub)) as { title: string; body: string; url: string };
    expect(payload).toEqual({
      title: 'Riverside Physio',
      body: 'You have a new message from Riverside Physio.',
      url: `https://clinic.example/app/#/messages/${threadId}`,
    });
    expect(JSON.stringify(payload)).not.toContain(MARKER);
    expect(JSON.stringify(payload)).not.toContain('After your visit');
  });
});
