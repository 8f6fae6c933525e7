import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../domain/audit/index.ts';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import type { TestBrowser } from '../../testing/browser.ts';
import { bothDialects } from '../../testing/db.ts';
import { seedClinic } from '../../testing/factories.ts';
import { signedInAs } from '../../testing/signed-in.ts';

/**
 * `POST /api/v1/patients` with an Idempotency-Key, as booking takes one: an integration that
 * retries on a bad network (or sends twice at once) makes one record, and the key sent with other
 * details is refused without making anything.
 */
describe.each(bothDialects)('creating a patient over the API on %s', (dialect) => {
  let app: TestApp;
  let desk: TestBrowser;
  beforeAll(async () => {
    app = await createTestApp({ dialect, config: { staffMfa: 'optional' } });
    await seedClinic(app, { patients: 0 });
    desk = await signedInAs(app, 'bo@clinic.example');
  });
  afterAll(() => app.destroy());

  const body = { firstName: 'Rhea', lastName: 'Retry', dateOfBirth: '1979-06-30', email: 'rhea@example.org' };
  const create = (sent: object, key?: string) =>
    desk.json('POST', '/api/v1/patients', sent, key ? { 'Idempotency-Key': key } : {});
  const named = (name: string) => app.deps.patients.search(systemActor, name);
  const idOf = async (res: Response) => ((await res.json()) as { patient: { id: string } }).patient.id;

  it('makes one record of a request sent twice at once and again later with the same key', async () => {
    const both = await Promise.all([create(body, 'import-42'), create(body, 'import-42')]);
    const later = await create(body, 'import-42');
    const made = await named('Retry');
    expect(made).toHaveLength(1);
    for (const res of [...both, later]) {
      expect(res.status).toBe(201);
      expect(await idOf(res)).toBe(made[0]!.id);
      expect(res.headers.get('location')).toBe(`/api/v1/patients/${made[0]!.id}`);
    }
    const replayed = [...both, later].map((r) => r.headers.get('idempotent-replayed'));
    expect(replayed.filter((r) => r === 'true')).toHaveLength(2);
    const audit = await app.deps.audit.list({ limit: 100 });
    expect(audit.filter((r) => r.action === 'patient.create' && r.entityId === made[0]!.id)).toHaveLength(1);
  });

  it('refuses the key sent with other details (422) and makes nothing; without a key, each request is a record', async () => {
    await create({ ...body, lastName: 'Keyed' }, 'k-1');
    const reused = await create({ ...body, lastName: 'Keyed', firstName: 'Other' }, 'k-1');
    expect(reused.status).toBe(422);
    expect(((await reused.json()) as { error: { code: string } }).error.code).toBe('idempotency_key_reused');
    expect((await named('Keyed')).map((p) => p.firstName)).toEqual(['Rhea']);

    const bad = await create({ ...body, lastName: 'Badkey' }, 'not visible\u0001');
    expect(bad.status).toBe(422);
    expect(await named('Badkey')).toEqual([]);

    await create({ ...body, lastName: 'Plain' });
    await create({ ...body, lastName: 'Plain' });
    expect(await named('Plain')).toHaveLength(2);
  });
});
