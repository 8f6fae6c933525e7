import { DateTime } from 'luxon';
import type { App } from '../app.ts';
import { configFrom, dataOptions } from '../config/index.ts';
import { boolOption } from '../config/options.ts';
import type { Db } from '../db/client.ts';
import { systemActor } from '../domain/audit/index.ts';
import type { AppointmentStatus, Weekday } from '../domain/scheduling/index.ts';
import { newId, randomToken } from '../lib/ids.ts';
import { defineCommand } from './command.ts';
import { openAppForCommand } from './start.ts';

/**
 * `clinicbox demo`: a realistic small clinic to try Clinicbox and to benchmark it — 4
 * practitioners, 6 services, weekly hours, 200 patients and four weeks of past and future
 * appointments. The appointment generator is shared with bench/scheduling.ts.
 */

/** A small deterministic random source (mulberry32), so a seed gives the same clinic. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rng: () => number, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;

const FIRST = [
  'Amelia',
  'Noah',
  'Olivia',
  'Liam',
  'Isla',
  'Leo',
  'Ava',
  'Oscar',
  'Mia',
  'Arthur',
  'Freya',
  'Luca',
  'Zara',
  'Omar',
  'Chloe',
  'Yusuf',
  'Grace',
  'Mateo',
  'Ella',
  'Kai',
  'Aisha',
  'Theo',
  'Nia',
  'Felix',
  'Hana',
  'Ravi',
  'Sofia',
  'Jonas',
  'Lina',
  'Tariq',
];
const LAST = [
  'Smith',
  'Jones',
  'Patel',
  'Khan',
  'Williams',
  'Brown',
  'Nguyen',
  'Garcia',
  'Müller',
  'Rossi',
  'Dubois',
  'Kowalski',
  'Okafor',
  'Sato',
  'Silva',
  'Andersen',
  'Murphy',
  'Cohen',
  'Haddad',
  'Novak',
  'Evans',
  'Taylor',
  'Ahmed',
  'Fischer',
  'Moreau',
];

export const demoServices = [
  {
    key: 'assessment',
    name: 'Physiotherapy assessment',
    durationMin: 60,
    bufferAfterMin: 10,
    requiresApproval: false,
    description: 'A first visit: history, examination and a treatment plan.',
  },
  {
    key: 'physio',
    name: 'Physiotherapy follow-up',
    durationMin: 30,
    bufferAfterMin: 0,
    requiresApproval: false,
    description: 'Treatment and exercises, following an assessment.',
  },
  {
    key: 'massage',
    name: 'Sports massage',
    durationMin: 45,
    bufferAfterMin: 15,
    requiresApproval: false,
    description: 'Deep tissue massage for recovery.',
  },
  {
    key: 'gp',
    name: 'GP consultation',
    durationMin: 15,
    bufferAfterMin: 0,
    requiresApproval: false,
    description: 'A general practitioner appointment.',
  },
  {
    key: 'psychology',
    name: 'Psychology session',
    durationMin: 50,
    bufferAfterMin: 10,
    requiresApproval: true,
    description: 'Talking therapy with a clinical psychologist.',
  },
  {
    key: 'acupuncture',
    name: 'Acupuncture',
    durationMin: 30,
    bufferAfterMin: 0,
    requiresApproval: false,
    description: 'Dry needling for pain relief.',
  },
] as const;

export const demoPractitioners = [
  {
    name: 'Dr Amara Okafor',
    title: 'General practitioner',
    colour: '#1d4ed8',
    services: ['gp'],
    hours: '08:30-12:30, 13:30-17:00',
  },
  {
    name: 'Lucas Meyer',
    title: 'Physiotherapist',
    colour: '#15803d',
    services: ['assessment', 'physio', 'acupuncture'],
    hours: '09:00-13:00, 14:00-18:00',
  },
  {
    name: 'Sofia Rossi',
    title: 'Physiotherapist and sports therapist',
    colour: '#b45309',
    services: ['assessment', 'physio', 'massage'],
    hours: '08:00-12:00, 12:30-16:30',
  },
  {
    name: 'Dr Hana Sato',
    title: 'Clinical psychologist',
    colour: '#7e22ce',
    services: ['psychology'],
    hours: '10:00-13:00, 14:00-19:00',
  },
] as const;

export interface GeneratorPractitioner {
  id: string;
  /** Weekday → "HH:MM" intervals. */
  weekly: Partial<Record<Weekday, { start: string; end: string }[]>>;
  services: { id: string; durationMin: number; bufferBeforeMin: number; bufferAfterMin: number }[];
}

export type AppointmentRow = typeof import('../db/schema/sqlite.ts').appointments.$inferInsert;

/**
 * Fills each practitioner's working hours between two local dates with non-overlapping
 * appointments (about `fill` of the time), statuses by whether they are past or future.
 * Calls `emit` in batches so a million rows never sit in memory at once.
 */
