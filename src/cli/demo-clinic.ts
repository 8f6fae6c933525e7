import { DateTime } from 'luxon';
import type { AppointmentStatus, NewAppointment, Weekday } from '../domain/scheduling/index.ts';
import { newId } from '../lib/ids.ts';

/**
 * The demo clinic's make-up (names, services, practitioners) and its appointment generator,
 * shared by `clinicbox demo` and bench/scheduling.ts.
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

export const pick = <T>(rng: () => number, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;

export const FIRST = [
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
export const LAST = [
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

/** Each service's note template is one of the starters (domain/chart/starters.ts), by name. */
export const demoServices = [
  {
    key: 'assessment',
    name: 'Physiotherapy assessment',
    durationMin: 60,
    bufferAfterMin: 10,
    requiresApproval: false,
    description: 'A first visit: history, examination and a treatment plan.',
    noteTemplate: 'Initial physiotherapy assessment',
  },
  {
    key: 'physio',
    name: 'Physiotherapy follow-up',
    durationMin: 30,
    bufferAfterMin: 0,
    requiresApproval: false,
    description: 'Treatment and exercises, following an assessment.',
    noteTemplate: 'Follow-up',
  },
  {
    key: 'massage',
    name: 'Sports massage',
    durationMin: 45,
    bufferAfterMin: 15,
    requiresApproval: false,
    description: 'Deep tissue massage for recovery.',
    noteTemplate: 'SOAP note',
  },
  {
    key: 'gp',
    name: 'GP consultation',
    durationMin: 15,
    bufferAfterMin: 0,
    requiresApproval: false,
    description: 'A general practitioner appointment.',
    noteTemplate: 'GP consultation',
  },
  {
    key: 'psychology',
    name: 'Psychology session',
    durationMin: 50,
    bufferAfterMin: 10,
    requiresApproval: true,
    description: 'Talking therapy with a clinical psychologist.',
    noteTemplate: 'Psychology session note',
  },
  {
    key: 'acupuncture',
    name: 'Acupuncture',
    durationMin: 30,
    bufferAfterMin: 0,
    requiresApproval: false,
    description: 'Dry needling for pain relief.',
    noteTemplate: 'SOAP note',
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

export type AppointmentRow = NewAppointment;

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
