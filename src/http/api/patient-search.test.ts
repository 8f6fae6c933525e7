import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../domain/audit/index.ts';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import type { TestBrowser } from '../../testing/browser.ts';
import { bothDialects } from '../../testing/db.ts';
import { seedClinic } from '../../testing/factories.ts';
import { setPatientColumns, signedInAs } from '../../testing/signed-in.ts';

/**
 * Issue 15, item 13: staff find a patient by a phone number in any format, by their names in any
 * order (and in the list's own "Last, First"), accents and case aside; phones staff type are kept
 * in E.164, read in the clinic's country; records kept by an older version are tidied at start.
 */
describe.each(bothDialects)('patient search over HTTP on %s', (dialect) => {
  let app: TestApp;
  let desk: TestBrowser;
  beforeAll(async () => {
    app = await createTestApp({ dialect, config: { staffMfa: 'optional' } });
    await seedClinic(app, { patients: 0, timeZone: 'Europe/London' });
    // A London clinic: its own number says the country national numbers are read in.
    await app.deps.clinic.update(systemActor, {
      ...(await app.deps.clinic.get()),
      phone: '+44 20 7946 0000',
    });
    desk = await signedInAs(app, 'bo@clinic.example');
  });
  afterAll(() => app.destroy());

  const create = (body: Record<string, string>) =>
    desk.json('POST', '/api/v1/patients', { dateOfBirth: '1984-02-29', ...body });
  const found = async (q: string) => {
    const res = await desk.get(`/api/v1/patients?${new URLSearchParams({ q })}`);
    expect(res.status).toBe(200);
    const { patients } = (await res.json()) as { patients: { firstName: string; lastName: string }[] };
    return patients.map((p) => `${p.firstName} ${p.lastName}`).sort();
  };

  it('keeps a phone typed in any format as E.164 and finds it by any format', async () => {
    const res = await create({ firstName: 'Grace', lastName: 'Ahmed', phone: '07700 900100' });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { patient: { phone: string } }).patient.phone).toBe('+447700900100');
    const other = await create({ firstName: 'Omar', lastName: 'Ahmed', phone: '+44 (0)7700 900-222' });
    expect(((await other.json()) as { patient: { phone: string } }).patient.phone).toBe('+447700900222');
    const bad = await create({ firstName: 'No', lastName: 'Number', phone: '12' });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { error: { issues: unknown[] } }).error.issues[0]).toMatchObject({
      path: 'phone',
      code: 'phone_invalid',
    });

    for (const q of ['+447700900100', '07700 900100', '900100', '+44 7700 900100', '0044 7700 900 100']) {
      expect(await found(q), q).toEqual(['Grace Ahmed']);
    }
    expect(await found('7700 900')).toEqual(['Grace Ahmed', 'Omar Ahmed']);
  });

  it('finds names in any order, as "Last, First", without accents or case', async () => {
    await create({ firstName: 'Zoë', lastName: 'Lefèvre-Dubois' });
    await create({ firstName: 'Zoe', lastName: 'Martin' });
    for (const q of ['zoe lefevre', 'Lefèvre, Zoë', 'LEFEVRE, Z', 'dubois zo', 'zoë lefèvre-dubois']) {
      expect(await found(q), q).toEqual(['Zoë Lefèvre-Dubois']);
    }
    expect(await found('Ahmed, Grace')).toEqual(['Grace Ahmed']);
    expect(await found('grace ah')).toEqual(['Grace Ahmed']);
    expect(await found('ahmed')).toEqual(['Grace Ahmed', 'Omar Ahmed']);
    expect(await found('zoe')).toEqual(['Zoe Martin', 'Zoë Lefèvre-Dubois']);
    // Each word must match: no one is "Grace Martin".
    expect(await found('grace martin')).toEqual([]);
  });

  it('at start, phones kept as typed become E.164 and search names are made again', async () => {
    const old = await app.deps.patients.create(systemActor, {
      firstName: 'Seán',
      lastName: "O'Neill",
      dateOfBirth: '1970-07-07',
    });
    // As an older version left it: the phone as typed, the search name of its time.
    await setPatientColumns(app, old.id, { phone: '07700 900 333', searchName: "sean o'neill" });
    expect(await found('900333')).toEqual([]);
    expect(await found('neill sean')).toEqual([]);

    await app.start();
    const row = await app.deps.patients.get(systemActor, old.id);
    expect(row.phone).toBe('+447700900333');
    expect(await found('07700 900333')).toEqual(["Seán O'Neill"]);
    expect(await found('neill, sean')).toEqual(["Seán O'Neill"]);
  });
});