export async function generateAppointments(options: {
  practitioners: GeneratorPractitioner[];
  patientIds: string[];
  zone: string;
  from: string;
  to: string;
  now: Date;
  rng: () => number;
  fill?: number;
  batch?: number;
  emit: (rows: AppointmentRow[]) => Promise<void>;
}): Promise<number> {
  const fill = options.fill ?? 0.7;
  const { rng, zone, now } = options;
  let rows: AppointmentRow[] = [];
  let total = 0;
  const last = DateTime.fromISO(options.to, { zone });
  for (let day = DateTime.fromISO(options.from, { zone }); day <= last; day = day.plus({ days: 1 })) {
    const date = day.toISODate()!;
    for (const p of options.practitioners) {
      for (const w of p.weekly[day.weekday as Weekday] ?? []) {
        const end = DateTime.fromISO(`${date}T${w.end}`, { zone }).toMillis();
        let t = DateTime.fromISO(`${date}T${w.start}`, { zone }).toMillis();
        while (t < end) {
          const service = pick(rng, p.services);
          const startAt = t + service.bufferBeforeMin * 60_000;
          const endAt = startAt + service.durationMin * 60_000;
          const blockEnd = endAt + service.bufferAfterMin * 60_000;
          if (endAt > end) break;
          if (rng() > fill) {
            t += 15 * 60_000;
            continue;
          }
          const past = endAt < now.getTime();
          const r = rng();
          const status: AppointmentStatus = past
            ? r < 0.88
              ? 'completed'
              : r < 0.93
                ? 'no_show'
                : 'cancelled'
            : r < 0.93
              ? 'booked'
              : 'cancelled';
          const created = new Date(Math.min(now.getTime(), startAt) - Math.floor(rng() * 20) * 86_400_000);
          rows.push({
            id: newId(),
            patientId: pick(rng, options.patientIds),
            practitionerId: p.id,
            serviceId: service.id,
            roomId: null,
            startAt: new Date(startAt),
            endAt: new Date(endAt),
            blockStartAt: new Date(t),
            blockEndAt: new Date(blockEnd),
            status,
            cancelledBy: status === 'cancelled' ? (rng() < 0.7 ? 'patient' : 'clinic') : null,
            cancelReason: null,
            lateCancel: false,
            cancelledAt: status === 'cancelled' ? created : null,
            seriesId: null,
            bookedByType: rng() < 0.4 ? 'patient' : 'staff',
            bookedById: null,
            version: 1,
            createdAt: created,
            updatedAt: created,
          });
          total++;
          // A cancelled appointment frees its time: the next one may start right there.
          t = status === 'cancelled' ? t + 15 * 60_000 : blockEnd;
          if (rows.length >= (options.batch ?? 1000)) {
            await options.emit(rows);
            rows = [];
          }
        }
      }
    }
  }
  if (rows.length) await options.emit(rows);
  return total;
}

/** Inserts appointment rows in one transaction per batch (chunked under SQLite's variable limit). */
export async function insertAppointments(db: Db, rows: AppointmentRow[]): Promise<void> {
  await db.tx(async (ctx) => {
    for (let i = 0; i < rows.length; i += 200) {
      await ctx.db.insert(ctx.t.appointments).values(rows.slice(i, i + 200));
    }
  });
}

export interface DemoResult {
  password: string;
  admin: string;
  staff: string[];
  patients: number;
  appointments: number;
}

