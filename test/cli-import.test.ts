import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectRejected, expectRejectingRun } from '../src/testing/csv-import.ts';
import { startCli } from '../src/testing/process.ts';
import { tempDir, tempFile } from './cli-setup.ts';
import { type Clinic, cli, clinicsPerTest, countInClinic, queryClinic } from './cli-storage-world.ts';

/**
 * `clinicbox import patients FILE.csv` as a person runs it: a child process on a data folder
 * (SQLite, or a database of its own on the suite's PostgreSQL) whose clinic (en-GB, so 12/03/1980
 * is the 12th of March) already holds one patient, Ines Files, born 1980-01-01.
 */
const newClinic = clinicsPerTest();

const counts = async (clinic: Clinic) => ({
  patients: await countInClinic(clinic, 'select count(*) as n from patients'),
  audited: await countInClinic(clinic, "select count(*) as n from audit_log where action = 'patient.create'"),
  distinct: await countInClinic(
    clinic,
    'select count(*) as n from (select search_name, date_of_birth from patients group by search_name, date_of_birth) x',
  ),
});

interface Generated {
  csv: string;
  /** The file line (header = 1) of each bad row, and what its reason must say. */
  bad: Map<number, RegExp>;
  /** Good rows in each batch of `batchSize`. */
  goodPerBatch: number[];
}

const ROWS = 10_000;
const BATCH = 500;

/**
 * 10,000 rows in the generic template, exactly 3 % of them bad: 75 impossible dates, 75 bad
 * emails, 75 without a last name and 75 duplicates (of an earlier row's name and birth date, of
 * an earlier row's email, or of the record already on file). Dates mix YYYY-MM-DD and DD/MM/YYYY.
 */
function generate(): Generated {
  const lines = ['first_name,last_name,date_of_birth,email,phone,address,sex'];
  const bad = new Map<number, RegExp>();
  const goodPerBatch: number[] = [];
  const dob = (i: number) => {
    const y = 1940 + (i % 70);
    const m = 1 + (i % 12);
    const d = 1 + (i % 28);
    const pad = (n: number) => String(n).padStart(2, '0');
    return i % 2 ? `${y}-${pad(m)}-${pad(d)}` : `${pad(d)}/${pad(m)}/${y}`;
  };
  const good = (i: number) => [
    `Given${i}`,
    `Family${i % 97}`,
    dob(i),
    `p${i}@example.org`,
    `07700 9${String(i).padStart(5, '0')}`,
    i % 3 ? '' : `"${i} High Street\nLeeds"`,
    ['female', 'M', '', 'Other'][i % 4]!,
  ];
  let kind = 0;
  let firstInes = 0;
  for (let i = 0; i < ROWS; i++) {
    const line = i + 2;
    const isBad = [7, 37, 67].includes(i % 100);
    if (i % BATCH === 0) goodPerBatch.push(0);
    if (!isBad) {
      lines.push(good(i).join(','));
      goodPerBatch[goodPerBatch.length - 1]!++;
      continue;
    }
    const row = good(i);
    const which = kind++ % 4;
    if (which === 0) {
      row[2] = '31/02/1980';
      bad.set(line, /^date of birth is missing or not a valid past date$/);
    } else if (which === 1) {
      row[3] = `p${i}-at-example.org`;
      bad.set(line, /^email is not a valid address$/);
    } else if (which === 2) {
      row[1] = '';
      bad.set(line, /^last name is missing$/);
    } else if (kind % 3 === 0) {
      // Same name and birth date as the good row three before.
      const [first, last, date] = good(i - 3);
      row[0] = first!;
      row[1] = last!;
      row[2] = date!;
      bad.set(line, new RegExp(`^duplicate of line ${line - 3} \\(same name and date of birth\\)$`));
    } else if (kind % 3 === 1) {
      row[3] = `p${i - 3}@example.org`;
      bad.set(line, new RegExp(`^duplicate of line ${line - 3} \\(same email\\)$`));
    } else {
      // The first such row matches the record on file; the later ones, that first row too.
      row[0] = 'Ines';
      row[1] = 'Files';
      row[2] = '01/01/1980';
      bad.set(
        line,
        firstInes
          ? new RegExp(`^duplicate of line ${firstInes} \\(same name and date of birth\\)$`)
          : /^possible duplicate of record \S+ on file \(same name and date of birth\)$/,
      );
      firstInes ||= line;
    }
    lines.push(row.join(','));
  }
  return { csv: `${lines.join('\n')}\n`, bad, goodPerBatch };
}

