import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { App } from '../src/app.ts';
import { systemActor } from '../src/domain/audit/index.ts';
import { expectRejected, expectRejectingRun, importTotals, rejectedOf } from '../src/testing/csv-import.ts';
import { addService, savePractitionerProfile } from '../src/testing/factories.ts';
import { staffMember } from '../src/testing/signed-in.ts';
import { tempDir, tempFile } from './cli-setup.ts';
import { type Clinic, cli, clinicsPerTest, countInClinic, queryClinic } from './cli-storage-world.ts';

/**
 * `clinicbox import appointments FILE.csv` as a person runs it: a child process on a data folder
 * (SQLite, or a database of its own on the suite's PostgreSQL) of a clinic in Europe/London
 * (en-GB: 01/03/2027 is the 1st of March) with four practitioners offering Physiotherapy, 100
 * patients, and one appointment already booked.
 */
const PRACTITIONERS = ['Dr Ana Ortiz', 'Dr Ben Cole', 'Dr Cara Diaz', 'Dr Dev Rao'];
const PATIENTS = 100;
const ROWS = 3_000;
const ON_FILE_START = '2027-02-15T10:00:00Z';

const newClinic = clinicsPerTest(async (app: App) => {
  await app.deps.clinic.update(systemActor, {
    ...(await app.deps.clinic.get()),
    timeZone: 'Europe/London',
    locale: 'en-GB',
  });
  const service = await addService(app, { name: 'Physiotherapy', durationMin: 30 });
  const ids: string[] = [];
  for (const [i, name] of PRACTITIONERS.entries()) {
    const { account } = await staffMember(app, 'practitioner', { email: `dr${i}@clinic.example`, name });
    await savePractitionerProfile(app, account.id, name, [service.id], '09:00-17:00');
    ids.push(account.id);
  }
  const patientIds: string[] = [];
  for (let j = 0; j < PATIENTS; j++) {
    const p = await app.deps.patients.create(systemActor, {
      firstName: `Given${j}`,
      lastName: `Family${j}`,
      dateOfBirth: `19${50 + (j % 50)}-0${1 + (j % 9)}-1${j % 10}`,
      email: `pat${j}@example.org`,
    });
    patientIds.push(p.id);
  }
  await app.deps.appointments.book(
    { actor: systemActor, role: 'admin' },
    { serviceId: service.id, practitionerId: ids[0]!, patientId: patientIds[0]!, start: ON_FILE_START },
  );
});

const counts = async (clinic: Clinic) => ({
  appointments: await countInClinic(
    clinic,
    "select count(*) as n from appointments where status <> 'cancelled'",
  ),
  audited: await countInClinic(
    clinic,
    "select count(*) as n from audit_log where action = 'appointment.book'",
  ),
  messages: await countInClinic(
    clinic,
    "select count(*) as n from jobs where name in ('scheduling.appointment-changed', 'scheduling.send-reminder')",
  ),
});

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * 10,000 rows in the generic template, exactly 3 % of them bad, six kinds of 50: a practitioner
 * or a service no one has, a patient not on file, a time in the past, a clash (with the row four
 * before, of the same practitioner, or with the appointment on file), and a date that does not
 * exist. Good rows fill 08:00–17:30 slots of the four practitioners from 1 March 2027 (across the
 * clocks going forward), naming the patient by email or by name and date of birth, the time as
 * 9:30 or 2:30 PM.
 */
