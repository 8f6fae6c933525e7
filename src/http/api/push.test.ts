import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { systemActor } from '../../domain/audit/index.ts';
import { openSecret } from '../../lib/crypto.ts';
import { createTestApp } from '../../testing/app.ts';
import { testBrowser } from '../../testing/browser.ts';
import { bothDialects } from '../../testing/db.ts';
import { bookAppointment } from '../../testing/factories.ts';
import { jobsDone } from '../../testing/jobs.ts';
import { testKeys } from '../../testing/keys.ts';
import { patientBrowser } from '../../testing/patient-browser.ts';
import { decrypt, verifyVapid } from '../../testing/peers/push-service.ts';
import { pushWorld } from '../../testing/push-world.ts';
import { signedInPatient } from '../../testing/signed-in.ts';
import { until } from '../../testing/wait.ts';

/*
 * Web push end to end: the VAPID key the app subscribes with, subscriptions saved over HTTP as the
 * PWA will send them, and appointment messages pushed to a local push service that decrypts each
 * payload with the subscription's private key and checks the VAPID signature. Each test has its
 * own patient, phone and push path.
 */

describe.each(bothDialects)('web push on %s', (dialect) => {
  const w = pushWorld(dialect);
  let slot = 0;
  /** A patient signed in on a phone; `path`: the phone's subscription at the push service, saved. */
  const zoe = async (path?: string) => {
    const { patient, browser: phone } = await signedInPatient(w().app, {
      firstName: 'Zoé',
      lastName: 'Roux',
      dateOfBirth: '1992-02-02',
    });
    const sub = w().push.subscription(path ?? '/push/unused');
    if (path) expect((await phone.json('POST', '/api/v1/me/push-subscriptions', sub.json)).status).toBe(201);
    return { id: patient.id, phone, sub };
  };
  /** A booking at a time of its own: from Tuesday 10 March, six mornings' half-hours a day. */
  const book = (patientId: string, start?: string) =>
    bookAppointment(
      w().app,
      w().clinic,
      patientId,
      start ?? new Date(Date.UTC(2026, 2, 10 + Math.floor(slot / 6), 8, (slot++ % 6) * 30)).toISOString(),
    );
  const pushDeliveries = async (patientId: string) =>
    (await w().app.deps.notifications.deliveries.forPatient(systemActor, patientId)).filter(
      (d) => d.channel === 'push',
    );
  const subscriptions = (patientId: string) =>
    w()
      .app.db.reader.db.select()
      .from(w().app.db.reader.t.pushSubscriptions)
      .where(eq(w().app.db.reader.t.pushSubscriptions.patientId, patientId));
  const vapidKey = async () =>
    ((await (await w().app.http.request('/api/v1/push/public-key')).json()) as { publicKey: string })
      .publicKey;

  it('gives the VAPID public key, made once and kept in the database (sealed), never logged', async () => {
    const res = await w().app.http.request('/api/v1/push/public-key');
    expect(res.status).toBe(200);
    const { publicKey } = (await res.json()) as { publicKey: string };
    expect(publicKey).toMatch(/^[A-Za-z0-9_-]{87}$/); // 65-byte uncompressed P-256 point
    expect(Buffer.from(publicKey, 'base64url')[0]).toBe(4);
    const again = (await (await w().app.http.request('/api/v1/push/public-key')).json()) as {
      publicKey: string;
    };
    expect(again.publicKey).toBe(publicKey);
    const { settings } = w().app.db.reader.t;
    const [row] = await w().app.db.reader.db.select().from(settings).where(eq(settings.key, 'push.vapid'));
    const { sealed } = row!.value as { sealed: string };
    const stored = JSON.parse(openSecret(testKeys.secrets, sealed, 'push.vapid')) as {
      publicKey: string;
      privateKey: string;
    };
    expect(stored.publicKey).toBe(publicKey);
    expect(JSON.stringify(row!.value)).not.toContain(stored.privateKey);
    expect(JSON.stringify(w().app.logs)).not.toContain(stored.privateKey);
  });

  it('refuses endpoints on http or a local address where local endpoints are not allowed', async () => {
    const strict = await createTestApp({ dialect });
    try {
      const { browser: b } = await signedInPatient(strict);
      const keys = w().push.subscription('/x').json.keys;
      for (const endpoint of [
        'http://push.example.com/x',
        'https://127.0.0.1/x',
        'https://[::1]/x',
        'https://localhost/x',
        'https://printer.local/x',
        'https://localhost./x', // a trailing dot: still the server itself
        'https://127.0.0.1.nip.io/x', // a public name that resolves to the server
        'https://push.example.com/x', // https on a public name, but no push service
        'https://fcm.googleapis.com:8443/x', // a push service's host, another port
        'https://fcm.googleapis.com./x',
        'https://web.push.apple.com.attacker.example/x',
        'https://user:pw@fcm.googleapis.com/x',
      ]) {
        const res = await b.json('POST', '/api/v1/me/push-subscriptions', { endpoint, keys });
        expect(res.status, endpoint).toBe(422);
      }
      for (const endpoint of [
        'https://fcm.googleapis.com/fcm/send/abc',
        'https://fcm.googleapis.com:443/fcm/send/def',
        'https://updates.push.services.mozilla.com/wpush/v2/abc',
        'https://web.push.apple.com/QGx',
        'https://wns2-par02p.notify.windows.com/w/?token=abc',
      ]) {
        const ok = await b.json('POST', '/api/v1/me/push-subscriptions', { endpoint, keys });
        expect(ok.status, endpoint).toBe(201);
      }
    } finally {
      await strict.destroy();
    }
  });

  it('never follows a push service’s redirect: a 3xx fails the push for good', async () => {
    const redirector = createServer((req, res) => {
      req.resume();
      res.writeHead(307, { location: `${w().push.url}/push/redirected` }).end();
    });
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
    const port = (redirector.address() as AddressInfo).port;
    try {
      const { patient, browser: b } = await signedInPatient(w().app, { firstName: 'Red', lastName: 'Irect' });
      const sub = w().push.subscription('/push/redirected');
      const saved = await b.json('POST', '/api/v1/me/push-subscriptions', {
        ...sub.json,
        endpoint: `http://127.0.0.1:${port}/push/red`,
      });
      expect(saved.status).toBe(201);
      const before = w().push.requests.length;
      await bookAppointment(
        w().app,
        w().clinic,
        patient.id,
        '2026-03-16T08:00:00.000Z',
        w().clinic.practitionerIds[1]!,
      );
      const failed = await until('the push failed', async () =>
        (await w().app.deps.notifications.deliveries.forPatient(systemActor, patient.id)).find(
          (d) => d.channel === 'push' && d.status === 'failed',
        ),
      );
      expect(failed.attempts).toBe(1);
      expect(w().push.requests.length).toBe(before);
    } finally {
      await new Promise((r) => redirector.close(r));
    }
  });

  it('saves ten concurrent POSTs of one endpoint as one subscription with one id', async () => {
    const { phone } = await zoe();
    const sub = w().push.subscription('/push/zoe-race');
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => phone.json('POST', '/api/v1/me/push-subscriptions', sub.json)),
    );
    expect(answers.map((r) => r.status)).toEqual(Array(10).fill(201));
    const ids = new Set(await Promise.all(answers.map(async (r) => ((await r.json()) as { id: string }).id)));
    expect(ids.size).toBe(1);
    const { pushSubscriptions: p } = w().app.db.reader.t;
    expect(await w().app.db.reader.db.select().from(p).where(eq(p.endpoint, sub.json.endpoint))).toHaveLength(
      1,
    );
    await phone.json('DELETE', '/api/v1/me/push-subscriptions', { endpoint: sub.json.endpoint });
  });

  it('audits a device moving to another patient; signing out everywhere forgets every device', async () => {
    const { id, phone } = await zoe();
    const sub = w().push.subscription('/push/shared-tablet');
    const other = w().clinic.patientIds[0]!;
    const theirs = await patientBrowser(w().app, other);
    expect((await theirs.json('POST', '/api/v1/me/push-subscriptions', sub.json)).status).toBe(201);
    expect((await phone.json('POST', '/api/v1/me/push-subscriptions', sub.json)).status).toBe(201);
    const moved = (await w().app.deps.audit.list({ patientId: id, limit: 10 })).find(
      (r) => r.action === 'patient.push-subscription-moved',
    );
    expect(moved?.details).toEqual({ fromPatientId: other });
    const second = w().push.subscription('/push/zoe-laptop');
    expect((await phone.json('POST', '/api/v1/me/push-subscriptions', second.json)).status).toBe(201);
    expect((await subscriptions(id)).length).toBeGreaterThanOrEqual(2);
    const out = await phone.json('POST', '/api/v1/auth/sign-out-everywhere', {});
    expect(out.status).toBe(204);
    expect(await subscriptions(id)).toHaveLength(0);
  });

  it('saves a subscription (idempotent on the endpoint), only for a signed-in patient, and validates it', async () => {
    const { id: patientId, phone } = await zoe();
    const sub = w().push.subscription('/push/zoe-phone');
    const anonymous = await testBrowser(w().app.http).json('POST', '/api/v1/me/push-subscriptions', sub.json);
    expect(anonymous.status).toBe(401);
    const first = await phone.json('POST', '/api/v1/me/push-subscriptions', sub.json);
    expect(first.status).toBe(201);
    const { id } = (await first.json()) as { id: string };
    const second = await phone.json('POST', '/api/v1/me/push-subscriptions', sub.json);
    expect(second.status).toBe(201);
    expect(((await second.json()) as { id: string }).id).toBe(id);
    const bad = await phone.json('POST', '/api/v1/me/push-subscriptions', {
      endpoint: 'not a url',
      keys: { p256dh: 'x', auth: 'y' },
    });
    expect(bad.status).toBe(422);
    expect(await subscriptions(patientId)).toHaveLength(1);
  });

  it('pushes an encrypted {title, body, url} without health details, signed with the VAPID key; logged as sent', async () => {
    const { id, sub } = await zoe('/push/zoe-encrypted');
    const publicKey = await vapidKey();
    await book(id, '2026-03-09T08:00:00.000Z'); // Monday
    const req = await until('the push', async () =>
      w().push.requests.find((r) => r.path === '/push/zoe-encrypted'),
    );
    expect(req.headers['content-encoding']).toBe('aes128gcm');
    expect(Number(req.headers.ttl)).toBeGreaterThan(0);
    const claims = verifyVapid(String(req.headers.authorization), {
      publicKey,
      audience: w().push.url,
      now: Date.now(),
    });
    expect(claims.sub).toBe('mailto:clinicbox@localhost');
    const payload = JSON.parse(decrypt(req.body, sub));
    expect(payload).toEqual({
      title: 'Riverside Physio',
      body: expect.stringMatching(/^appointment booked for Monday/),
      url: 'https://clinic.example/app/#/appointments',
    });
    expect(JSON.stringify(payload)).not.toMatch(/Physiotherapy|Dr P1/);
    const [delivery] = await until('the push logged as sent', async () => {
      const rows = await pushDeliveries(id);
      return rows.length === 1 && rows[0]!.status === 'sent' && rows;
    });
    expect(delivery!.providerId).toBe('push:1/1');
    expect((await subscriptions(id))[0]!.lastSuccessAt).not.toBeNull();
  });

  /** Zoé, her phone subscribed at `path`, booked while the push service answers `status` there. */
  const bookedWhilePushAnswers = async (path: string, status: number) => {
    const { id } = await zoe(path);
    w().push.answer(path, status);
    await book(id);
    return { id, path };
  };

  it('retries when the push service answers 500, and delivers once', async () => {
    const { id, path } = await bookedWhilePushAnswers('/push/zoe-retried', 500);
    const failing = await until('a failed push try', async () =>
      (await pushDeliveries(id)).find((d) => d.lastError),
    );
    expect(failing.status).toBe('queued');
    expect(failing.lastError).toBe('the push service answered 500');
    w().push.answer(path, null);
    w().app.clock.advance(2 * 3_600_000);
    try {
      const sent = await until('the retry', async () => {
        const d = (await pushDeliveries(id)).find((x) => x.id === failing.id);
        return d?.status === 'sent' && d;
      });
      expect(sent.attempts).toBe(2);
      await jobsDone(w().app);
      expect(w().push.requests.filter((r) => r.path === path)).toHaveLength(1); // the push service answered 201 once
    } finally {
      w().app.clock.advance(-2 * 3_600_000);
    }
  });

  it('deletes a subscription the push service says is gone (410); with no device left the push fails', async () => {
    const { id, path } = await bookedWhilePushAnswers('/push/zoe-gone', 410);
    const failed = await until('the failed push', async () =>
      (await pushDeliveries(id)).find((d) => d.status === 'failed'),
    );
    expect(failed.lastError).toMatch(/no device took the notification/);
    expect(await subscriptions(id)).toHaveLength(0);
    w().push.answer(path, null);
    // With no device, the next message is not offered to push at all.
    const count = (await pushDeliveries(id)).length;
    await book(id);
    await jobsDone(w().app); // the booking's messages dispatched
    expect((await pushDeliveries(id)).length).toBe(count);
  });

  it('forgets a device on DELETE, only the patient’s own; push off stops pushes', async () => {
    const { id, phone } = await zoe();
    const sub = w().push.subscription('/push/zoe-tablet');
    expect((await phone.json('POST', '/api/v1/me/push-subscriptions', sub.json)).status).toBe(201);
    const other = await patientBrowser(w().app, w().clinic.patientIds[0]!);
    expect(
      (await other.json('DELETE', '/api/v1/me/push-subscriptions', { endpoint: sub.json.endpoint })).status,
    ).toBe(204);
    expect(await subscriptions(id)).toHaveLength(1); // not theirs to forget
    const off = await phone.json('PATCH', '/api/v1/me', { notifications: { push: false } });
    expect(
      ((await off.json()) as { patient: { notifications: { push: boolean } } }).patient.notifications.push,
    ).toBe(false);
    const count = (await pushDeliveries(id)).length;
    await book(id);
    await jobsDone(w().app); // the booking's messages dispatched
    expect((await pushDeliveries(id)).length).toBe(count);
    expect(
      (await phone.json('DELETE', '/api/v1/me/push-subscriptions', { endpoint: sub.json.endpoint })).status,
    ).toBe(204);
    expect(await subscriptions(id)).toHaveLength(0);
  });
});
