import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { booking, TUE_0900 } from '../../testing/booking-api-world.ts';
import type { TestBrowser } from '../../testing/browser.ts';
import { type ClinicStaffWorld, clinicStaffWorld } from '../../testing/clinic-staff-world.ts';
import { patientOnRecord } from '../../testing/signed-in.ts';

interface RecordJson {
  id: string;
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  sex: string | null;
  address: string | null;
  emergencyContact: { name: string | null; relation: string | null; phone: string | null };
  referrer: { name: string | null; practice: string | null; contact: string | null };
  identifiers: { type: string; value: string }[];
  status: string;
  version: number;
}
interface ChangeJson {
  field: string;
  oldValue: string | null;
  newValue: string | null;
  version: number;
  by: { type: string; id: string | null };
  at: string;
}
interface AlertJson {
  id: string;
  kind: string;
  text: string;
  severity: string | null;
  createdBy: string;
  resolvedAt: string | null;
}

/**
 * Issue 17 item 1 over HTTP: staff change a patient record (validated whole, version-checked, every
 * field's change kept with who and when, audited), alerts (who writes and who sees them), and
 * archiving (out of search, not bookable, everything kept). Runs on the suite's dialect (SQLite, or
 * PostgreSQL with CLINICBOX_TEST_DATABASE_URL).
 */
