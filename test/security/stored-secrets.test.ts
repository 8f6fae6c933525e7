import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/audit/index.ts';
import { generateVapidKeys } from '../../src/notify/push/index.ts';
import { createTestApp, type TestApp } from '../../src/testing/app.ts';
import { seedClinic } from '../../src/testing/factories.ts';
import { openRawDatabase, type RawDatabase } from '../../src/testing/raw-database.ts';

/*
 * Secrets the server keeps in the database — the key that signs unsubscribe links and the web-push
 * (VAPID) private key — are sealed with the clinic master key. Someone who reads the database (a
 * copy, a backup, a read-only login) finds neither: they cannot forge a patient's unsubscribe link
 * nor sign pushes as the clinic. Values an older version kept in clear are sealed at start.
 */
const UNSUBSCRIBE_KEY = 'notifications.unsubscribe-key';
const VAPID = 'push.vapid';

describe('secrets kept in the database', () => {
  let app: TestApp;
  let raw: RawDatabase;
  beforeEach(async () => {
    app = await createTestApp();
    raw = await openRawDatabase(app.db);
  });
  afterEach(async () => {
    await raw.close();
    await app.destroy();
  });

  /** A settings value as someone reading the database sees it. */
  const storedValue = async (key: string): Promise<unknown> => {
    const [row] = await raw.all<{ value: unknown }>('select value from settings where key = ?', key);
    return raw.dialect === 'sqlite' ? JSON.parse(String(row!.value)) : row!.value;
  };
  /** An unsubscribe token for `patientId` signed with `key`, as unsubscribe.ts signs them. */
  const tokenSignedWith = (key: string, patientId: string) =>
    `${patientId}.email.${createHmac('sha256', key).update(`unsubscribe:${patientId}:email`).digest('base64url').slice(0, 32)}`;
  const postUnsubscribe = (token: string) =>
    app.http.request(`/unsubscribe?token=${encodeURIComponent(token)}`, { method: 'POST' });
  const emailsOn = async (patientId: string) =>
    (await app.deps.patients.get(systemActor, patientId)).messagesByEmail;

  it('an unsubscribe link forged with the key read from the database is refused', async () => {
    await app.start();
    const [patientId] = (await seedClinic(app, { patients: 1 })).patientIds as [string];
    await app.deps.notifications.unsubscribe.link(patientId); // as every non-essential email does
    const stored = await storedValue(UNSUBSCRIBE_KEY);
    const res = await postUnsubscribe(tokenSignedWith(String(stored), patientId));
    expect(res.status).toBe(400);
    expect(await emailsOn(patientId)).toBe(true);
    expect(JSON.stringify(stored)).toMatch(/^\{"sealed":"sealed1:/);
  });

  it('the web-push private key is not in the database in clear', async () => {
    await app.start();
    expect((await app.http.request('/api/v1/push/public-key')).status).toBe(200);
    const stored = await storedValue(VAPID);
    expect(Object.keys(stored as object)).toEqual(['sealed']);
    expect(JSON.stringify(stored)).not.toMatch(/privateKey|publicKey/);
  });

  it('keys an older version kept in clear are sealed in place at start, and keep working', async () => {
    const oldKey = 'an-unsubscribe-key-kept-in-clear-by-an-older-version';
    const oldVapid = await generateVapidKeys();
    const now = raw.dialect === 'sqlite' ? Date.now() : new Date().toISOString();
    const insert = 'insert into settings (key, value, updated_at) values (?, ?, ?)';
    await raw.run(insert, UNSUBSCRIBE_KEY, JSON.stringify(oldKey), now);
    await raw.run(insert, VAPID, JSON.stringify(oldVapid), now);

    await app.start();
    for (const key of [UNSUBSCRIBE_KEY, VAPID]) {
      const text = JSON.stringify(await storedValue(key));
      expect(text).toMatch(/^\{"sealed":"sealed1:/);
      expect(text).not.toContain(oldKey);
      expect(text).not.toContain(oldVapid.privateKey);
    }
    // The same keys, now sealed: links already sent still work, devices keep their subscriptions.
    const served = await (await app.http.request('/api/v1/push/public-key')).json();
    expect(served).toEqual({ publicKey: oldVapid.publicKey });
    const [patientId] = (await seedClinic(app, { patients: 1 })).patientIds as [string];
    expect((await postUnsubscribe(tokenSignedWith(oldKey, patientId))).status).toBe(200);
    expect(await emailsOn(patientId)).toBe(false);
  });
});
