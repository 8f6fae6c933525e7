/**
 * The benchmark's clinic, built through the real services: practitioners with weekly hours, one
 * service, 2,000 patients, a signed-in receptionist, then about BENCH_APPOINTMENTS appointments.
 * A copy taken before the appointments is the baseline clinic.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { App } from '../../src/app.ts';
import {
  type AppointmentRow,
  type GeneratorPractitioner,
  generateAppointments,
  seededRandom,
} from '../../src/cli/demo-clinic.ts';
import { type Db, execute, openDatabase } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrate.ts';
import { systemActor } from '../../src/domain/audit/index.ts';
import { insertAppointmentsInBulk } from '../../src/domain/scheduling/index.ts';
import { appOnDatabase } from '../../src/testing/app.ts';
import { addService } from '../../src/testing/factories.ts';
import { practitionerCount, target, ZONE } from './settings.ts';

/** What the measurements need of the seeded clinics. */
/**
 * A service and `count` practitioners offering it, weekday hours 08:00–12:00 and 13:00–18:00, as
 * the demo generator takes them (shared with bench/reports).
 */
export async function benchPractitioners(
  app: App,
  count: number,
): Promise<{
  service: Awaited<ReturnType<typeof addService>>;
  generatorPractitioners: GeneratorPractitioner[];
}> {
  const { staff, practitioners } = app.deps;
  const service = await addService(app, { description: '' });
  const hours = '08:00-12:00, 13:00-18:00';
  const generatorPractitioners: GeneratorPractitioner[] = [];
  for (let i = 0; i < count; i++) {
    const p = await staff.accounts.create(systemActor, {
      email: `p${i}@bench.example`,
      name: `P${i}`,
      role: 'practitioner',
    });
    await practitioners.save(systemActor, p.id, {
      displayName: `Practitioner ${String(i + 1).padStart(2, '0')}`,
      title: '',
      bio: '',
      colour: '#1d4ed8',
      bookableOnline: true,
      serviceIds: [service.id],
      hours: { 1: hours, 2: hours, 3: hours, 4: hours, 5: hours, 6: '', 7: '' },
    });
    generatorPractitioners.push({
      id: p.id,
      weekly: (await practitioners.get(p.id)).weekly,
      services: [service],
    });
  }
  return { service, generatorPractitioners };
}

export interface BenchClinics {
  /** Data folders: the clinic with its appointments, and the same clinic without. */
  fullDir: string;
  emptyDir: string;
  serviceId: string;
  practitionerIds: string[];
  patientIds: string[];
  /** The receptionist's session token. */
  token: string;
  /** The start of today in the clinic's zone. */
  today: DateTime;
  /** Appointments in the full clinic. */
  total: number;
  seedSeconds: number;
}

/** The clinic, its receptionist, the service and the practitioners who give it. */
async function addStaff(app: App) {
  const { staff, clinic } = app.deps;
  await clinic.update(systemActor, {
    ...(await clinic.get()),
    name: 'Bench clinic',
    timeZone: ZONE,
    minNoticeMinutes: 0,
    horizonDays: 730,
  });
  const desk = await staff.accounts.create(systemActor, {
    email: 'desk@bench.example',
    name: 'Desk',
    role: 'reception',
  });
  const { service, generatorPractitioners } = await benchPractitioners(app, practitionerCount);
  return { desk, service, generatorPractitioners };
}

async function addPatients(app: App): Promise<string[]> {
  const patientIds: string[] = [];
  for (let i = 0; i < 2000; i++) {
    patientIds.push(
      (
        await app.deps.patients.create(systemActor, {
          firstName: `Pat${i}`,
          lastName: `Bench${i}`,
          dateOfBirth: '1980-01-01',
        })
      ).id,
    );
  }
  return patientIds;
}

/**
 * The bench's appointments, generated from seed 7 (shared with bench/reports): the practitioners'
 * days 75 % full, from as far back as `target` needs to 56 days after `today`, handed to `emit`
 * in batches of 5,000. About 15–16 appointments per practitioner per weekday (9 h at 30 min, 75 %
 * full) decide how many weekdays back. Answers how many it made.
 */
export function generateBenchAppointments(options: {
  practitioners: GeneratorPractitioner[];
  patientIds: string[];
  target: number;
  now: Date;
  today: DateTime;
  emit: (rows: AppointmentRow[]) => Promise<void>;
}): Promise<number> {
  const { practitioners, today } = options;
  const weekdaysNeeded = Math.ceil(options.target / (practitioners.length * 15));
  const from = today.minus({ days: Math.ceil((weekdaysNeeded * 7) / 5) - 56 });
  return generateAppointments({
    practitioners,
    patientIds: options.patientIds,
    zone: ZONE,
    from: from.toISODate()!,
    to: today.plus({ days: 56 }).toISODate()!,
    now: options.now,
    rng: seededRandom(7),
    fill: 0.75,
    batch: 5000,
    emit: options.emit,
  });
}

/** Fills the practitioners' days up to 56 days ahead, going back as far as the target needs. */
async function addAppointments(
  db: Db,
  generatorPractitioners: GeneratorPractitioner[],
  patientIds: string[],
  now: Date,
  today: DateTime,
): Promise<number> {
  const total = await generateBenchAppointments({
    practitioners: generatorPractitioners,
    patientIds,
    target,
    now,
    today,
    emit: (rows) => db.tx((ctx) => insertAppointmentsInBulk(ctx, rows)),
  });
  await db.tx((ctx) => execute(ctx, sql`analyze`));
  return total;
}

/** Seeds both clinics in a temp folder removed when the bench exits. */
export async function seedClinics(): Promise<BenchClinics> {
  const work = mkdtempSync(join(tmpdir(), 'clinicbox-bench-scheduling-'));
  process.on('exit', () => rmSync(work, { recursive: true, force: true }));
  const fullDir = join(work, 'full');
  const emptyDir = join(work, 'empty');
  mkdirSync(fullDir, { mode: 0o700 });
  mkdirSync(emptyDir, { mode: 0o700 });

  const seedStarted = performance.now();
  const db = await openDatabase({
    url: '',
    sqlite: { path: join(fullDir, 'clinicbox.db'), synchronous: 'normal' },
  });
  await migrate(db);
  const app = await appOnDatabase(db, {}, 2 ** 14);
  const { desk, service, generatorPractitioners } = await addStaff(app);
  const patientIds = await addPatients(app);
  const { token } = await app.deps.staff.sessions.start(desk.id, { mfaVerified: true });
  // The same clinic without appointments: the baseline for slot search and booking.
  await execute(db.reader, sql.raw(`vacuum into '${join(emptyDir, 'clinicbox.db')}'`));

  const now = new Date();
  const today = DateTime.fromJSDate(now, { zone: ZONE }).startOf('day');
  const total = await addAppointments(db, generatorPractitioners, patientIds, now, today);
  await app.stop();
  return {
    fullDir,
    emptyDir,
    serviceId: service.id,
    practitionerIds: generatorPractitioners.map((p) => p.id),
    patientIds,
    token,
    today,
    total,
    seedSeconds: (performance.now() - seedStarted) / 1000,
  };
}