describe('the patient record over HTTP', () => {
  let { app, clinic, doctor, admin, desk } = {} as ClinicStaffWorld;

  beforeAll(async () => {
    ({ app, clinic, doctor, admin, desk } = await clinicStaffWorld());
  });
  afterAll(() => app.destroy());

  const json = async <T>(res: Response) => (await res.json()) as T;
  const read = async (id: string) =>
    (await json<{ patient: RecordJson }>(await desk.get(`/api/v1/patients/${id}`))).patient;
  const patch = (who: TestBrowser, id: string, body: Record<string, unknown>) =>
    who.json('PATCH', `/api/v1/patients/${id}`, body);
  const history = async (id: string) =>
    (await json<{ changes: ChangeJson[] }>(await desk.get(`/api/v1/patients/${id}/history`))).changes;
  const auditOf = async (id: string) =>
    (await app.deps.audit.list({ limit: 500 })).filter((r) => r.patientId === id);
  const staffId = async (email: string) => {
    const s = app.db.reader.t.staffAccounts;
    const [row] = await app.db.reader.db.select({ id: s.id }).from(s).where(eq(s.email, email));
    return row!.id;
  };

  it('changes demographics, contacts, emergency contact, referrer and identifiers, with a history of who and when', async () => {
    const { id } = await patientOnRecord(app, { firstName: 'Edith', lastName: 'Piaf' });
    const before = await read(id);
    expect(before).toMatchObject({ version: 1, sex: null, identifiers: [], status: 'active' });

    const res = await patch(desk, id, {
      version: 1,
      lastName: 'Gassion',
      sex: 'female',
      email: 'Edith@Example.org',
      phone: '+33 6 12 34 56 78',
      address: '1 rue de Belleville\n75020 Paris',
      emergencyContact: { name: 'Momone', relation: 'friend', phone: '+33 6 98 76 54 32' },
      referrer: { name: 'Dr Lenoir', practice: 'Cabinet Pigalle', contact: '+33 1 23 45 67 89' },
      identifiers: [
        { type: 'national', value: '2 15 12 75 120 005' },
        { type: 'insurance', value: 'MUT-4471' },
      ],
    });
    expect(res.status).toBe(200);
    const after = (await json<{ patient: RecordJson }>(res)).patient;
    expect(after).toMatchObject({
      version: 2,
      lastName: 'Gassion',
      sex: 'female',
      email: 'edith@example.org',
      phone: '+33612345678',
      emergencyContact: { name: 'Momone', relation: 'friend', phone: '+33698765432' },
      referrer: { name: 'Dr Lenoir', practice: 'Cabinet Pigalle' },
      identifiers: [
        { type: 'national', value: '2 15 12 75 120 005' },
        { type: 'insurance', value: 'MUT-4471' },
      ],
    });
    expect(await read(id)).toMatchObject({ version: 2, lastName: 'Gassion' });

    const deskId = await staffId('bo@clinic.example');
    const changes = await history(id);
    expect(changes.map((c) => c.field).sort()).toEqual(
      [
        'address',
        'email',
        'emergencyName',
        'emergencyPhone',
        'emergencyRelation',
        'identifiers',
        'lastName',
        'phone',
        'referrerContact',
        'referrerName',
        'referrerPractice',
        'sex',
      ].sort(),
    );
    expect(changes.find((c) => c.field === 'lastName')).toMatchObject({
      oldValue: 'Piaf',
      newValue: 'Gassion',
      version: 2,
      by: { type: 'staff', id: deskId },
    });
    expect(changes.every((c) => c.at === changes[0]!.at)).toBe(true);

    // A second change: only what differs, newest first in the history.
    const again = await patch(doctor, id, { version: 2, lastName: 'Gassion', email: null });
    expect((await json<{ patient: RecordJson }>(again)).patient).toMatchObject({ version: 3, email: null });
    const [newest] = await history(id);
    expect(newest).toMatchObject({
      field: 'email',
      oldValue: 'edith@example.org',
      newValue: null,
      version: 3,
    });

    // Audited: the fields named, never their values.
    const updates = (await auditOf(id)).filter((r) => r.action === 'patient.update');
    expect(updates).toHaveLength(2);
    expect(JSON.stringify(updates)).not.toContain('Gassion');
    expect(JSON.stringify(updates)).toContain('lastName');
    // The search finds the new name.
    const found = await json<{ patients: { id: string }[] }>(await desk.get('/api/v1/patients?q=gassion'));
    expect(found.patients.map((p) => p.id)).toEqual([id]);
  });

  it('a patient’s own change (a consent) is in the history too, and moves the version on', async () => {
    const { id } = await patientOnRecord(app, { firstName: 'Yves', lastName: 'Montand' });
    await app.deps.patients.updateOwn(
      { type: 'patient', id },
      { notifications: { sms: false } },
      { createdAt: app.clock.now() },
    );
    expect(await history(id)).toEqual([
      expect.objectContaining({
        field: 'messagesBySms',
        oldValue: 'true',
        newValue: 'false',
        by: { type: 'patient', id },
      }),
    ]);
    // A staff tab that read version 1 no longer overwrites it.
    expect((await patch(desk, id, { version: 1, lastName: 'Livi' })).status).toBe(409);
    expect(await read(id)).toMatchObject({ version: 2, lastName: 'Montand' });
  });

  it('refuses bad input field by field and saves nothing', async () => {
    const { id } = await patientOnRecord(app, { firstName: 'Jean', lastName: 'Gabin' });
    const res = await patch(desk, id, {
      version: 1,
      firstName: '',
      dateOfBirth: '2999-01-01',
      email: 'not-an-email',
      sex: 'sometimes',
      identifiers: [{ type: 'passport', value: 'X' }],
    });
    expect(res.status).toBe(422);
    const body = await json<{ error: { code: string; issues: { path: string }[] } }>(res);
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['firstName', 'dateOfBirth', 'email', 'sex', 'identifiers.0.type']),
    );
    // An emergency phone that cannot be a number.
    const phone = await patch(desk, id, { version: 1, emergencyContact: { phone: '123456' } });
    expect(phone.status).toBe(422);
    expect((await json<{ error: { issues: { path: string }[] } }>(phone)).error.issues[0]!.path).toBe(
      'emergencyContact.phone',
    );
    // Without a version: refused.
    expect((await patch(desk, id, { firstName: 'Jeannot' })).status).toBe(422);
    expect(await read(id)).toMatchObject({ firstName: 'Jean', version: 1 });
    expect(await history(id)).toEqual([]);
  });

  it('two tabs: the second change answers 409 with the current version, and nothing of it is saved', async () => {
    const { id } = await patientOnRecord(app, { firstName: 'Arletty', lastName: 'Bathiat' });
    const first = await patch(desk, id, { version: 1, phone: '+33 6 11 11 11 11' });
    expect(first.status).toBe(200);
    const second = await patch(admin, id, { version: 1, phone: '+33 6 22 22 22 22', lastName: 'Other' });
    expect(second.status).toBe(409);
    expect((await json<{ error: { code: string; currentVersion: number } }>(second)).error).toMatchObject({
      code: 'version_conflict',
      currentVersion: 2,
    });
    expect(await read(id)).toMatchObject({ phone: '+33611111111', lastName: 'Bathiat', version: 2 });
    expect((await history(id)).map((c) => c.newValue)).toEqual(['+33611111111']);

    // At once: exactly one of two saves from the same version wins.
    const racing = await Promise.all([
      patch(desk, id, { version: 2, address: 'A' }),
      patch(admin, id, { version: 2, address: 'B' }),
    ]);
    expect(racing.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await read(id)).version).toBe(3);
    expect((await history(id)).filter((c) => c.field === 'address')).toHaveLength(1);
  });

  it('alerts: clinical ones written by clinical staff, every alert seen by all staff, resolved ones kept', async () => {
    const { id } = await patientOnRecord(app, { firstName: 'Alain', lastName: 'Delon' });
    const alerts = `/api/v1/patients/${id}/alerts`;
    // Reception may not write an allergy, but may write an admin note.
    const refused = await desk.json('POST', alerts, { kind: 'allergy', text: 'Penicillin' });
    expect(refused.status).toBe(403);
    const adminRefused = await admin.json('POST', alerts, { kind: 'medical', text: 'Pacemaker' });
    expect(adminRefused.status).toBe(403);
    const allergy = await doctor.json('POST', alerts, {
      kind: 'allergy',
      text: 'Penicillin',
      severity: 'high',
    });
    expect(allergy.status).toBe(201);
    const allergyRow = (await json<{ alert: AlertJson }>(allergy)).alert;
    expect(allergyRow).toMatchObject({ kind: 'allergy', severity: 'high', resolvedAt: null });
    expect(allergyRow.createdBy).toBe(await staffId('p1@clinic.example'));
    const note = await desk.json('POST', alerts, { kind: 'admin', text: 'Prefers mornings' });
    expect(note.status).toBe(201);
    const bad = await doctor.json('POST', alerts, { kind: 'gossip', text: '' });
    expect(bad.status).toBe(422);

    // The front desk sees every active alert, allergies included (alerts.ts says why).
    const seen = await json<{ alerts: AlertJson[] }>(await desk.get(alerts));
    expect(seen.alerts.map((a) => [a.kind, a.text])).toEqual([
      ['allergy', 'Penicillin'],
      ['admin', 'Prefers mornings'],
    ]);

    // Resolving: an allergy by clinical staff only; once.
    const resolvePath = `${alerts}/${allergyRow.id}`;
    expect((await desk.json('PATCH', resolvePath, { resolved: true })).status).toBe(403);
    const resolved = await doctor.json('PATCH', resolvePath, { resolved: true });
    expect(resolved.status).toBe(200);
    expect((await json<{ alert: AlertJson }>(resolved)).alert.resolvedAt).not.toBeNull();
    expect((await doctor.json('PATCH', resolvePath, { resolved: true })).status).toBe(409);
    const active = await json<{ alerts: AlertJson[] }>(await desk.get(alerts));
    expect(active.alerts.map((a) => a.kind)).toEqual(['admin']);
    const all = await json<{ alerts: AlertJson[] }>(await desk.get(`${alerts}?all=1`));
    expect(all.alerts).toHaveLength(2);
    // Another patient's alert is not found under this one.
    const other = await patientOnRecord(app, { firstName: 'Romy' });
    expect(
      (await doctor.json('PATCH', `/api/v1/patients/${other.id}/alerts/${allergyRow.id}`, { resolved: true }))
        .status,
    ).toBe(404);

    const actions = (await auditOf(id)).map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining(['patient_alert.add', 'patient_alert.resolve', 'patient_alert.list']),
    );
    expect(JSON.stringify(await auditOf(id))).not.toContain('Penicillin');
  });

  it('archive: out of search, not bookable, everything kept; unarchive brings it back', async () => {
    const { id } = await patientOnRecord(app, { firstName: 'Simone', lastName: 'Signoret' });
    const search = async () =>
      (await json<{ patients: { id: string }[] }>(await desk.get('/api/v1/patients?q=signoret'))).patients;
    expect((await search()).map((p) => p.id)).toEqual([id]);
    await doctor.json('POST', `/api/v1/patients/${id}/alerts`, { kind: 'allergy', text: 'Latex' });

    const archived = await desk.json('POST', `/api/v1/patients/${id}/archive`, {});
    expect(archived.status).toBe(200);
    expect((await json<{ patient: RecordJson }>(archived)).patient).toMatchObject({
      status: 'archived',
      version: 2,
    });
    expect(await search()).toEqual([]);
    // The staff list leaves it out, unless "Show archived".
    expect(await (await desk.get('/staff/patients?q=signoret')).text()).not.toContain('Signoret, Simone');
    const shown = await (await desk.get('/staff/patients?q=signoret&archived=1')).text();
    expect(shown).toContain('Signoret, Simone');
    expect(shown).toContain('(archived)');
    // Nor does the booking form's search offer it.
    expect(await (await desk.get('/staff/patients/search?q=signoret')).text()).not.toContain('Simone');
    // The record, its alerts and its history stay.
    expect(await read(id)).toMatchObject({ status: 'archived', lastName: 'Signoret' });
    expect(
      (await json<{ alerts: AlertJson[] }>(await desk.get(`/api/v1/patients/${id}/alerts`))).alerts,
    ).toHaveLength(1);
    expect((await history(id))[0]).toMatchObject({
      field: 'status',
      oldValue: 'active',
      newValue: 'archived',
    });

    const refused = await desk.json(
      'POST',
      '/api/v1/appointments',
      booking(clinic, clinic.practitionerIds[0]!, TUE_0900, id),
    );
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('patient_archived');

    // A stale version is refused; the right one brings it back.
    expect((await desk.json('POST', `/api/v1/patients/${id}/unarchive`, { version: 1 })).status).toBe(409);
    const back = await desk.json('POST', `/api/v1/patients/${id}/unarchive`, { version: 2 });
    expect(back.status).toBe(200);
    expect((await search()).map((p) => p.id)).toEqual([id]);
    expect((await auditOf(id)).map((r) => r.action)).toEqual(
      expect.arrayContaining(['patient.archive', 'patient.unarchive']),
    );
  });
});