function generate() {
  const lines = ['email,first_name,last_name,date_of_birth,practitioner,service,date,time'];
  const bad = new Map<number, RegExp>();
  const day0 = Date.UTC(2027, 2, 1);
  const slotOf = (i: number) => {
    const k = Math.floor(i / PRACTITIONERS.length);
    const d = new Date(day0 + Math.floor(k / 20) * 86_400_000);
    const minutes = 8 * 60 + (k % 20) * 30;
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    const time = i % 3 ? `${h}:${pad(m)}` : `${((h + 11) % 12) + 1}:${pad(m)} ${h < 12 ? 'AM' : 'PM'}`;
    return { date: `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`, time };
  };
  const good = (i: number) => {
    const j = i % PATIENTS;
    const dob = `1${j % 10}/0${1 + (j % 9)}/19${50 + (j % 50)}`;
    const who = i % 2 ? ['', `Given${j}`, `Family${j}`, dob] : [`PAT${j}@example.org`, '', '', ''];
    const { date, time } = slotOf(i);
    return [...who, PRACTITIONERS[i % PRACTITIONERS.length]!.toLowerCase(), 'physiotherapy', date, time];
  };
  let kind = 0;
  for (let i = 0; i < ROWS; i++) {
    const line = i + 2;
    const row = good(i);
    if ([7, 37, 67].includes(i % 100)) {
      const which = kind++ % 6;
      if (which === 0) {
        row[4] = 'Dr Nobody';
        bad.set(line, /^no practitioner called "Dr Nobody"$/);
      } else if (which === 1) {
        row[5] = 'Reiki';
        bad.set(line, /^no active service called "Reiki"$/);
      } else if (which === 2) {
        row.splice(0, 4, 'nobody@example.org', '', '', '');
        bad.set(line, /^no patient on file with this email, or this name and date of birth$/);
      } else if (which === 3) {
        row.splice(6, 2, '06/01/2025', '10:00');
        bad.set(line, /^starts in the past$/);
      } else if (which === 4 && kind % 2) {
        row.splice(4, 4, ...good(i - 4).slice(4));
        bad.set(line, new RegExp(`^clashes with line ${line - 4}$`));
      } else if (which === 4) {
        row.splice(4, 4, PRACTITIONERS[0]!, 'Physiotherapy', '15/02/2027', '10:15');
        bad.set(line, /^clashes with an appointment on file$/);
      } else {
        row.splice(6, 2, '31/02/2027', '10:00');
        bad.set(line, /^start "31\/02\/2027 10:00" is not a date and time \(in the clinic's time zone\)$/);
      }
    }
    lines.push(row.join(','));
  }
  return { csv: `${lines.join('\n')}\n`, bad };
}

describe('clinicbox import appointments', () => {
  it('books 3,000 rows but the 3 % bad ones, which it lists with reasons; a second run skips what is there', async () => {
    const clinic = await newClinic();
    const data = generate();
    expect(data.bad.size).toBe(ROWS * 0.03);
    const file = tempFile('appointments.csv', data.csv);
    const before = await counts(clinic);
    expect(before.appointments).toBe(1);

    const dry = await cli(['import', 'appointments', file, '--dry-run', ...clinic.flags]);
    expect(dry.stdout).toContain(
      'columns: email ← email, firstName ← first_name, lastName ← last_name, dateOfBirth ← date_of_birth, practitioner ← practitioner, service ← service, date ← date, time ← time',
    );
    const totals = { imported: ROWS - data.bad.size, skipped: 0, rejected: data.bad.size };
    expectRejectingRun(dry, ROWS, totals, true);
    expect(await counts(clinic)).toEqual(before);

    const real = await cli(['import', 'appointments', file, '--batch-size', '1000', ...clinic.flags]);
    expectRejectingRun(real, ROWS, totals);
    expect(real.stdout.match(/^batch \d+: rows /gm)).toHaveLength(ROWS / 1000);
    expectRejected(file, data.bad);
    const after = await counts(clinic);
    expect(after.appointments).toBe(1 + ROWS - data.bad.size);
    expect(after.audited).toBe(after.appointments);
    // No confirmation or reminder without --notify (the one booked before the import has its own).
    expect(after.messages).toBe(before.messages);
    // Wall times in the clinic's zone: 9:00 on 1 March is GMT, on 5 April (after the change) BST.
    const utc = async (from: string, to: string) =>
      (
        await queryClinic<{ s: number | string | Date }>(
          clinic,
          clinic.config.databaseUrl
            ? `select start_at as s from appointments where start_at >= '${from}' and start_at < '${to}' order by start_at limit 1`
            : `select start_at as s from appointments where start_at >= ${Date.parse(from)} and start_at < ${Date.parse(to)} order by start_at limit 1`,
        )
      ).map((r) => new Date(typeof r.s === 'object' ? r.s : Number(r.s)).toISOString())[0];
    expect(await utc('2027-03-01T00:00:00Z', '2027-03-02T00:00:00Z')).toBe('2027-03-01T08:00:00.000Z');
    expect(await utc('2027-04-05T00:00:00Z', '2027-04-06T00:00:00Z')).toBe('2027-04-05T07:00:00.000Z');

    const again = await cli(['import', 'appointments', file, ...clinic.flags]);
    expect(again.stdout).toContain(
      importTotals(ROWS, { imported: 0, skipped: ROWS - data.bad.size, rejected: data.bad.size }),
    );
    // The same lines again; a clash with a row now on file reads differently, so only the lines.
    expect([...rejectedOf(file).keys()]).toEqual([...data.bad.keys()]);
    expect(await counts(clinic)).toEqual(after);
  }, 900_000);

  it('names what it cannot find among the columns; --notify sends the confirmations', async () => {
    const clinic = await newClinic();
    const dir = tempDir();
    const other = join(dir, 'other.csv');
    writeFileSync(
      other,
      'Client,Therapist,Kind,When\npat1@example.org,Dr Ben Cole,Physiotherapy,2027-05-03 09:00\n',
    );
    const unmapped = await cli(['import', 'appointments', other, ...clinic.flags]);
    expect(unmapped.code).toBe(2);
    expect(unmapped.stderr).toContain(
      'no column for practitioner, service, start (or date and time), email (or firstName, lastName and dateOfBirth)',
    );
    const map = join(dir, 'map.json');
    writeFileSync(
      map,
      JSON.stringify({ email: 'Client', practitioner: 'Therapist', service: 'Kind', start: 'When' }),
    );
    const before = await counts(clinic);
    const mapped = await cli(['import', 'appointments', other, '--map', map, '--notify', ...clinic.flags]);
    expect(mapped.stdout).toContain('1 rows: 1 imported, 0 already on file (skipped), 0 rejected');
    expect(mapped.code).toBe(0);
    expect((await counts(clinic)).messages).toBeGreaterThan(before.messages);
  }, 120_000);
});