/** Seeds the demo clinic through the real services (appointments in bulk, without notifications). */
export async function seedDemo(
  app: App,
  options: { seed?: number; patients?: number; weeks?: number } = {},
): Promise<DemoResult> {
  const rng = seededRandom(options.seed ?? 42);
  const { staff, clinic, services, practitioners, patients, db, clock } = app.deps;
  const password = `demo-${randomToken(9)}`;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  await clinic.update(systemActor, {
    ...(await clinic.get()),
    name: 'Riverside Health (demo)',
    timeZone: zone,
    address: '12 River Lane, Riverside',
    phone: '+44 20 7946 0000',
  });
  const existing = new Map((await staff.accounts.list()).map((a) => [a.email, a.id]));
  const account = async (email: string, name: string, role: 'admin' | 'reception' | 'practitioner') =>
    existing.get(email) ?? (await staff.accounts.create(systemActor, { email, name, role, password })).id;
  const adminEmail = 'admin@demo.clinicbox.example';
  await account(adminEmail, 'Alex Admin', 'admin');
  await account('desk@demo.clinicbox.example', 'Robin Reception', 'reception');

  const serviceIds = new Map<string, string>();
  for (const s of demoServices) {
    const created = await services.create(systemActor, {
      name: s.name,
      description: s.description,
      durationMin: s.durationMin,
      bufferBeforeMin: 0,
      bufferAfterMin: s.bufferAfterMin,
      onlineBookable: true,
      newPatientsAllowed: true,
      requiresApproval: s.requiresApproval,
    });
    serviceIds.set(s.key, created.id);
  }
  const generatorPractitioners: GeneratorPractitioner[] = [];
  const staffEmails: string[] = [];
  for (const p of demoPractitioners) {
    const email = `${p.name.replace(/^Dr /, '').split(' ')[0]!.toLowerCase()}@demo.clinicbox.example`;
    staffEmails.push(email);
    const id = await account(email, p.name, 'practitioner');
    const weekdayHours = { 1: p.hours, 2: p.hours, 3: p.hours, 4: p.hours, 5: p.hours, 6: '', 7: '' };
    await practitioners.save(systemActor, id, {
      displayName: p.name,
      title: p.title,
      bio: `${p.title} at Riverside Health.`,
      colour: p.colour,
      bookableOnline: true,
      serviceIds: p.services.map((k) => serviceIds.get(k)!),
      hours: weekdayHours,
    });
    const view = await practitioners.get(id);
    const all = await services.list();
    generatorPractitioners.push({
      id,
      weekly: view.weekly,
      services: all.filter((s) => view.serviceIds.includes(s.id)),
    });
  }

  const patientIds: string[] = [];
  for (let i = 0; i < (options.patients ?? 200); i++) {
    const firstName = pick(rng, FIRST);
    const lastName = pick(rng, LAST);
    const year = 1940 + Math.floor(rng() * 80);
    const dob = DateTime.fromObject({
      year,
      month: 1 + Math.floor(rng() * 12),
      day: 1 + Math.floor(rng() * 28),
    }).toISODate()!;
    const p = await patients.create(systemActor, {
      firstName,
      lastName,
      dateOfBirth: dob,
      email: `${firstName}.${lastName}.${i}@example.org`
        .toLowerCase()
        .normalize('NFKD')
        .replace(/[^\w.@+-]/g, ''),
      phone: `+44 7700 9${String(i).padStart(5, '0')}`,
    });
    patientIds.push(p.id);
  }

  const weeks = options.weeks ?? 4;
  const today = DateTime.fromJSDate(clock.now(), { zone });
  const appointments = await generateAppointments({
    practitioners: generatorPractitioners,
    patientIds,
    zone,
    from: today.minus({ weeks }).toISODate()!,
    to: today.plus({ weeks }).toISODate()!,
    now: clock.now(),
    rng,
    emit: (rows) => insertAppointments(db, rows),
  });
  await db.tx((ctx) =>
    app.deps.audit.record(ctx, systemActor, {
      action: 'demo.seed',
      entity: 'clinic',
      details: { patients: patientIds.length, appointments },
    }),
  );
  return {
    password,
    admin: adminEmail,
    staff: ['desk@demo.clinicbox.example', ...staffEmails],
    patients: patientIds.length,
    appointments,
  };
}

export const demoCommand = defineCommand({
  name: 'demo',
  summary: 'Fill an empty database with a realistic demo clinic, and print how to sign in.',
  options: {
    ...dataOptions,
    force: boolOption('force', false, 'Add the demo clinic even though the database already has data.'),
  },
  async run(values, _positionals, ctx) {
    const app = await openAppForCommand(configFrom(values), ctx, { command: 'demo', worker: false });
    if (!app) return 1;
    try {
      const [staffCount, patientCount] = await Promise.all([
        app.deps.staff.accounts.list().then((l) => l.length),
        app.deps.db.reader.db
          .select({ id: app.deps.db.reader.t.patients.id })
          .from(app.deps.db.reader.t.patients)
          .limit(1)
          .then((l) => l.length),
      ]);
      if ((staffCount > 0 || patientCount > 0) && !values.force) {
        ctx.err(
          'clinicbox: demo: this database already has data; use --force to add the demo clinic anyway, or choose an empty --data-dir.',
        );
        return 1;
      }
      const started = Date.now();
      const r = await seedDemo(app);
      ctx.out(
        [
          `Demo clinic ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${demoPractitioners.length} practitioners, ${demoServices.length} services, ${r.patients} patients, ${r.appointments} appointments.`,
          '',
          'Start it:   clinicbox serve' +
            (values.dataDir !== dataOptions.dataDir.default ? ` --data-dir ${values.dataDir}` : ''),
          `Sign in at  /staff/login as ${r.admin} (admin)`,
          `            or ${r.staff.join(', ')}`,
          `Password    ${r.password}   (the same for every demo account; shown only now)`,
          'You will be asked to set up an authenticator app at first sign-in (or run serve with --staff-mfa optional).',
        ].join('\n'),
      );
      return 0;
    } finally {
      await app.stop();
    }
  },
});