/** The rejected-rows file: line → reason. */
describe('clinicbox import patients', () => {
  it('imports 10,000 rows but the 3 % bad ones, which it lists with reasons; --dry-run changes nothing', async () => {
    const clinic = await newClinic();
    const data = generate();
    expect(data.bad.size).toBe(ROWS * 0.03);
    const file = tempFile('patients.csv', data.csv);
    const before = await counts(clinic);
    expect(before.patients).toBe(1);

    const dry = await cli(['import', 'patients', file, '--dry-run', ...clinic.flags]);
    const totals = { imported: ROWS - data.bad.size, skipped: 0, rejected: data.bad.size };
    expectRejectingRun(dry, ROWS, totals, true);
    expect(await counts(clinic)).toEqual(before);
    expectRejected(file, data.bad);

    const real = await cli(['import', 'patients', file, ...clinic.flags]);
    expectRejectingRun(real, ROWS, totals);
    // Not a terminal: one line per batch.
    expect(real.stdout.match(/^batch \d+: rows /gm)).toHaveLength(ROWS / BATCH);
    expectRejected(file, data.bad);
    const after = await counts(clinic);
    expect(after.patients).toBe(1 + ROWS - data.bad.size);
    expect(after.distinct).toBe(after.patients);
    expect(after.audited).toBe(after.patients);
    // Dates in both formats, phones in E.164, the address's lines and the sex as the record keeps them.
    const rows = await queryClinic<Record<string, unknown>>(
      clinic,
      "select date_of_birth, phone, address, sex, email from patients where first_name in ('Given0', 'Given1') order by first_name",
    );
    expect(rows).toEqual([
      {
        date_of_birth: '1940-01-01',
        phone: '+447700900000',
        address: '0 High Street\nLeeds',
        sex: 'female',
        email: 'p0@example.org',
      },
      {
        date_of_birth: '1941-02-02',
        phone: '+447700900001',
        address: null,
        sex: 'male',
        email: 'p1@example.org',
      },
    ]);
  }, 120_000);

  it('recognises the headers of Cliniko and Jane exports; --map names other columns; bad usage exits 2', async () => {
    const clinic = await newClinic();
    const dir = tempDir();
    const cliniko = join(dir, 'cliniko.csv');
    writeFileSync(
      cliniko,
      [
        'ID,Title,First Name,Last Name,Preferred First Name,Date of Birth,Sex,Address 1,Address 2,City,State,Post Code,Country,Email,Mobile Phone,Home Phone,Notes',
        '101,Ms,Ada,Lovelace,,10/12/1985,Female,12 St James Sq,,London,,SW1Y 4JH,United Kingdom,ada@example.org,07700 900201,,',
        '102,Mr,Alan,Turing,,1982-06-23,Male,,,,,,,alan@example.org,,020 7946 0001,',
      ].join('\r\n'),
    );
    writeFileSync(`${cliniko}.rejected.csv`, 'left by an earlier run\n');
    const c = await cli(['import', 'patients', cliniko, ...clinic.flags]);
    expect(c.stderr).toBe('');
    expect(c.stdout).toContain('2 rows: 2 imported, 0 already on file (skipped), 0 rejected');
    expect(c.code).toBe(0);
    expect(c.stdout).toContain(
      'columns: firstName ← First Name, lastName ← Last Name, dateOfBirth ← Date of Birth, email ← Email, phone ← Mobile Phone + Home Phone, address ← Address 1 + Address 2 + City + State + Post Code + Country, sex ← Sex',
    );
    expect(existsSync(`${cliniko}.rejected.csv`)).toBe(false);

    const jane = join(dir, 'jane.csv');
    writeFileSync(
      jane,
      [
        'Patient Number,First Name,Last Name,Preferred Name,Email,Mobile Phone,Home Phone,Birth Date,Sex,Street Address,Street Address Line 2,City,Province,Postal Code,Country',
        '5,Grace,Hopper,,grace@example.org,+1 202 555 0143,,1986-12-09,F,1 Navy Rd,,Arlington,VA,22201,USA',
      ].join('\n'),
    );
    const j = await cli(['import', 'patients', jane, ...clinic.flags]);
    expect(j.stdout).toContain('1 rows: 1 imported, 0 already on file (skipped), 0 rejected');
    expect(j.code).toBe(0);
    expect(j.stdout).toContain('dateOfBirth ← Birth Date');
    expect(j.stdout).toContain(
      'address ← Street Address + Street Address Line 2 + City + Province + Postal Code + Country',
    );

    const other = join(dir, 'other.csv');
    writeFileSync(other, 'Given,Family,Born,Mail\nKatherine,Johnson,08/26/1988,kj@example.org\n');
    const unmapped = await cli(['import', 'patients', other, ...clinic.flags]);
    expect(unmapped.code).toBe(2);
    expect(unmapped.stderr).toContain('no column for firstName, lastName, dateOfBirth');
    const map = join(dir, 'map.json');
    writeFileSync(
      map,
      JSON.stringify({ firstName: 'Given', lastName: 'Family', dateOfBirth: 'Born', email: 'Mail' }),
    );
    const mapped = await cli([
      'import',
      'patients',
      other,
      '--map',
      map,
      '--date-format',
      'mdy',
      ...clinic.flags,
    ]);
    expect(mapped.code).toBe(0);
    // Running the same files again makes nothing twice: every row is already on file.
    const again = await cli(['import', 'patients', cliniko, ...clinic.flags]);
    expect(again.stdout).toContain('2 rows: 0 imported, 2 already on file (skipped), 0 rejected');
    expect(again.code).toBe(0);

    const rows = await queryClinic<Record<string, unknown>>(
      clinic,
      "select first_name, last_name, date_of_birth, email, phone, address, sex from patients where first_name <> 'Ines' order by first_name",
    );
    expect(rows).toEqual([
      {
        first_name: 'Ada',
        last_name: 'Lovelace',
        date_of_birth: '1985-12-10',
        email: 'ada@example.org',
        phone: '+447700900201',
        address: '12 St James Sq\nLondon\nSW1Y 4JH\nUnited Kingdom',
        sex: 'female',
      },
      {
        first_name: 'Alan',
        last_name: 'Turing',
        date_of_birth: '1982-06-23',
        email: 'alan@example.org',
        phone: '+442079460001',
        address: null,
        sex: 'male',
      },
      {
        first_name: 'Grace',
        last_name: 'Hopper',
        date_of_birth: '1986-12-09',
        email: 'grace@example.org',
        phone: '+12025550143',
        address: '1 Navy Rd\nArlington\nVA\n22201\nUSA',
        sex: 'female',
      },
      {
        first_name: 'Katherine',
        last_name: 'Johnson',
        date_of_birth: '1988-08-26',
        email: 'kj@example.org',
        phone: null,
        address: null,
        sex: null,
      },
    ]);
    expect((await cli(['import', 'patients', ...clinic.flags])).code).toBe(2);
    expect((await cli(['import', 'patients', join(dir, 'missing.csv'), ...clinic.flags])).code).toBe(2);
  }, 60_000);

  it('a SIGKILL mid-import leaves whole batches only; a re-run completes it without duplicates', async () => {
    const clinic = await newClinic();
    const data = generate();
    const file = tempFile('patients.csv', data.csv);
    const { child, finished } = await startCli(
      ['import', 'patients', file, '--log-level', 'warn', ...clinic.flags],
      /^batch 2: /m,
      { timeoutMs: 30_000 },
    );
    child.kill('SIGKILL');
    const killed = await finished;
    expect(killed.signal).toBe('SIGKILL');

    const mid = await counts(clinic);
    const boundaries = [0];
    for (const n of data.goodPerBatch) boundaries.push(boundaries.at(-1)! + n);
    expect(boundaries).toContain(mid.patients - 1);
    expect(mid.patients - 1).toBeGreaterThanOrEqual(boundaries[2]!);
    expect(mid.patients - 1).toBeLessThan(boundaries.at(-1)!);
    expect(mid.audited).toBe(mid.patients);

    const rerun = await cli(['import', 'patients', file, ...clinic.flags]);
    const skipped = mid.patients - 1;
    expectRejectingRun(rerun, ROWS, {
      imported: ROWS - data.bad.size - skipped,
      skipped,
      rejected: data.bad.size,
    });
    expectRejected(file, data.bad);
    const after = await counts(clinic);
    expect(after.patients).toBe(1 + ROWS - data.bad.size);
    expect(after.distinct).toBe(after.patients);
    expect(after.audited).toBe(after.patients);
  }, 120_000);
});
